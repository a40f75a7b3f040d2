using Brm.Domain.Commitments;
using Brm.Domain.CommunicationPlans;
using Brm.Domain.Feedback;
using Brm.Domain.Meetings;
using Brm.Domain.Relationships;
using Marten;

namespace Brm.Domain.Reporting;

/// <summary>
/// The weights of the health signals: the one place they live (docs/health.md explains them). A signal with
/// no data (no stakeholders, nothing delivered yet, one side not assessed) is shown but left out of the score,
/// and the other weights count in its place.
/// </summary>
public static class HealthWeights
{
    public const double ContactRecency = 10;
    public const double Coverage = 20;
    public const double TwoQuestions = 10;
    public const double PlanAdherence = 15;
    public const double CommitmentsOnTime = 10;
    public const double CommitmentsOverdue = 10;
    public const double FeedbackLoopsClosed = 10;
    public const double DeclinesNotTold = 10;
    public const double MaturityGap = 5;

    /// <summary>Contacts within this many days count as recent (full marks); none for this many days or more, none.</summary>
    public const int RecentDays = 14;
    public const int StaleDays = 90;

    /// <summary>The coverage window, as GetStakeholderCoverage's default.</summary>
    public const int CoverageWindowDays = 90;
}

/// <summary>
/// What an organisation may set about health (the API's "Health" section): how long the answers to the two
/// questions stay current before the department should be asked again.
/// </summary>
public sealed record HealthPolicy(int TwoQuestionsReviewMonths = HealthPolicy.DefaultTwoQuestionsReviewMonths)
{
    public const int DefaultTwoQuestionsReviewMonths = 12;

    /// <summary>The longest period that may be set (five years); the shortest is one month.</summary>
    public const int MaxTwoQuestionsReviewMonths = 60;

    public static readonly HealthPolicy Default = new();

    /// <summary>Whether answers last asked at <paramref name="askedAt"/> are still current at <paramref name="at"/>: up to and including the same moment N months later.</summary>
    public bool IsCurrent(DateTimeOffset askedAt, DateTimeOffset at) => at <= askedAt.AddMonths(TwoQuestionsReviewMonths);
}

/// <summary>One signal behind a health score: its score (0-1, null: no data), weight, the figure and one sentence.</summary>
public sealed record HealthSignal(string Name, double? Score, double Weight, string Value, string Explanation);

/// <summary>
/// The figures the portfolio shows beside the score: untold declines, plan adherence, loops closed (null: no data),
/// and when the department was last asked the two questions (null: never).
/// </summary>
public sealed record HealthHeadlines(int DeclinesNotTold, double? PlanAdherence, double? LoopsClosedShare, DateTimeOffset? TwoQuestionsAskedAt);

/// <summary>A relationship's health at a moment: 0-100 (null when no signal has data), every signal behind it, and the headlines.</summary>
public sealed record HealthReport(int? Score, IReadOnlyList<HealthSignal> Signals, HealthHeadlines Headlines);

/// <summary>
/// What the health of one relationship at one moment is computed from, each input as it stood then: the plan
/// (null while it has none), commitments and feedback items (those made or received by then); and the policy
/// (null: <see cref="HealthPolicy.Default"/>).
/// </summary>
public sealed record HealthInputs(
    Relationship Relationship,
    IReadOnlyDictionary<Guid, Contact> LastContacts,
    IReadOnlyList<Commitment> Commitments,
    CommunicationPlan? Plan,
    IReadOnlyList<FeedbackItem> Feedback,
    DateTimeOffset At,
    HealthPolicy? Policy = null);

public static class Health
{
    public static HealthReport Compute(HealthInputs inputs)
    {
        var adherence = inputs.Plan?.Adherence(DateOnly.FromDateTime(inputs.At.UtcDateTime)) ?? new Adherence(0, 0, 0);
        var feedback = FeedbackLoopStats.From([], [], inputs.Feedback, inputs.At, FeedbackItem.CloseLoopWithinDays);
        HealthSignal[] signals =
        [
            ContactRecency(inputs),
            Coverage(inputs),
            TwoQuestions(inputs.Relationship, inputs.At, inputs.Policy ?? HealthPolicy.Default),
            PlanAdherence(adherence),
            CommitmentsOnTime(inputs),
            CommitmentsOverdue(inputs),
            FeedbackLoopsClosed(feedback),
            DeclinesNotTold(feedback),
            MaturityGap(inputs.Relationship),
        ];
        var scored = signals.Where(s => s.Score is not null).ToList();
        var weight = scored.Sum(s => s.Weight);
        int? score = weight == 0 ? null : (int)Math.Round(100 * scored.Sum(s => s.Score!.Value * s.Weight) / weight);
        return new HealthReport(score, signals, new HealthHeadlines(
            feedback.DeclinesNotTold, adherence.OnTimeShare, feedback.LoopsClosedShare, inputs.Relationship.TwoQuestionsAskedAt()));
    }

