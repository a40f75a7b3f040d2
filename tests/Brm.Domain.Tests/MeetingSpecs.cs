using Brm.Domain.Meetings;
using Brm.Domain.Relationships;

namespace Brm.Domain.Tests;

public sealed class MeetingSpecs
{
    private static readonly Guid Finance = Guid.NewGuid();
    private static readonly Guid Meeting = Guid.NewGuid();
    private static readonly Guid Alice = Guid.NewGuid();
    private static readonly Guid Bob = Guid.NewGuid();
    private static readonly Guid Gone = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Yesterday = Now.AddDays(-1);
    private static readonly DateTimeOffset Tomorrow = Now.AddDays(1);
    private const string Brm = "brm.jane";

    private static readonly object[] FinanceEvents =
    [
        new DepartmentRegistered(Finance, "finance", "Finance", Brm, Brm, Yesterday),
        new StakeholderAdded(Finance, Alice, "Alice", "CFO", StakeholderLevel.Executive, null, Degree.High, Degree.High, Brm, Yesterday),
        new StakeholderAdded(Finance, Bob, "Bob", "Clerk", StakeholderLevel.Staff, null, Degree.Low, Degree.High, Brm, Yesterday),
        new StakeholderAdded(Finance, Gone, "Gina", "Analyst", StakeholderLevel.Staff, null, Degree.Low, Degree.Low, Brm, Yesterday),
        new StakeholderRemoved(Finance, Gone, "left", Brm, Yesterday),
    ];

    private static readonly Conversation Talk = new(
        [Alice, Bob], ["Omar (service desk)"], "the new expense tool goes live in March",
        [new RaisedPoint("  Month-end close is slow  ", RaisedPointKind.Concern), new RaisedPoint("thanks for the VPN fix", null)],
        "follow up on month-end");

    private static readonly MeetingScheduled ScheduledYesterday = new(
        Meeting, Finance, MeetingKind.TeamMeetingSlot, "IT update", Yesterday, 15, [Alice], "brm.jane", Brm, Yesterday.AddDays(-7));

    private static Relationship Relationship(params object[] more) =>
        FinanceEvents.Concat(more).Aggregate((Relationship?)null, Relationships.Relationship.Fold)!;

    private static Spec<Meeting, MeetingCommand> Spec(Relationship? relationship = null) =>
        new((command, state) => MeetingDecider.Decide(command, state, relationship ?? Relationship()));

    private static ScheduleMeeting Schedule(params Guid[] invited) =>
        new(Meeting, Finance, MeetingKind.TeamMeetingSlot, "IT update", Yesterday, 15, invited, "brm.jane", Brm, Yesterday.AddDays(-7));

    private static LogConversation Log(DateTimeOffset? heldAt, Conversation? conversation = null) =>
        new(Meeting, Finance, MeetingKind.CoffeeChat, null, heldAt, conversation ?? Talk, Brm, Now);

    private static HoldMeeting Hold(DateTimeOffset? heldAt = null, Conversation? conversation = null) =>
        new(Meeting, heldAt, conversation ?? Talk, Brm, Now);

    [Fact]
    public void Given_nothing_when_scheduled_then_meeting_scheduled() =>
        Spec().When(Schedule(Alice)).Then(ScheduledYesterday);

    [Fact]
    public void Given_archived_relationship_when_scheduled_then_fails_rule() =>
        Assert.Contains("archived", Spec(Relationship(new RelationshipArchived(Finance, "merged", Brm, Yesterday)))
            .When(Schedule(Alice)).ThenFails(DomainError.RuleBroken).Message, StringComparison.Ordinal);

    [Fact]
    public void Given_removed_stakeholder_when_invited_then_fails_rule() =>
        Spec().When(Schedule(Alice, Gone)).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_stakeholder_of_another_relationship_when_invited_then_fails_not_found() =>
        Spec().When(Schedule(Guid.NewGuid())).ThenFails(DomainError.NotFound);

