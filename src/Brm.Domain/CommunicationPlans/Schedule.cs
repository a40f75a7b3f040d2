namespace Brm.Domain.CommunicationPlans;

/// <summary>A cadence in force from a day on: an item's schedule is one span per cadence it has had.</summary>
public sealed record CadenceSpan(Cadence Cadence, DateOnly From);

/// <summary>How one period of a plan item went.</summary>
public enum PeriodOutcome
{
    /// <summary>A communication went out within the period, or within <see cref="Schedule.GraceDays"/> after it.</summary>
    OnTime = 1,

    /// <summary>The communication went out after the grace, but before the next period ended.</summary>
    Late = 2,

    /// <summary>The period and its grace are over and nothing went out (yet: a late one still turns it late).</summary>
    Missed = 3,

    /// <summary>The period (or its grace) is still running and nothing has gone out yet: not assessed.</summary>
    Pending = 4,
}

/// <summary>
/// One period of a plan item: from <paramref name="Start"/> to <paramref name="DueOn"/> (its last day, when
/// the communication is due). <paramref name="LateUntil"/> is the last day a late communication still counts for it.
/// </summary>
public sealed record PlanPeriod(DateOnly Start, DateOnly DueOn, DateOnly LateUntil, PeriodOutcome Outcome, DateTimeOffset? DeliveredAt);

/// <summary>An item's periods up to today, the period it owes (if any) and how well it was kept.</summary>
public sealed record ItemAssessment(IReadOnlyList<PlanPeriod> Periods, PlanPeriod? Owed, PlanPeriod? Next)
{
    /// <summary>When the next communication is due: the owed period's due day, else the next period's.</summary>
    public DateOnly? NextDueOn => (Owed ?? Next)?.DueOn;

    public Adherence Adherence => Adherence.Of(Periods);
}

/// <summary>Assessed periods: on time, late and missed; the share on time, null when none is assessed yet.</summary>
public sealed record Adherence(int OnTime, int Late, int Missed)
{
    public int Assessed => OnTime + Late + Missed;

    public double? OnTimeShare => Assessed == 0 ? null : (double)OnTime / Assessed;

    public static Adherence Of(IEnumerable<PlanPeriod> periods)
    {
        var list = periods.ToList();
        return new Adherence(
            list.Count(p => p.Outcome == PeriodOutcome.OnTime), list.Count(p => p.Outcome == PeriodOutcome.Late), list.Count(p => p.Outcome == PeriodOutcome.Missed));
    }

    public static Adherence Sum(IEnumerable<Adherence> parts) =>
        parts.Aggregate(new Adherence(0, 0, 0), (a, b) => new Adherence(a.OnTime + b.OnTime, a.Late + b.Late, a.Missed + b.Missed));
}

/// <summary>
/// Cadence arithmetic, pure. Period k of a span starts k cadences after the span's first day, counted from that
/// day (never from the previous period), so a monthly item from 31 January runs 31 Jan, 28 (or 29) Feb, 31 Mar,
/// 30 Apr...; each period ends the day before the next starts, and the communication is due on that last day.
/// </summary>
public static class Schedule
{
    /// <summary>Days after a period's last day in which a communication still counts as on time.</summary>
    public const int GraceDays = 2;

    public static DateOnly PeriodStart(Cadence cadence, DateOnly anchor, int index) => cadence switch
    {
        Cadence.Weekly => anchor.AddDays(7 * index),
        Cadence.Fortnightly => anchor.AddDays(14 * index),
        Cadence.Monthly => anchor.AddMonths(index),
        Cadence.Quarterly => anchor.AddMonths(3 * index),
        _ => throw new ArgumentOutOfRangeException(nameof(cadence), cadence, null),
    };

    /// <summary>Communications per month: the BRM's planned load counts these.</summary>
    public static double PerMonth(Cadence cadence) => cadence switch
    {
        Cadence.Weekly => 52.0 / 12,
        Cadence.Fortnightly => 26.0 / 12,
        Cadence.Monthly => 1,
        Cadence.Quarterly => 1.0 / 3,
        _ => throw new ArgumentOutOfRangeException(nameof(cadence), cadence, null),
    };

    /// <summary>
    /// The periods of a schedule that start on or before <paramref name="through"/>. A span ends where the next
    /// begins, and the schedule at <paramref name="until"/> (the day an item was retired): only periods that
    /// ended before that day count, so a period cut short is neither owed nor assessed.
    /// </summary>
    public static IEnumerable<(DateOnly Start, DateOnly DueOn, DateOnly LateUntil)> Periods(
        IReadOnlyList<CadenceSpan> spans, DateOnly? until, DateOnly through)
    {
        for (var i = 0; i < spans.Count; i++)
        {
            var span = spans[i];
            var bound = i + 1 < spans.Count ? spans[i + 1].From : until;
            for (var k = 0; ; k++)
            {
                var start = PeriodStart(span.Cadence, span.From, k);
                var next = PeriodStart(span.Cadence, span.From, k + 1);
                if (start > through || (bound is { } b && next > b))
                {
                    break;
                }

                yield return (start, next.AddDays(-1), PeriodStart(span.Cadence, span.From, k + 2).AddDays(-1));
            }
        }
    }