    private static HealthSignal ContactRecency(HealthInputs i)
    {
        var current = i.Relationship.CurrentStakeholders().Select(s => s.Id).ToHashSet();
        var last = i.LastContacts.Values.Where(c => current.Contains(c.StakeholderId)).Select(c => (DateTimeOffset?)c.At).Max();
        if (last is null)
        {
            return new HealthSignal("contact_recency", current.Count == 0 ? null : 0, HealthWeights.ContactRecency, "never",
                current.Count == 0 ? "No stakeholders are recorded yet." : "Nobody in the department has been talked to yet.");
        }

        var days = (int)Math.Floor((i.At - last.Value).TotalDays);
        var score = Math.Clamp((HealthWeights.StaleDays - days) / (double)(HealthWeights.StaleDays - HealthWeights.RecentDays), 0, 1);
        return new HealthSignal("contact_recency", score, HealthWeights.ContactRecency, $"{days} days",
            $"The last conversation with someone in the department was {days} days ago (full marks within {HealthWeights.RecentDays}, none after {HealthWeights.StaleDays}).");
    }

    private static HealthSignal Coverage(HealthInputs i)
    {
        var coverage = RelationshipCoverage.Of(i.Relationship, i.LastContacts, i.At.AddDays(-HealthWeights.CoverageWindowDays));
        var levels = Enum.GetValues<StakeholderLevel>()
            .Select(level => (level, count: CoverageCount.Of(coverage.Stakeholders, level)))
            .Where(x => x.count.Total > 0)
            .ToList();
        if (levels.Count == 0)
        {
            return new HealthSignal("coverage", null, HealthWeights.Coverage, "no stakeholders", "No stakeholders are recorded, so coverage cannot be measured.");
        }

        var score = levels.Average(x => (double)x.count.Contacted / x.count.Total);
        var figures = string.Join(", ", levels.Select(x => $"{x.level.ToString().ToLowerInvariant()} {x.count.Contacted}/{x.count.Total}"));
        return new HealthSignal("coverage", score, HealthWeights.Coverage, figures,
            $"Contacted within {HealthWeights.CoverageWindowDays} days, per level: {figures} (each level counts the same).");
    }

    /// <summary>
    /// The two questions (what information do you need from IT, how do you want to hear it): half for each answer
    /// on record (an active information need, a communication preference), as long as the department was asked
    /// within the policy's period (a need recorded or retired, a preference recorded, or the answers confirmed);
    /// none once that is older. No data while nothing was ever asked and there is nobody to ask (no stakeholders).
    /// </summary>
    private static HealthSignal TwoQuestions(Relationship r, DateTimeOffset at, HealthPolicy policy)
    {
        const string Name = "two_questions";
        var months = policy.TwoQuestionsReviewMonths;
        var needs = r.ActiveInformationNeeds().Count();
        var preferences = r.CommunicationPreferences.Count;
        if (r.TwoQuestionsAskedAt() is not { } asked)
        {
            return r.CurrentStakeholders().Any()
                ? new HealthSignal(Name, 0, HealthWeights.TwoQuestions, "never asked",
                    "The department has not been asked what information it needs from IT or how it wants to hear from IT.")
                : new HealthSignal(Name, null, HealthWeights.TwoQuestions, "never asked",
                    "No stakeholders and no answers are recorded yet, so there is nobody the two questions were asked of.");
        }

        var days = Math.Max(0, (int)Math.Floor((at - asked).TotalDays));
        var answered = (needs > 0 ? 1 : 0) + (preferences > 0 ? 1 : 0);
        var value = $"{answered}/2, {days} days ago";
        if (!policy.IsCurrent(asked, at))
        {
            return new HealthSignal(Name, 0, HealthWeights.TwoQuestions, value,
                $"The two questions were last asked {days} days ago, more than {months} months: ask them again, or confirm the answers on record.");
        }

        var explanation = answered switch
        {
            2 => $"{needs} information need(s) and {preferences} communication preference(s) are on record, last asked {days} days ago (current for {months} months).",
            _ when needs > 0 => $"{needs} information need(s) but no communication preference are on record: ask how the department wants to hear from IT.",
            _ when preferences > 0 => $"{preferences} communication preference(s) but no information need are on record: ask what information the department needs from IT.",
            _ => "No information need or communication preference is on record: ask the department both questions.",
        };
        return new HealthSignal(Name, answered / 2.0, HealthWeights.TwoQuestions, value, explanation);
    }

