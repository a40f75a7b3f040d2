using Brm.Api.Calendar;
using Brm.V1;
using Grpc.Core;

namespace Brm.Api.Outreach;

/// <summary>
/// brm.v1.OutreachService: drafts and templates (<see cref="UpdateDrafts"/>), sent updates and their deliveries
/// (<see cref="SentUpdates"/>), the BRMs' digests (<see cref="Digests"/>) and calendar feeds (<see cref="CalendarFeeds"/>).
/// </summary>
public sealed class OutreachGrpcService(UpdateDrafts drafts, SentUpdates updates, Digests digests, CalendarFeeds calendars) : OutreachService.OutreachServiceBase
{
    public override Task<ComposeUpdateResponse> ComposeUpdate(ComposeUpdateRequest request, ServerCallContext context) =>
        drafts.Compose(request, context);

    public override Task<SetUpdateTemplateResponse> SetUpdateTemplate(SetUpdateTemplateRequest request, ServerCallContext context) =>
        drafts.SetTemplate(request, context);

    public override Task<GetUpdateTemplateResponse> GetUpdateTemplate(GetUpdateTemplateRequest request, ServerCallContext context) =>
        drafts.GetTemplate(request, context);

    public override Task<SendUpdateResponse> SendUpdate(SendUpdateRequest request, ServerCallContext context) =>
        updates.Send(request, context);

    public override Task<GetUpdateResponse> GetUpdate(GetUpdateRequest request, ServerCallContext context) =>
        updates.Get(request, context);

    public override Task<ListUpdatesResponse> ListUpdates(ListUpdatesRequest request, ServerCallContext context) =>
        updates.List(request, context);

    public override Task<SetDigestPreferencesResponse> SetDigestPreferences(SetDigestPreferencesRequest request, ServerCallContext context) =>
        digests.SetPreferences(request, context);

    public override Task<GetDigestPreferencesResponse> GetDigestPreferences(GetDigestPreferencesRequest request, ServerCallContext context) =>
        digests.GetPreferences(request, context);

    public override Task<PreviewDigestResponse> PreviewDigest(PreviewDigestRequest request, ServerCallContext context) =>
        digests.Preview(request, context);

    public override Task<GetCalendarFeedResponse> GetCalendarFeed(GetCalendarFeedRequest request, ServerCallContext context) =>
        calendars.Get(request, context);

    public override Task<IssueCalendarFeedResponse> IssueCalendarFeed(IssueCalendarFeedRequest request, ServerCallContext context) =>
        calendars.Issue(request, context);

    public override Task<RevokeCalendarFeedResponse> RevokeCalendarFeed(RevokeCalendarFeedRequest request, ServerCallContext context) =>
        calendars.Revoke(request, context);
}