    /// <summary>
    /// Matches communications to periods, oldest first: a period takes the first communication not yet taken
    /// that went out on or after its first day. Out by the due day plus the grace, it is on time; out later but
    /// before the next period ends, late (it settles the older period, not the one it went out in); otherwise
    /// the period is missed once its grace is over, and pending until then. Extra communications in a period
    /// are kept on record but settle nothing.
    /// </summary>
    public static ItemAssessment Assess(
        IReadOnlyList<CadenceSpan> spans, DateOnly? retiredOn, IEnumerable<DateTimeOffset> deliveries, DateOnly today)
    {
        // One quarter ahead is always enough to reach the period after today's.
        var periods = Matched(spans, retiredOn, [.. deliveries.Order()], today.AddDays(93))
            .Select(m => new PlanPeriod(
                m.Start, m.DueOn, m.LateUntil,
                m.SettledBy is null ? today > m.DueOn.AddDays(GraceDays) ? PeriodOutcome.Missed : PeriodOutcome.Pending
                : m.OnTime ? PeriodOutcome.OnTime : PeriodOutcome.Late,
                m.SettledBy))
            .ToList();

        var upToToday = periods.Where(p => p.Start <= today).ToList();
        var owed = retiredOn is not null ? null : upToToday.FirstOrDefault(p =>
            p.Outcome == PeriodOutcome.Pending || (p.Outcome == PeriodOutcome.Missed && today <= p.LateUntil));
        var next = retiredOn is not null ? null : periods.FirstOrDefault(p => p.Start > today);
        return new ItemAssessment(upToToday, owed, next);
    }

    /// <summary>
    /// The first day of the last period a communication settled (on time or late), null while none has. Which
    /// communication settles which period (<see cref="Assess"/>) does not depend on the day it is asked, so the plan's
    /// projection keeps this with each item, and <see cref="NextDueOn"/> needs no communication.
    /// </summary>
    public static DateOnly? LastSettledPeriod(IReadOnlyList<CadenceSpan> spans, DateOnly? retiredOn, IEnumerable<DateTimeOffset> deliveries)
    {
        List<DateTimeOffset> sent = [.. deliveries.Order()];
        if (sent.Count == 0)
        {
            return null;
        }

        var last = Matched(spans, retiredOn, sent, Day(sent[^1])).LastOrDefault(m => m.SettledBy is not null);
        return last.SettledBy is null ? null : last.Start;
    }

    /// <summary>
    /// When an item's next communication is due as of <paramref name="today"/> (<see cref="ItemAssessment.NextDueOn"/>), from
    /// its <see cref="LastSettledPeriod"/> instead of its communications: the first period after the last settled one that
    /// has started and is still owed (pending, or missed and within its late window), else the next period to start.
    /// No period before the last settled one is owed: the communication that settled a later period went out after
    /// such a period's late window had ended (else the older period would have taken it), and none goes out after today.
    /// The same day as <see cref="Assess"/> (tested side by side), without reading every communication the item ever had.
    /// </summary>
    public static DateOnly? NextDueOn(IReadOnlyList<CadenceSpan> spans, DateOnly? retiredOn, DateOnly? lastSettledPeriod, DateOnly today)
    {
        if (retiredOn is not null)
        {
            return null;
        }

        foreach (var (start, dueOn, lateUntil) in Periods(spans, null, today.AddDays(93)))
        {
            var owed = start <= today && (lastSettledPeriod is not { } last || start > last)
                && (today <= dueOn.AddDays(GraceDays) || today <= lateUntil);
            if (owed || start > today)
            {
                return dueOn;
            }
        }

        return null;
    }

    /// <summary>
    /// Each period through <paramref name="through"/>, with the communication of <paramref name="sent"/> (oldest first)
    /// that settled it, if any, and whether on time.
    /// </summary>
    private static IEnumerable<(DateOnly Start, DateOnly DueOn, DateOnly LateUntil, DateTimeOffset? SettledBy, bool OnTime)> Matched(
        IReadOnlyList<CadenceSpan> spans, DateOnly? retiredOn, IReadOnlyList<DateTimeOffset> sent, DateOnly through)
    {
        var taken = 0;
        foreach (var (start, dueOn, lateUntil) in Periods(spans, retiredOn, through))
        {
            while (taken < sent.Count && Day(sent[taken]) < start)
            {
                taken++;
            }

            var candidate = taken < sent.Count ? sent[taken] : (DateTimeOffset?)null;
            var onTime = candidate is { } at && Day(at) <= dueOn.AddDays(GraceDays);
            var settled = onTime || (candidate is { } late && Day(late) <= lateUntil);
            taken += settled ? 1 : 0;
            yield return (start, dueOn, lateUntil, settled ? candidate : null, onTime);
        }
    }

    private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);
}
