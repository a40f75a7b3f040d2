using Brm.Domain.Relationships;
using Brm.Domain.Reporting;

namespace Brm.Domain.Tests;

/// <summary>
/// The two questions (what information do you need from IT, how do you want to hear it): confirming the answers,
/// and the health signal that says whether they are on record and current, against a controlled moment.
/// </summary>
public sealed class TwoQuestionsSpecs
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly Guid Need = Guid.NewGuid();
    private static readonly DateTimeOffset Asked = new(2025, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private const string Brm = "brm.jane";

    private static readonly DepartmentRegistered Registered = new(Id, "finance", "Finance", Brm, Brm, Asked.AddDays(-30));

    private static readonly StakeholderAdded AliceAdded = new(
        Id, Guid.NewGuid(), "Alice Smith", "CFO", StakeholderLevel.Executive, null, Degree.High, Degree.High, Brm, Asked.AddDays(-30));

    private static readonly InformationNeedRecorded NeedRecorded = new(Id, Need, "Month-end close status", Priority.High, null, Brm, Asked);

    private static readonly CommunicationPreferenceRecorded PreferenceRecorded = new(Id, Channel.Email, "everyone", null, Brm, Asked);

    private static Spec<Relationship, RelationshipCommand> Spec() => new(RelationshipDecider.Decide);

    private static HealthSignal Signal(DateTimeOffset at, HealthPolicy? policy, params object[] events)
    {
        var relationship = events.Aggregate((Relationship?)null, Relationship.Fold)!;
        var report = Health.Compute(new HealthInputs(relationship, new Dictionary<Guid, Meetings.Contact>(), [], null, [], at, policy));
        return report.Signals.Single(s => s.Name == "two_questions");
    }

    [Fact]
    public void Given_needs_on_record_when_reviewed_then_needs_and_preferences_reviewed() =>
        Spec().Given(Registered, NeedRecorded).When(new ReviewNeedsAndPreferences(Id, Brm, Asked.AddMonths(11)))
            .Then(new NeedsAndPreferencesReviewed(Id, Brm, Asked.AddMonths(11)));

    [Fact]
    public void Given_a_review_when_reviewed_again_then_reviewed_again() =>
        Spec().Given(Registered, PreferenceRecorded, new NeedsAndPreferencesReviewed(Id, Brm, Asked.AddDays(1)))
            .When(new ReviewNeedsAndPreferences(Id, Brm, Asked.AddDays(2)))
            .Then(new NeedsAndPreferencesReviewed(Id, Brm, Asked.AddDays(2)));

    [Fact]
    public void Given_no_answers_on_record_when_reviewed_then_fails() =>
        Spec().Given(Registered, NeedRecorded, new InformationNeedRetired(Id, Need, "done", Brm, Asked))
            .When(new ReviewNeedsAndPreferences(Id, Brm, Asked)).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_archived_when_reviewed_then_fails() =>
        Spec().Given(Registered, NeedRecorded, new RelationshipArchived(Id, "merged", Brm, Asked))
            .When(new ReviewNeedsAndPreferences(Id, Brm, Asked)).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Both_answers_asked_within_the_period_score_full_up_to_the_same_moment_a_year_later()
    {
        var atBoundary = Signal(Asked.AddMonths(12), null, Registered, NeedRecorded, PreferenceRecorded);
        var justAfter = Signal(Asked.AddMonths(12).AddTicks(1), null, Registered, NeedRecorded, PreferenceRecorded);

        Assert.Equal((1.0, 10.0, "2/2, 365 days ago"), (atBoundary.Score, atBoundary.Weight, atBoundary.Value));
        Assert.Equal(0.0, justAfter.Score);
        Assert.Contains("more than 12 months", justAfter.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void The_period_comes_from_the_policy()
    {
        var events = new object[] { Registered, NeedRecorded, PreferenceRecorded };

        Assert.Equal(1.0, Signal(Asked.AddMonths(6), new HealthPolicy(6), events).Score);
        Assert.Equal(0.0, Signal(Asked.AddMonths(6).AddDays(1), new HealthPolicy(6), events).Score);
        Assert.Equal(1.0, Signal(Asked.AddMonths(6).AddDays(1), null, events).Score);
    }

    [Fact]
    public void One_answer_on_record_scores_half_and_says_which_question_to_ask()
    {
        var needsOnly = Signal(Asked.AddDays(10), null, Registered, NeedRecorded);
        var preferencesOnly = Signal(Asked.AddDays(10), null, Registered, PreferenceRecorded);

        Assert.Equal((0.5, "1/2, 10 days ago"), (needsOnly.Score, needsOnly.Value));
        Assert.Contains("ask how the department wants to hear from IT", needsOnly.Explanation, StringComparison.Ordinal);
        Assert.Equal(0.5, preferencesOnly.Score);
        Assert.Contains("ask what information the department needs from IT", preferencesOnly.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_review_keeps_the_answers_current_and_so_does_a_change_to_them()
    {
        var later = Asked.AddMonths(12).AddDays(1);
        var reviewed = new NeedsAndPreferencesReviewed(Id, Brm, Asked.AddMonths(6));
        var retired = new InformationNeedRetired(Id, Need, "no longer needed", Brm, Asked.AddMonths(7));
        var another = NeedRecorded with { InformationNeedId = Guid.NewGuid(), RecordedAt = Asked };

        Assert.Equal(1.0, Signal(later, null, Registered, NeedRecorded, PreferenceRecorded, reviewed).Score);
        Assert.Equal(1.0, Signal(later, null, Registered, NeedRecorded, another, PreferenceRecorded, retired).Score);
        Assert.Equal(
            Asked.AddMonths(7),
            Health.Compute(new HealthInputs(
                new object[] { Registered, NeedRecorded, another, PreferenceRecorded, reviewed, retired }.Aggregate((Relationship?)null, Relationship.Fold)!,
                new Dictionary<Guid, Meetings.Contact>(), [], null, [], later)).Headlines.TwoQuestionsAskedAt);
    }

    [Fact]
    public void Never_asked_scores_nothing_once_there_is_someone_to_ask_and_has_no_data_before()
    {
        var nobody = Signal(Asked, null, Registered);
        var alice = Signal(Asked, null, Registered, AliceAdded);

        Assert.Null(nobody.Score);
        Assert.Equal((0.0, "never asked"), (alice.Score, alice.Value));
        Assert.Null(Health.Compute(new HealthInputs(
            Relationship.Fold(null, Registered), new Dictionary<Guid, Meetings.Contact>(), [], null, [], Asked)).Headlines.TwoQuestionsAskedAt);
    }

    [Fact]
    public void The_weights_still_sum_to_100() =>
        Assert.Equal(100, Health.Compute(new HealthInputs(
            Relationship.Fold(null, Registered), new Dictionary<Guid, Meetings.Contact>(), [], null, [], Asked)).Signals.Sum(s => s.Weight));
}