    private static HealthSignal CommitmentsOnTime(HealthInputs i)
    {
        var delivered = i.Commitments.Where(c => c.Status == CommitmentStatus.Delivered).ToList();
        if (delivered.Count == 0)
        {
            return new HealthSignal("commitments_on_time", null, HealthWeights.CommitmentsOnTime, "none delivered", "No commitment has been delivered yet.");
        }

        var onTime = delivered.Count(c => c.DeliveredOnTime() == true);
        return new HealthSignal("commitments_on_time", (double)onTime / delivered.Count, HealthWeights.CommitmentsOnTime, $"{onTime}/{delivered.Count}",
            $"{onTime} of {delivered.Count} delivered commitments were delivered on or before their due date.");
    }

    private static HealthSignal CommitmentsOverdue(HealthInputs i)
    {
        var today = DateOnly.FromDateTime(i.At.UtcDateTime);
        var open = i.Commitments.Where(c => !c.IsClosed).ToList();
        if (open.Count == 0)
        {
            return new HealthSignal("commitments_overdue", null, HealthWeights.CommitmentsOverdue, "none open", "No commitment is open.");
        }

        var overdue = open.Count(c => c.IsOverdue(today));
        return new HealthSignal("commitments_overdue", 1 - ((double)overdue / open.Count), HealthWeights.CommitmentsOverdue, $"{overdue}/{open.Count}",
            $"{overdue} of {open.Count} open commitments are past their due date.");
    }

    private static HealthSignal PlanAdherence(Adherence a) =>
        a.OnTimeShare is not { } share
            ? new HealthSignal("plan_adherence", null, HealthWeights.PlanAdherence, "nothing assessed",
                "No period of the communication plan has ended yet, so adherence cannot be measured.")
            : new HealthSignal("plan_adherence", share, HealthWeights.PlanAdherence, $"{a.OnTime}/{a.Assessed}",
                $"{a.OnTime} of {a.Assessed} planned communications went out on time ({a.Late} late, {a.Missed} missed).");

    private static HealthSignal FeedbackLoopsClosed(FeedbackLoopStats f) =>
        f.LoopsClosedShare is not { } share
            ? new HealthSignal("feedback_loops_closed", null, HealthWeights.FeedbackLoopsClosed, "none received", "No feedback has been received yet.")
            : new HealthSignal("feedback_loops_closed", share, HealthWeights.FeedbackLoopsClosed, $"{f.LoopsClosed}/{f.Received}",
                $"The business was told what became of {f.LoopsClosed} of the {f.Received} pieces of feedback it gave.");

    /// <summary>Each untold decline lowers the score further: 1, 1/2, 1/3, 1/4... for none, one, two, three.</summary>
    private static HealthSignal DeclinesNotTold(FeedbackLoopStats f) =>
        f.Received == 0
            ? new HealthSignal("declines_not_told", null, HealthWeights.DeclinesNotTold, "none received", "No feedback has been received yet.")
            : new HealthSignal("declines_not_told", 1.0 / (1 + f.DeclinesNotTold), HealthWeights.DeclinesNotTold, $"{f.DeclinesNotTold}",
                f.DeclinesNotTold == 0
                    ? $"No declined feedback is waiting to be explained ({f.DeclinesTold} decline(s) told why)."
                    : $"{f.DeclinesNotTold} declined piece(s) of feedback the business has not been told about: each one lowers this score further.");

    private static HealthSignal MaturityGap(Relationship r)
    {
        if (r.MaturityGap() is not { } gap)
        {
            return new HealthSignal("maturity_gap", null, HealthWeights.MaturityGap, "not assessed",
                "Maturity has not been assessed by both the business and IT.");
        }

        return new HealthSignal("maturity_gap", 1 - (Math.Abs(gap) / 4.0), HealthWeights.MaturityGap, $"{gap:+0;-0;0}",
            gap == 0
                ? "The business and IT rate the relationship at the same maturity level."
                : $"The business rates the relationship {Math.Abs(gap)} level(s) {(gap > 0 ? "higher" : "lower")} than IT does.");
    }
}