    [Fact]
    public void Given_nothing_when_conversation_logged_without_a_time_then_it_happened_now() =>
        Spec().When(Log(heldAt: null))
            .Then(new ConversationLogged(Meeting, Finance, MeetingKind.CoffeeChat, null, Now, Talk, Brm, Now));

    [Fact]
    public void Given_nothing_when_conversation_logged_in_the_future_then_fails_rule() =>
        Assert.Contains("future", Spec().When(Log(Now.AddSeconds(1))).ThenFails(DomainError.RuleBroken).Message, StringComparison.Ordinal);

    [Fact]
    public void Given_archived_relationship_when_conversation_logged_then_fails_rule() =>
        Spec(Relationship(new RelationshipArchived(Finance, "merged", Brm, Yesterday))).When(Log(Yesterday))
            .ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_removed_stakeholder_when_conversation_logged_with_them_then_fails_rule() =>
        Assert.Contains("removed", Spec().When(Log(Yesterday, Talk with { StakeholderIds = [Gone] }))
            .ThenFails(DomainError.RuleBroken).Message, StringComparison.Ordinal);

    [Fact]
    public void Given_scheduled_when_held_without_a_time_then_held_at_its_scheduled_start() =>
        Spec().Given(ScheduledYesterday).When(Hold())
            .Then(new MeetingHeld(Meeting, Finance, Yesterday, Talk, Brm, Now));

    [Fact]
    public void Given_scheduled_when_held_exactly_now_then_held() =>
        Spec().Given(ScheduledYesterday).When(Hold(Now)).Then(new MeetingHeld(Meeting, Finance, Now, Talk, Brm, Now));

    [Fact]
    public void Given_scheduled_when_held_in_the_future_then_fails_rule() =>
        Spec().Given(ScheduledYesterday).When(Hold(Now.AddTicks(10))).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_scheduled_for_tomorrow_when_held_without_a_time_then_fails_rule() =>
        Spec().Given(ScheduledYesterday with { Start = Tomorrow }).When(Hold()).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_scheduled_when_held_with_an_uninvited_current_stakeholder_then_held() =>
        Spec().Given(ScheduledYesterday).When(Hold(conversation: Talk with { StakeholderIds = [Bob] }))
            .Then(new MeetingHeld(Meeting, Finance, Yesterday, Talk with { StakeholderIds = [Bob] }, Brm, Now));

    [Fact]
    public void Given_scheduled_when_held_with_a_removed_stakeholder_then_fails_rule() =>
        Spec().Given(ScheduledYesterday).When(Hold(conversation: Talk with { StakeholderIds = [Alice, Gone] }))
            .ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_scheduled_when_held_with_someone_who_is_no_stakeholder_then_fails_not_found() =>
        Spec().Given(ScheduledYesterday).When(Hold(conversation: Talk with { StakeholderIds = [Guid.NewGuid()] }))
            .ThenFails(DomainError.NotFound);

    [Fact]
    public void Given_held_when_held_again_then_fails_rule_held_once() =>
        Assert.Contains("held once", Spec().Given(ScheduledYesterday, new MeetingHeld(Meeting, Finance, Yesterday, Talk, Brm, Now))
            .When(Hold()).ThenFails(DomainError.RuleBroken).Message, StringComparison.Ordinal);

    [Fact]
    public void Given_logged_conversation_when_held_then_fails_rule_held_once() =>
        Spec().Given(new ConversationLogged(Meeting, Finance, MeetingKind.CoffeeChat, null, Yesterday, Talk, Brm, Now))
            .When(Hold()).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_cancelled_when_held_then_fails_rule() =>
        Assert.Contains("cancelled meeting cannot be held", Spec()
            .Given(ScheduledYesterday, new MeetingCancelled(Meeting, Finance, "clash", Brm, Yesterday))
            .When(Hold()).ThenFails(DomainError.RuleBroken).Message, StringComparison.Ordinal);

