using Brm.Api.Feedback.Links;
using Brm.Api.Infrastructure;
using Brm.Domain;
using Brm.Domain.Calendar;
using Brm.V1;
using Grpc.Core;
using Marten;
using Microsoft.Extensions.Options;
using Feed = Brm.Domain.Calendar.CalendarFeed;

namespace Brm.Api.Calendar;

/// <summary>
/// The BRMs' calendar feeds in brm.v1.OutreachService: the address in force (GetCalendarFeed), a new one
/// (IssueCalendarFeed), none (RevokeCalendarFeed). The feed itself is <see cref="CalendarFeedEndpoint"/>'s.
/// </summary>
public sealed class CalendarFeeds(
    Mutations mutations, IQuerySession query, CalendarFeedTokens tokens, IOptions<CalendarOptions> calendar, IOptions<FeedbackLinkOptions> links)
{
    public async Task<GetCalendarFeedResponse> Get(GetCalendarFeedRequest request, ServerCallContext context)
    {
        var manager = request.Manager.Trim();
        var feed = await query.CalendarFeedAsync(manager, context.CancellationToken);
        return new GetCalendarFeedResponse { Feed = ToProto(feed, manager) };
    }

    public Task<IssueCalendarFeedResponse> Issue(IssueCalendarFeedRequest request, ServerCallContext context)
    {
        var manager = request.Manager.Trim();
        return mutations.Decide<Feed, IssueCalendarFeedResponse>(request, context, Feed.IdFor(manager), request.Expected(),
            (state, by) => CalendarFeedDecider.Decide(new IssueCalendarFeed(manager, by.Actor, by.At), state),
            (decided, _) => new IssueCalendarFeedResponse { Feed = ToProto(decided.State, manager), Version = decided.Version });
    }

    /// <summary>Revoking a feed never issued changes nothing, as revoking one already revoked: the answer says it has no address.</summary>
    public Task<RevokeCalendarFeedResponse> Revoke(RevokeCalendarFeedRequest request, ServerCallContext context) =>
        mutations.Run(request, request.RequestId, context, async (session, stamp, ct) =>
        {
            var manager = request.Manager.Trim();
            if (await session.CalendarFeedAsync(manager, ct) is null)
            {
                return new RevokeCalendarFeedResponse { Feed = ToProto(null, manager), Version = 0 };
            }

            var decided = await session.Decide<Feed>(Feed.IdFor(manager), request.Expected(),
                state => CalendarFeedDecider.Decide(new RevokeCalendarFeed(manager, stamp.Actor, stamp.At), state), ct);
            return new RevokeCalendarFeedResponse { Feed = ToProto(decided.State, manager), Version = decided.Version };
        });

    private V1.CalendarFeed ToProto(Feed? feed, string manager) => new()
    {
        Manager = feed?.Manager ?? manager,
        Active = feed is { Active: true },
        Url = feed is { Active: true }
            ? CalendarFeedEndpoint.Url(CalendarFeedEndpoint.BaseUrl(calendar.Value, links.Value), tokens.Write(new CalendarFeedToken(feed.Id, feed.Generation)))
            : "",
        IssuedAt = feed?.IssuedAt?.ToProto(),
        RevokedAt = feed?.RevokedAt?.ToProto(),
        Version = feed?.Version ?? 0,
    };
}
