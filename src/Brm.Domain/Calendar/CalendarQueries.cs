using Brm.Domain.Commitments;
using Brm.Domain.CommunicationPlans;
using Brm.Domain.Feedback;
using Brm.Domain.Meetings;
using Brm.Domain.Relationships;
using Marten;

namespace Brm.Domain.Calendar;

/// <summary>Reads of what a BRM's calendar feed shows: projected documents, one query each.</summary>
public static class CalendarQueries
{
    /// <summary>The most departments one feed spans (their names first): a feed never fails for having too many.</summary>
    public const int MaxRelationships = 1000;

    /// <summary>The BRM's feed document, or null when none was ever issued.</summary>
    public static Task<CalendarFeed?> CalendarFeedAsync(this IQuerySession session, string manager, CancellationToken ct) =>
        session.LoadAsync<CalendarFeed>(CalendarFeed.IdFor(manager), ct);

    /// <summary>What <paramref name="manager"/>'s feed shows at <paramref name="now"/> (<see cref="CalendarEntries.Of"/>).</summary>
    public static async Task<CalendarSources> CalendarSourcesAsync(this IQuerySession session, string manager, DateTimeOffset now, CancellationToken ct)
    {
        var relationships = await session.ListAsync(manager, includeArchived: false, afterName: null, afterId: Guid.Empty, MaxRelationships, ct);
        var ids = relationships.Select(r => r.Id).ToArray();
        var lastDay = DateOnly.FromDateTime(now.UtcDateTime).AddDays(CalendarEntries.FutureDays);
        var meetings = await session.QueryAsync<Meeting>(
            $"select d.data from {BrmDomain.Schema}.mt_doc_meeting as d where d.relationship_id = any(?) and d.occurs_at >= ? and d.occurs_at <= ? "
            + "and jsonb_typeof(d.data -> 'Schedule') = 'object' order by d.occurs_at, d.id",
            ct,
            ids,
            now.AddDays(-CalendarEntries.PastDays).ToUniversalTime(),
            now.AddDays(CalendarEntries.FutureDays).ToUniversalTime());
        return new CalendarSources(
            relationships,
            meetings,
            await session.OpenCommitmentsDueAsync(ids, lastDay, ct),
            await session.PlansAsync(ids, ct),
            await session.FeedbackOfAsync(ids, receivedBy: null, openOnly: true, ct));
    }
}
