namespace Brm.Domain.Feedback;

/// <summary>The average rating of the feedback received in one calendar month (UTC).</summary>
public sealed record MonthlyRating(int Year, int Month, int Rated, double Average);

/// <summary>The NPS and CSAT answers among some feedback (see <see cref="FeedbackScale"/>).</summary>
public sealed record ScaleScores(int NpsAnswers, int Promoters, int Passives, int Detractors, int CsatAnswers, int Satisfied)
{
    /// <summary>Promoters minus detractors, as a percentage of the NPS answers (-100 to 100); null without any.</summary>
    public double? Nps => NpsAnswers == 0 ? null : 100.0 * (Promoters - Detractors) / NpsAnswers;

    /// <summary>The satisfied share of the CSAT answers (0-1); null without any.</summary>
    public double? CsatShare => CsatAnswers == 0 ? null : (double)Satisfied / CsatAnswers;

    public static ScaleScores From(IEnumerable<FeedbackItem> feedback)
    {
        var scored = feedback.Where(f => f.Rating is not null).ToList();
        var nps = scored.Where(f => f.Scale == FeedbackScale.Nps).Select(f => f.Rating!.Value).ToList();
        var csat = scored.Where(f => f.Scale == FeedbackScale.Csat).Select(f => f.Rating!.Value).ToList();
        var promoters = nps.Count(FeedbackScales.Promoter);
        var detractors = nps.Count(FeedbackScales.Detractor);
        return new ScaleScores(nps.Count, promoters, nps.Count - promoters - detractors, detractors, csat.Count, csat.Count(FeedbackScales.Satisfied));
    }
}

/// <summary>The NPS and CSAT answers received in one calendar month (UTC).</summary>
public sealed record MonthlyScores(int Year, int Month, ScaleScores Scores);

/// <summary>Who answered the requests sent in one calendar month (UTC), whenever they answered.</summary>
public sealed record MonthlyResponses(int Year, int Month, int PeopleAsked, int Responses)
{
    public double? ResponseRate => PeopleAsked == 0 ? null : (double)Responses / PeopleAsked;
}

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
    IReadOnlyList<MonthlyRating> MonthlyRatings,
    ScaleScores Scores,
    IReadOnlyList<MonthlyScores> MonthlyScores)
{
    /// <summary>The response rate of the requests sent in each month, oldest first.</summary>
    public IReadOnlyList<MonthlyResponses> MonthlyResponseRates { get; init; } = [];

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
        // The average rating is of 1-5 ratings only; NPS and CSAT answers are counted by their own rules.
        var rated = received.Where(f => f.Rating is not null && f.Scale == FeedbackScale.Rating).ToList();
        var scored = received.Where(f => f.Rating is not null && f.Scale != FeedbackScale.Rating).ToList();
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
                .Select(g => new MonthlyRating(g.Key.Year, g.Key.Month, g.Count(), g.Average(f => f.Rating!.Value)))],
            ScaleScores.From(scored),
            [.. scored.GroupBy(f => (f.ReceivedAt.UtcDateTime.Year, f.ReceivedAt.UtcDateTime.Month)).OrderBy(g => g.Key)
                .Select(g => new MonthlyScores(g.Key.Year, g.Key.Month, ScaleScores.From(g)))])
        {
            MonthlyResponseRates = [.. requests.GroupBy(r => (r.RequestedAt.UtcDateTime.Year, r.RequestedAt.UtcDateTime.Month)).OrderBy(g => g.Key)
                .Select(g => new MonthlyResponses(g.Key.Year, g.Key.Month, g.Sum(r => r.AudienceStakeholderIds.Count), g.Sum(r => r.Responses(answers))))],
        };
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
