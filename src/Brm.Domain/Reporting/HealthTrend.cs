using Brm.Domain.Commitments;
using Brm.Domain.CommunicationPlans;
using Brm.Domain.Feedback;
using Brm.Domain.Meetings;
using Brm.Domain.Relationships;

namespace Brm.Domain.Reporting;

/// <summary>The end of one month, as a trend counts it: the month's last microsecond (UTC), or now for the current month.</summary>
public sealed record MonthEnd(int Year, int Month, DateTimeOffset At);

/// <summary>A relationship's health at the end of one month: 0-100, null when no signal had data or it was not registered yet.</summary>
public sealed record MonthlyHealth(MonthEnd Month, int? Score);

/// <summary>A portfolio's health at the end of one month: the mean of its departments' scores then (null: none had one), and how many had one.</summary>
public sealed record PortfolioMonthlyHealth(MonthEnd Month, int? Score, int DepartmentsScored);

/// <summary>A relationship's health now, and as it was 30 and 90 days before (null: it was not registered yet then).</summary>
public sealed record RecentHealth(HealthReport Now, HealthReport? DaysAgo30, HealthReport? DaysAgo90);

/// <summary>
/// Everything one relationship's past health is computed from, each part carrying its own history: its stream's events
/// (in stream order), every contact with its stakeholders (any order), its commitments, plan (null while it has none)
/// and feedback items, as their documents stand now; and the policy health is computed with (null: the default).
/// </summary>
public sealed record HealthHistory(
    IReadOnlyList<object> RelationshipEvents,
    IReadOnlyList<Contact> Contacts,
    IReadOnlyList<Commitment> Commitments,
    CommunicationPlan? Plan,
    IReadOnlyList<FeedbackItem> Feedback,
    HealthPolicy? Policy = null)
{
    /// <summary>
    /// The health as of a moment: the relationship replayed to then (its events that had happened by then, by the time
    /// each carries), the contacts held by then, each commitment, the plan and each feedback item as of then. Null if it
    /// was not registered yet. The one computation of past health: GetRelationshipHealth's and the brief's 30 and 90 days
    /// ago, and the portfolio's months (<see cref="HealthTrend"/>).
    /// </summary>
    public HealthReport? At(DateTimeOffset moment) => At(moment, Replay(null, 0, moment));

    /// <summary>The health at <paramref name="now"/> of the relationship as it stands (its current document), every other part as of then.</summary>
    public HealthReport Now(Relationship current, DateTimeOffset now) => Compute(current, now);

    /// <summary>
    /// Each stakeholder's last contact by <paramref name="moment"/> (removed stakeholders included): the latest; of two
    /// at the same time, the meeting with the greater id (as <c>LastContactsAsync</c> picks).
    /// </summary>
    public IReadOnlyDictionary<Guid, Contact> LastContacts(DateTimeOffset moment) =>
        Contacts.Where(c => c.At <= moment).GroupBy(c => c.StakeholderId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.At).ThenByDescending(c => c.MeetingId).First());

    internal (Relationship? State, int Next) Replay(Relationship? state, int next, DateTimeOffset moment)
    {
        // Stream order, up to the first event that happened after the moment (as the as-of view folds it).
        for (; next < RelationshipEvents.Count && EventFacts.OccurredAt(RelationshipEvents[next]) <= moment; next++)
        {
            state = Relationship.Fold(state, RelationshipEvents[next]);
        }

        return (state, next);
    }

    internal HealthReport? At(DateTimeOffset moment, (Relationship? State, int Next) replayed) =>
        replayed.State is { } relationship ? Compute(relationship, moment) : null;

    private HealthReport Compute(Relationship relationship, DateTimeOffset moment) =>
        Health.Compute(new HealthInputs(
            relationship,
            LastContacts(moment),
            [.. Commitments.Select(c => c.AsOf(moment)).OfType<Commitment>()],
            Plan?.AsOf(moment),
            [.. Feedback.Select(f => f.AsOf(moment)).OfType<FeedbackItem>()],
            moment,
            Policy));
}

/// <summary>Health month by month: a relationship's from its history, and a portfolio's as the mean of its departments'.</summary>
public static class HealthTrend
{
    /// <summary>The most months one trend covers, the current month included.</summary>
    public const int MaxMonths = 12;

    /// <summary>
    /// The ends of the last <paramref name="months"/> months (UTC), oldest first: each past month's last microsecond (an
    /// event at it counts, one at midnight belongs to the next month), and <paramref name="now"/> for the current month.
    /// </summary>
    public static IReadOnlyList<MonthEnd> Months(DateTimeOffset now, int months)
    {
        var utc = now.ToUniversalTime();
        var current = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return [.. Enumerable.Range(0, Math.Clamp(months, 0, MaxMonths)).Reverse().Select(back =>
        {
            var start = current.AddMonths(-back);
            return new MonthEnd(start.Year, start.Month, back == 0 ? now : start.AddMonths(1).AddTicks(-TimeSpan.TicksPerMicrosecond));
        })];
    }

    /// <summary>
    /// One relationship's health at each month's end: the past months from its history, the current month
    /// <paramref name="now"/> (its health as it stands, computed from the current documents).
    /// </summary>
    public static IReadOnlyList<MonthlyHealth> Of(HealthHistory history, HealthReport now, IReadOnlyList<MonthEnd> months)
    {
        if (months.Count == 0)
        {
            return [];
        }

        var past = At(history, [.. months.SkipLast(1).Select(m => m.At)]);
        return [.. months.SkipLast(1).Select((m, i) => new MonthlyHealth(m, past[i]?.Score)), new MonthlyHealth(months[^1], now.Score)];
    }

    /// <summary>
    /// One relationship's health now (<paramref name="current"/> as it stands), and 30 and 90 days before from its
    /// history: GetRelationshipHealth's and the brief's trend.
    /// </summary>
    public static RecentHealth Recent(HealthHistory history, Relationship current, DateTimeOffset now)
    {
        var past = At(history, [.. RecentDays.Select(days => now.AddDays(-days))]);
        return new RecentHealth(history.Now(current, now), past[1], past[0]);
    }

    /// <summary>The days back <see cref="Recent"/> looks, the furthest first.</summary>
    private static readonly int[] RecentDays = [90, 30];

    /// <summary>
    /// The health at each of these moments, oldest first (null: not registered yet then): the relationship's stream
    /// folded once across them, each replay going on from where the last one stopped.
    /// </summary>
    private static IReadOnlyList<HealthReport?> At(HealthHistory history, IReadOnlyList<DateTimeOffset> moments)
    {
        var reports = new List<HealthReport?>(moments.Count);
        (Relationship? State, int Next) replayed = (null, 0);
        foreach (var moment in moments)
        {
            replayed = history.Replay(replayed.State, replayed.Next, moment);
            reports.Add(history.At(moment, replayed));
        }

        return reports;
    }

    /// <summary>The portfolio's health at each month's end: the rounded mean of the scores its departments had then.</summary>
    public static IReadOnlyList<PortfolioMonthlyHealth> Portfolio(IReadOnlyList<MonthEnd> months, IEnumerable<IReadOnlyList<MonthlyHealth>> trends)
    {
        var scored = trends.SelectMany(t => t).Where(p => p.Score is not null).ToLookup(p => p.Month, p => p.Score!.Value);
        return [.. months.Select(m => new PortfolioMonthlyHealth(
            m, scored[m].Any() ? (int)Math.Round(scored[m].Average()) : null, scored[m].Count()))];
    }
}
