using Brm.Api.Commitments;
using Brm.Api.Infrastructure;
using Brm.Api.Tags;
using Brm.Domain.Commitments;
using Brm.Domain.Meetings;
using Brm.Domain.Relationships;
using Brm.V1;
using Google.Protobuf;
using Grpc.Core;
using Marten;
using static Brm.Api.Infrastructure.ProtoFields;
using static Brm.Api.Meetings.MeetingMapping;
using Commands = Brm.Domain.Meetings;
using Model = Brm.Domain.Meetings;
using Relationship = Brm.Domain.Relationships.Relationship;

namespace Brm.Api.Meetings;

/// <summary>brm.v1.MeetingService: each RPC builds one command or query and maps the result.</summary>
public sealed class MeetingGrpcService(Mutations mutations, IQuerySession query, TimeProvider clock, PageCursors pages, MeetingInvitations invitations)
    : MeetingService.MeetingServiceBase
{
    public override Task<ScheduleMeetingResponse> ScheduleMeeting(ScheduleMeetingRequest request, ServerCallContext context)
    {
        var relationshipId = Id(request.RelationshipId);
        return Decide<ScheduleMeetingResponse>(request, context, Guid.CreateVersion7(), RelationshipHold.Of(relationshipId), expectedVersion: null,
            (id, by) => new Commands.ScheduleMeeting(id, relationshipId, request.Kind.ToDomain(), request.Topic.Trim(),
                request.Start.ToDomain(), request.DurationMinutes, Ids(request.InvitedStakeholderIds), request.Organiser.Trim(),
                by.Actor, by.At) { Location = Optional(request.Location) });
    }

    public override Task<RescheduleMeetingResponse> RescheduleMeeting(RescheduleMeetingRequest request, ServerCallContext context) =>
        Change<RescheduleMeetingResponse>(request, context,
            (id, by) => new Commands.RescheduleMeeting(id, request.Start.ToDomain(), Optional(request.Reason), by.Actor, by.At));

    public override Task<CancelMeetingResponse> CancelMeeting(CancelMeetingRequest request, ServerCallContext context) =>
        Change<CancelMeetingResponse>(request, context,
            (id, by) => new Commands.CancelMeeting(id, request.Reason.Trim(), by.Actor, by.At));

    public override Task<HoldMeetingResponse> HoldMeeting(HoldMeetingRequest request, ServerCallContext context) =>
        Change<HoldMeetingResponse>(request, context,
            (id, by) => new Commands.HoldMeeting(id, request.Conversation.HeldAt?.ToDomain(), request.Conversation.ToDomain(), by.Actor, by.At));

    public override Task<LogConversationResponse> LogConversation(LogConversationRequest request, ServerCallContext context)
    {
        var relationshipId = Id(request.RelationshipId);
        return Decide<LogConversationResponse>(request, context, Guid.CreateVersion7(), RelationshipHold.Of(relationshipId), expectedVersion: null,
            (id, by) => new Commands.LogConversation(id, relationshipId, request.Kind.ToDomain(), Optional(request.Topic),
                request.Conversation.HeldAt?.ToDomain(), request.Conversation.ToDomain(), by.Actor, by.At));
    }

    public override async Task<GetMeetingResponse> GetMeeting(GetMeetingRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var meeting = await query.GetMeetingAsync(Id(request.MeetingId), ct);
        var relationship = await query.GetAsync(meeting.RelationshipId, ct);
        var commitments = await query.AllCommitmentsAsync(new CommitmentFilter(SourceMeetingId: meeting.Id), ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return new GetMeetingResponse
        {
            Meeting = meeting.ToProto(relationship), Commitments = { commitments.Select(c => c.ToProto(today)) },
        };
    }

    public override async Task<ListMeetingsResponse> ListMeetings(ListMeetingsRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var filters = new ListMeetingsRequest(request) { PageSize = 0, PageToken = "" }.ToString();
        var after = pages.Read<DateTimeOffset>(request.PageToken, filters, context) is { } cursor ? new MeetingPosition(cursor.Key, cursor.Id) : null;
        var size = PageTokens.Size(request.PageSize);
        var filter = new MeetingFilter(
            OptionalId(request.RelationshipId),
            OptionalId(request.StakeholderId),
            request.PeriodStart?.ToDomain(),
            request.PeriodEnd?.ToDomain(),
            request.HasStatus ? request.Status.ToDomain() : null,
            TagRules.Filter(request.Tags));
        var page = await query.ListMeetingsAsync(filter, after, size + 1, ct);
        var relationships = (await query.LoadManyAsync<Relationship>(ct, page.Select(m => m.RelationshipId).Distinct()))
            .ToDictionary(r => r.Id);

        var response = new ListMeetingsResponse();
        response.Meetings.AddRange(page.Take(size).Select(m => m.ToSummary(relationships.GetValueOrDefault(m.RelationshipId))));
        if (page.Count > size)
        {
            var last = page[size - 1];
            response.NextPageToken = pages.Write(new PageCursor<DateTimeOffset>(last.OccursAt, last.Id), filters, context);
        }

        return response;
    }

    public override async Task<GetStakeholderCoverageResponse> GetStakeholderCoverage(
        GetStakeholderCoverageRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var asOf = clock.GetUtcNow().ToMicroseconds();
        var windowDays = request.WindowDays == 0 ? MeetingLimits.DefaultWindowDays : request.WindowDays;
        var windowStart = asOf.AddDays(-windowDays);
        var relationships = request.ScopeCase == GetStakeholderCoverageRequest.ScopeOneofCase.RelationshipId
            ? [await query.GetAsync(Id(request.RelationshipId), ct)]
            : await query.CoverageScopeAsync(request.Manager.Trim(), ct);
        var lastContacts = await query.LastContactsAsync([.. relationships.Select(r => r.Id)], ct);
        return relationships.Select(r => Model.RelationshipCoverage.Of(r, lastContacts, windowStart)).ToList().ToProto(asOf, windowStart, windowDays);
    }

    /// <summary>Every change to an existing meeting: its relationship is the one its document names.</summary>
    private Task<TResponse> Change<TResponse>(IMeetingMutation request, ServerCallContext context, Func<Guid, Stamp, MeetingCommand> command)
        where TResponse : class, IMessage<TResponse>, IMeetingResponse, new()
    {
        var meetingId = Id(request.MeetingId);
        return Decide<TResponse>(request, context, meetingId, RelationshipHold.OfMeeting(meetingId), request.Expected(), command);
    }

    /// <summary>
    /// Decides on the meeting's stream with its relationship held (who the current stakeholders are, whether it is
    /// archived), and answers with the meeting as it now stands. With <c>send_invitations</c>, the invitations are
    /// queued in the same transaction (sent after the commit).
    /// </summary>
    private Task<TResponse> Decide<TResponse>(
        IMutation request,
        ServerCallContext context,
        Guid meetingId,
        RelationshipHold hold,
        long? expectedVersion,
        Func<Guid, Stamp, MeetingCommand> command)
        where TResponse : class, IMessage<TResponse>, IMeetingResponse, new() =>
        mutations.Decide<Model.Meeting, TResponse>(request, context, meetingId, expectedVersion, hold,
            (state, relationship, by) => MeetingDecider.Decide(command(meetingId, by), state, relationship),
            (decided, relationship, _) => new TResponse { Meeting = decided.State.ToProto(relationship), Version = decided.Version },
            request is IInvitingMutation { SendInvitations: true } ? (session, _, _) => invitations.QueueAsync(session, meetingId) : null);
}
