using Brm.Domain.Commitments;
using Brm.Domain.CommunicationPlans;
using Brm.Domain.Feedback;
using Brm.Domain.Meetings;
using Brm.Domain.Outreach;
using Brm.Domain.Relationships;

namespace Brm.Domain.Tests;

/// <summary>The SendUpdate decision on its own: what an update tells, and the rules that refuse it.</summary>
public sealed class UpdateDeciderSpecs
{
    private static readonly Guid Finance = Guid.NewGuid();
    private static readonly Guid Item = Guid.NewGuid();
    private static readonly Guid Ana = Guid.NewGuid();
    private static readonly DateTimeOffset Registered = new(2026, 10, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 10, 30, 9, 0, 0, TimeSpan.Zero);
    private const string Brm = "brm.jane";

    private static readonly Relationship Relationship = Fold<Relationship>(
        new DepartmentRegistered(Finance, "finance", "Finance", Brm, Brm, Registered),
        new StakeholderAdded(Finance, Ana, "Ana", "Clerk", StakeholderLevel.Staff, "ana@finance.example", Degree.High, Degree.High, Brm, Registered));

    private static readonly CommunicationPlan Plan = Fold<CommunicationPlan>(new PlanItemAdded(
        CommunicationPlan.IdFor(Finance), Finance, Item, "IT update", null, Channel.Email, "all staff", Cadence.Monthly, Brm,
        DateOnly.FromDateTime(Registered.UtcDateTime), Brm, Registered));

    private static T Fold<T>(params object[] events)
        where T : class, IEventSourced<T> =>
        events.Aggregate((T?)null, T.Fold)!;

    private static Commitment Commitment(params Func<Guid, object>[] then)
    {
        var id = Guid.NewGuid();
        object[] made =
        [
            new CommitmentMade(id, Finance, "Month-end fix", null, "omar.it", new DateOnly(2026, 10, 20), CommitmentDirection.ItToBusiness,
                new CommitmentSource(SourceKind.Other, null, "asked"), true, Brm, Registered),
        ];
        return Fold<Commitment>([.. made, .. then.Select(e => e(id))]);
    }

    private static SendUpdate Send(params UpdateFact[] facts) => new(
        Guid.NewGuid(), Guid.NewGuid(), Finance, Item, null, null, "October", "Body", facts, [], [], Brm, Now);

    private static UpdateSending Decide(SendUpdate command, params Commitment[] commitments) => UpdateDecider.Decide(command, new UpdateSources(
        Relationship, Plan, commitments.ToDictionary(c => c.Id), new Dictionary<Guid, FeedbackItem>(), new Dictionary<Guid, Meeting>()));

    [Fact]
    public void Given_a_renegotiated_commitment_since_delivered_when_reported_renegotiated_then_the_business_is_not_told_it_was_delivered()
    {
        var commitment = Commitment(
            id => new DueDateRenegotiated(id, Finance, new DateOnly(2026, 10, 20), new DateOnly(2026, 10, 25), "supplier late", null, Brm, Now.AddDays(-20)),
            id => new CommitmentDelivered(id, Finance, null, Brm, Now.AddDays(-1)));

        var sending = Decide(Send(new UpdateFact(UpdateFactKind.CommitmentRenegotiated, commitment.Id)), commitment);

        Assert.Empty(sending.Informed);
    }

    [Fact]
    public void Given_a_delivered_commitment_reported_twice_when_sent_then_it_is_told_once_with_the_update_as_cause()
    {
        var commitment = Commitment(id => new CommitmentDelivered(id, Finance, null, Brm, Now.AddDays(-1)));
        var command = Send(new UpdateFact(UpdateFactKind.CommitmentDelivered, commitment.Id), new UpdateFact(UpdateFactKind.CommitmentDelivered, commitment.Id));

        var sending = Decide(command, commitment);

        var told = Assert.Single(sending.Informed);
        Assert.Equal((CommitmentOutcome.Delivered, command.UpdateId, "Told in the update: October"), (told.Outcome, told.UpdateId, told.Message));
        Assert.Equal([Ana], told.StakeholderIds);
        Assert.Single(sending.Sent.Facts);
        Assert.Equal((command.UpdateId, Item, "October"), (sending.Communication.UpdateId, sending.Communication.PlanItemId, sending.Communication.Summary));
    }

    [Fact]
    public void Given_no_period_when_sent_then_it_is_the_month_ending_today()
    {
        var sending = Decide(Send());

        Assert.Equal((new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 30)), (sending.Sent.PeriodFrom, sending.Sent.PeriodTo));
    }

    [Fact]
    public void Given_a_period_over_366_days_when_sent_then_fails()
    {
        var failure = Assert.Throws<DomainException>(() => Decide(Send() with { PeriodFrom = new DateOnly(2025, 10, 28), PeriodTo = new DateOnly(2026, 10, 30) }));

        Assert.Equal(DomainError.RuleBroken, failure.Error);
    }

    [Fact]
    public void Given_more_default_recipients_than_an_update_takes_when_sent_then_fails_as_a_limit()
    {
        var crowd = Enumerable.Range(0, OutreachLimits.SentRecipients).Select(i => (object)new StakeholderAdded(
            Finance, Guid.NewGuid(), $"Person {i}", "Clerk", StakeholderLevel.Staff, $"p{i}@finance.example", Degree.Low, Degree.Low, Brm, Registered));
        var relationship = crowd.Aggregate(Relationship, Relationship.Fold);

        var failure = Assert.Throws<DomainException>(() => UpdateDecider.Decide(Send(), new UpdateSources(
            relationship, Plan, new Dictionary<Guid, Commitment>(), new Dictionary<Guid, FeedbackItem>(), new Dictionary<Guid, Meeting>())));

        Assert.Equal(DomainError.LimitExceeded, failure.Error);
    }
}