/// <summary>One relationship's row in the portfolio: its health now and the headline figures behind it.</summary>
/// <param name="Scores">The NPS and CSAT answers of the last <see cref="HealthQueries.ScoresWindowDays"/> days.</param>
public sealed record PortfolioRow(Relationship Relationship, HealthReport Health, ScaleScores Scores)
{
    /// <summary>Its health at the end of each month asked for, oldest first, now last (<see cref="HealthTrend"/>); empty when none were.</summary>
    public IReadOnlyList<MonthlyHealth> Trend { get; init; } = [];
}

public static class HealthQueries
{
    /// <summary>The most relationships one portfolio answer covers.</summary>
    public const int PortfolioRelationships = 1000;

    /// <summary>The portfolio's NPS and CSAT are of the answers received within this many days.</summary>
    public const int ScoresWindowDays = 365;

    /// <summary>
    /// Everything one relationship's health, now and in the past, is computed from (<see cref="HealthHistory"/>): its
    /// stream, every contact, its commitments, plan and feedback items, in five queries.
    /// </summary>
    public static async Task<HealthHistory> HealthHistoryAsync(
        this IQuerySession session, Guid relationshipId, HealthPolicy? policy, CancellationToken ct)
    {
        var events = await session.RelationshipEventsAsync([relationshipId], ct);
        var contacts = await session.ContactsAsync([relationshipId], ct);
        var commitments = await session.AllCommitmentsAsync(new CommitmentFilter(RelationshipId: relationshipId), ct);
        var plan = await session.GetPlanAsync(relationshipId, ct);
        var feedback = await session.FeedbackOfAsync([relationshipId], receivedBy: null, openOnly: false, ct);
        return new HealthHistory([.. events[relationshipId]], [.. contacts[relationshipId]], commitments, plan, feedback, policy);
    }

    /// <summary>
    /// Every relationship of one manager (or all), not archived, carrying every tag of <paramref name="tags"/> (if any),
    /// each with its health now: a handful of queries for the lot. With <paramref name="trend"/> months, each also with
    /// its health at the end of each of them (<see cref="HealthTrend"/>): two queries more (the relationships' streams and
    /// every contact), whatever the number of months.
    /// </summary>
    public static async Task<IReadOnlyList<PortfolioRow>> PortfolioAsync(
        this IQuerySession session, string? manager, DateTimeOffset now, CancellationToken ct, IReadOnlyCollection<string>? tags = null,
        HealthPolicy? policy = null, IReadOnlyList<MonthEnd>? trend = null)
    {
        var relationships = await session.ListAsync(
            manager, includeArchived: false, afterName: null, afterId: Guid.Empty, PortfolioRelationships + 1, ct, tags);
        if (relationships.Count > PortfolioRelationships)
        {
            throw DomainException.Limit($"the portfolio covers at most {PortfolioRelationships} relationships: ask for one manager's");
        }

        var ids = relationships.Select(r => r.Id).ToList();
        var contacts = await session.LastContactsAsync(ids, now, ct);
        var commitments = (await session.QueryAsync<Commitment>(
            $"select d.data from {BrmDomain.Schema}.mt_doc_commitment as d where d.relationship_id = any(?)", ct, ids.ToArray()))
            .ToLookup(c => c.RelationshipId);
        var plans = (await session.PlansAsync(ids, ct)).ToDictionary(p => p.RelationshipId);
        var feedback = (await session.FeedbackOfAsync(ids, receivedBy: null, openOnly: false, ct)).ToLookup(f => f.RelationshipId);
        var rows = relationships.Select(r => new PortfolioRow(
            r,
            Health.Compute(new HealthInputs(r, contacts, [.. commitments[r.Id]], plans.GetValueOrDefault(r.Id), [.. feedback[r.Id]], now, policy)),
            ScaleScores.From(feedback[r.Id].Where(f => f.ReceivedAt > now.AddDays(-ScoresWindowDays))))).ToList();
        if (trend is not { Count: > 0 })
        {
            return rows;
        }

        var events = await session.RelationshipEventsAsync(ids, ct);
        var allContacts = await session.ContactsAsync(ids, ct);
        return [.. rows.Select(row =>
        {
            var id = row.Relationship.Id;
            var history = new HealthHistory([.. events[id]], [.. allContacts[id]], [.. commitments[id]], plans.GetValueOrDefault(id), [.. feedback[id]], policy);
            return row with { Trend = HealthTrend.Of(history, row.Health, trend) };
        })];
    }
}
