using Brm.Domain.Commitments;
using Brm.Domain.Relationships;

namespace Brm.Domain.Tests;

public sealed class CommitmentSpecs
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly Guid Finance = Guid.NewGuid();
    private static readonly Guid Alice = Guid.NewGuid();
    private static readonly Guid Meeting = Guid.NewGuid();
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Friday = new(2026, 11, 6);
    private const string Brm = "brm.jane";

    private static readonly Relationship Relationship = new object[]
    {
        new DepartmentRegistered(Finance, "finance", "Finance", Brm, Brm, Monday.AddDays(-30)),
        new StakeholderAdded(Finance, Alice, "Alice Smith", "CFO", StakeholderLevel.Executive, null, Degree.High, Degree.High, Brm, Monday.AddDays(-30)),
    }.Aggregate((Relationship?)null, Relationship.Fold)!;

    private static readonly CommitmentMade Made = new(
        Id, Finance, "Monthly outage summary", null, "omar", Friday, CommitmentDirection.ItToBusiness,
        new CommitmentSource(SourceKind.Meeting, Meeting, null), true, Brm, Monday);

    private static Spec<Commitment, CommitmentCommand> Spec(Relationship? relationship = null) =>
        new((c, s) => CommitmentDecider.Decide(c, s, relationship ?? Relationship));

    private static MakeCommitment Make(DateOnly due, Guid? sourceRelationship = null) => new(
        Id, Finance, "Monthly outage summary", null, "omar", due, CommitmentDirection.ItToBusiness,
        new CommitmentSource(SourceKind.Meeting, Meeting, null), sourceRelationship ?? Finance, true, Brm, Monday);

    [Fact]
    public void Given_nothing_when_made_then_commitment_made() => Spec().When(Make(Friday)).Then(Made);

    [Fact]
    public void Given_nothing_when_made_due_today_then_commitment_made() =>
        Spec().When(Make(DateOnly.FromDateTime(Monday.UtcDateTime))).Then(Made with { DueDate = new DateOnly(2026, 11, 2) });

    [Fact]
    public void Given_nothing_when_made_due_yesterday_then_fails() =>
        Spec().When(Make(new DateOnly(2026, 11, 1))).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_a_meeting_of_another_relationship_when_made_from_it_then_fails() =>
        Assert.Contains("another relationship", Spec().When(Make(Friday, Guid.NewGuid())).ThenFails(DomainError.RuleBroken).Message,
            StringComparison.Ordinal);

    [Fact]
    public void Given_an_archived_relationship_when_made_then_fails() =>
        Spec(Relationship.Fold(Relationship, new RelationshipArchived(Finance, "merged", Brm, Monday)))
            .When(Make(Friday)).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_made_when_started_then_started() =>
        Spec().Given(Made).When(new StartCommitment(Id, Brm, Monday)).Then(new CommitmentStarted(Id, Finance, Brm, Monday));

    [Fact]
    public void Given_started_when_started_again_then_nothing() =>
        Spec().Given(Made, new CommitmentStarted(Id, Finance, Brm, Monday)).When(new StartCommitment(Id, Brm, Monday)).ThenNothing();

    [Fact]
    public void Given_made_when_renegotiated_with_a_reason_then_the_old_and_new_dates_are_kept() =>
        Spec().Given(Made).When(new RenegotiateCommitment(Id, Friday.AddDays(7), "supplier late", Alice, Brm, Monday))
            .Then(new DueDateRenegotiated(Id, Finance, Friday, Friday.AddDays(7), "supplier late", Alice, Brm, Monday));

    [Fact]
    public void Given_made_when_renegotiated_to_the_same_date_then_fails() =>
        Spec().Given(Made).When(new RenegotiateCommitment(Id, Friday, "no change", null, Brm, Monday)).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_made_when_renegotiated_into_the_past_then_fails() =>
        Spec().Given(Made).When(new RenegotiateCommitment(Id, new DateOnly(2026, 10, 30), "oops", null, Brm, Monday))
            .ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_made_when_renegotiated_with_an_unknown_stakeholder_then_fails_not_found() =>
        Spec().Given(Made).When(new RenegotiateCommitment(Id, Friday.AddDays(1), "x", Guid.NewGuid(), Brm, Monday))
            .ThenFails(DomainError.NotFound);

    [Fact]
    public void Given_made_when_delivered_earlier_than_recorded_then_delivered_at_that_time() =>
        Spec().Given(Made).When(new DeliverCommitment(Id, "sent", Monday.AddHours(2), Brm, Monday.AddHours(5)))
            .Then(new CommitmentDelivered(Id, Finance, "sent", Brm, Monday.AddHours(2)));

    [Fact]
    public void Given_made_when_delivered_in_the_future_then_fails() =>
        Spec().Given(Made).When(new DeliverCommitment(Id, null, Monday.AddHours(1), Brm, Monday)).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_delivered_when_cancelled_then_fails_because_delivered_is_final() =>
        Spec().Given(Made, new CommitmentDelivered(Id, Finance, null, Brm, Monday))
            .When(new CancelCommitment(Id, "changed our mind", Brm, Monday)).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_cancelled_when_delivered_then_fails_because_cancelled_is_final() =>
        Spec().Given(Made, new CommitmentCancelled(Id, Finance, "budget", Brm, Monday))
            .When(new DeliverCommitment(Id, null, null, Brm, Monday)).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_cancelled_when_the_business_is_informed_then_it_is_told_the_cancellation() =>
        Spec().Given(Made, new CommitmentCancelled(Id, Finance, "budget", Brm, Monday))
            .When(new RecordBusinessInformed(Id, Channel.Email, null, [Alice], "No budget this year, sorry", Brm, Monday))
            .Then(new BusinessInformed(Id, Finance, CommitmentOutcome.Cancelled, Channel.Email, [Alice], "No budget this year, sorry", Brm, Monday));

    [Fact]
    public void Given_renegotiated_when_the_business_is_informed_then_it_is_told_the_renegotiation() =>
        Spec().Given(Made, new DueDateRenegotiated(Id, Finance, Friday, Friday.AddDays(7), "late", null, Brm, Monday))
            .When(new RecordBusinessInformed(Id, Channel.Chat, null, [Alice], "a week later", Brm, Monday))
            .Then(new BusinessInformed(Id, Finance, CommitmentOutcome.Renegotiated, Channel.Chat, [Alice], "a week later", Brm, Monday));

    [Fact]
    public void Given_open_without_outcome_when_the_business_is_informed_then_fails() =>
        Spec().Given(Made).When(new RecordBusinessInformed(Id, Channel.Email, null, [Alice], "nothing yet", Brm, Monday))
            .ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_delivered_when_informed_of_a_stranger_then_fails_not_found() =>
        Spec().Given(Made, new CommitmentDelivered(Id, Finance, null, Brm, Monday))
            .When(new RecordBusinessInformed(Id, Channel.Email, null, [Guid.NewGuid()], "done", Brm, Monday))
            .ThenFails(DomainError.NotFound);

    [Fact]
    public void Given_nothing_when_started_then_fails_not_found() =>
        Spec().When(new StartCommitment(Id, Brm, Monday)).ThenFails(DomainError.NotFound);

    [Fact]
    public void On_time_means_delivered_on_or_before_the_due_date_in_force_and_overdue_is_derived_from_today()
    {
        var deliveredOnDueDay = Fold(Made, new CommitmentDelivered(Id, Finance, null, Brm, new DateTimeOffset(2026, 11, 6, 23, 0, 0, TimeSpan.Zero)));
        var deliveredLate = Fold(Made, new CommitmentDelivered(Id, Finance, null, Brm, new DateTimeOffset(2026, 11, 7, 0, 30, 0, TimeSpan.Zero)));
        var renegotiatedThenDelivered = Fold(Made, new DueDateRenegotiated(Id, Finance, Friday, Friday.AddDays(7), "late", null, Brm, Monday),
            new CommitmentDelivered(Id, Finance, null, Brm, Monday.AddDays(8)));
        var open = Fold(Made);

        Assert.True(deliveredOnDueDay.DeliveredOnTime());
        Assert.False(deliveredLate.DeliveredOnTime());
        Assert.True(renegotiatedThenDelivered.DeliveredOnTime());
        Assert.Equal(1, renegotiatedThenDelivered.Renegotiations);
        Assert.False(open.IsOverdue(Friday));
        Assert.True(open.IsOverdue(Friday.AddDays(1)));
        Assert.False(deliveredLate.IsOverdue(Friday.AddDays(30)));
    }

    [Fact]
    public void Figures_count_outcomes_and_the_share_of_closed_ones_told()
    {
        var late = Fold(Made with { CommitmentId = Guid.NewGuid() }, new CommitmentDelivered(Id, Finance, null, Brm, Monday.AddDays(6)),
            new BusinessInformed(Id, Finance, CommitmentOutcome.Delivered, Channel.Email, [Alice], "done", Brm, Monday.AddDays(7)));
        var cancelled = Fold(Made with { CommitmentId = Guid.NewGuid() }, new CommitmentCancelled(Id, Finance, "budget", Brm, Monday.AddDays(1)));
        var renegotiated = Fold(Made with { CommitmentId = Guid.NewGuid() },
            new DueDateRenegotiated(Id, Finance, Friday, Friday.AddDays(14), "late", null, Brm, Monday));

        var figures = CommitmentFigures.From([late, cancelled, renegotiated], Friday.AddDays(3));

        Assert.Equal((3, 1, 0, 0, 1, 1, 1, 2, 1), (figures.Total, figures.Open, figures.Overdue, figures.DeliveredOnTime, figures.DeliveredLate,
            figures.Cancelled, figures.Renegotiated, figures.Closed, figures.ClosedTold));
        Assert.Equal(0.5, figures.ToldShare);
        Assert.Equal(TimeSpan.FromDays(1), figures.MeanTimeToTell);
    }

    private static Commitment Fold(params object[] events) => events.Aggregate((Commitment?)null, Commitment.Fold)!;
}