    [Fact]
    public void Given_scheduled_and_then_archived_relationship_when_held_then_held() =>
        Spec(Relationship(new RelationshipArchived(Finance, "merged", Brm, Now))).Given(ScheduledYesterday).When(Hold())
            .Then(new MeetingHeld(Meeting, Finance, Yesterday, Talk, Brm, Now));

    [Fact]
    public void Given_scheduled_when_rescheduled_then_rescheduled_from_the_old_start() =>
        Spec().Given(ScheduledYesterday).When(new RescheduleMeeting(Meeting, Tomorrow, "clash with month-end", Brm, Now))
            .Then(new MeetingRescheduled(Meeting, Finance, Yesterday, Tomorrow, "clash with month-end", Brm, Now));

    [Fact]
    public void Given_scheduled_when_rescheduled_to_the_same_start_then_nothing() =>
        Spec().Given(ScheduledYesterday).When(new RescheduleMeeting(Meeting, Yesterday, null, Brm, Now)).ThenNothing();

    [Fact]
    public void Given_held_when_rescheduled_then_fails_rule() =>
        Assert.Contains("held meeting cannot be rescheduled", Spec()
            .Given(ScheduledYesterday, new MeetingHeld(Meeting, Finance, Yesterday, Talk, Brm, Now))
            .When(new RescheduleMeeting(Meeting, Tomorrow, null, Brm, Now)).ThenFails(DomainError.RuleBroken).Message, StringComparison.Ordinal);

    [Fact]
    public void Given_cancelled_when_rescheduled_then_fails_rule() =>
        Spec().Given(ScheduledYesterday, new MeetingCancelled(Meeting, Finance, "clash", Brm, Yesterday))
            .When(new RescheduleMeeting(Meeting, Tomorrow, null, Brm, Now)).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_scheduled_when_cancelled_then_cancelled() =>
        Spec().Given(ScheduledYesterday).When(new CancelMeeting(Meeting, "the team meeting was dropped", Brm, Now))
            .Then(new MeetingCancelled(Meeting, Finance, "the team meeting was dropped", Brm, Now));

    [Fact]
    public void Given_cancelled_when_cancelled_again_then_nothing() =>
        Spec().Given(ScheduledYesterday, new MeetingCancelled(Meeting, Finance, "clash", Brm, Yesterday))
            .When(new CancelMeeting(Meeting, "again", Brm, Now)).ThenNothing();

    [Fact]
    public void Given_held_when_cancelled_then_fails_rule() =>
        Spec().Given(ScheduledYesterday, new MeetingHeld(Meeting, Finance, Yesterday, Talk, Brm, Now))
            .When(new CancelMeeting(Meeting, "too late", Brm, Now)).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_nothing_when_cancelled_then_fails_not_found() =>
        Spec().When(new CancelMeeting(Meeting, "never was", Brm, Now)).ThenFails(DomainError.NotFound);

    [Fact]
    public void Given_scheduled_rescheduled_and_held_then_it_occurs_when_held_and_involves_invitees_and_attendees()
    {
        var state = new object[]
        {
            ScheduledYesterday,
            new MeetingRescheduled(Meeting, Finance, Yesterday, Yesterday.AddHours(2), null, Brm, Yesterday),
            new MeetingHeld(Meeting, Finance, Yesterday.AddHours(3), Talk with { StakeholderIds = [Bob] }, Brm, Now),
        }.Aggregate((Meeting?)null, Meetings.Meeting.Fold)!;

        Assert.Equal(MeetingStatus.Held, state.Status);
        Assert.Equal(Yesterday.AddHours(3), state.OccursAt);
        Assert.Equal(Yesterday.AddHours(2), state.Schedule!.Start);
        Assert.Single(state.Schedule.Reschedules);
        Assert.Equal([Alice, Bob], state.StakeholderIds);
    }
}
