namespace Brm.Domain.Feedback;

/// <summary>The average rating of the feedback received in one calendar month (UTC).</summary>
public sealed record MonthlyRating(int Year, int Month, int Rated, double Average);

/// <summary>
/// How well the feedback loop works over a set of requests and the feedback received: what the health report
/// and the BRM's agenda read. Everything that depends on "now" (open, not yet told) is as of <see cref="AsOf"/>.
/// </summary>
public sealed record FeedbackLoopStats(
    DateTimeOffset AsOf,
    int RequestsSent,
    int PeopleAsked,
    int Responses,
    int Received,
    int Acknowledged,
    TimeSpan? MedianTimeToAcknowledge,
    int LoopsClosed,
    TimeSpan? MedianTimeToClose,
    int OpenLoops,
    int OpenLoopsOverThreshold,
    int LoopOpenDays,
    int Actioned,
    int DeclinesTold,
    int DeclinesNotTold,
    int Rated,
    double? AverageRating,
    IReadOnlyList<MonthlyRating> MonthlyRatings)
{
    /// <summary>Responses ÷ people asked; null when nobody was asked.</summary>
    public double? ResponseRate => PeopleAsked == 0 ? null : (double)Responses / PeopleAsked;

    /// <summary>Closed loops ÷ feedback received; null when nothing was received.</summary>
    public double? LoopsClosedShare => Received == 0 ? null : (double)LoopsClosed / Received;

    /// <param name="requests">The requests sent in the period.</param>
    /// <param name="answers">Every answer to those requests, whenever it came.</param>
    /// <param name="received">The feedback received in the period.</param>
    public static FeedbackLoopStats From(
        IReadOnlyCollection<FeedbackRequest> requests,
        IReadOnlyCollection<FeedbackItem> answers,
        IReadOnlyCollection<FeedbackItem> received,
        DateTimeOffset asOf,
        int loopOpenDays)
    {
        var today = DateOnly.FromDateTime(asOf.UtcDateTime);
        var acknowledged = received.Where(f => f.Acknowledged is not null).ToList();
        var closed = received.Where(f => f.LoopClosed).ToList();
        var declined = received.Where(f => f.Declined is not null).ToList();
        var rated = received.Where(f => f.Rating is not null).ToList();
        return new FeedbackLoopStats(
            asOf,
            requests.Count,
            requests.Sum(r => r.AudienceStakeholderIds.Count),
            requests.Sum(r => r.Responses(answers)),
            received.Count,
            acknowledged.Count,
            Median([.. acknowledged.Select(f => f.Acknowledged!.At - f.ReceivedAt)]),
            closed.Count,
            Median([.. closed.Select(f => f.Response!.SentAt - f.ReceivedAt)]),
            received.Count - closed.Count,
            received.Count(f => f.LoopOpenMoreThan(loopOpenDays, today)),
            loopOpenDays,
            received.Count(f => f.Actioned is not null),
            declined.Count(f => f.LoopClosed),
            declined.Count(f => !f.LoopClosed),
            rated.Count,
            rated.Count == 0 ? null : rated.Average(f => f.Rating!.Value),
            [.. rated.GroupBy(f => (f.ReceivedAt.UtcDateTime.Year, f.ReceivedAt.UtcDateTime.Month)).OrderBy(g => g.Key)
                .Select(g => new MonthlyRating(g.Key.Year, g.Key.Month, g.Count(), g.Average(f => f.Rating!.Value)))]);
    }

    private static TimeSpan? Median(List<TimeSpan> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
