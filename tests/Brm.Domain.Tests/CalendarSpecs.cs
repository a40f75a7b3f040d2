using Brm.Domain.Calendar;
using Brm.Domain.Meetings;

namespace Brm.Domain.Tests;

/// <summary>A BRM's calendar feed (which address works) and whom a meeting's invitations are still owed to.</summary>
public sealed class CalendarSpecs
{
    private static readonly DateTimeOffset At = new(2026, 11, 18, 10, 0, 0, TimeSpan.Zero);

    private static CalendarFeed? Feed(CalendarFeed? state, object command) =>
        CalendarFeedDecider.Decide(command, state).Aggregate(state, (s, e) => CalendarFeed.Fold(s, e));

    [Fact]
    public void Each_issue_makes_a_new_generation_and_only_the_last_opens_the_feed_until_it_is_revoked()
    {
        var first = Feed(null, new IssueCalendarFeed("jo", "jo", At))!;
        var second = Feed(first, new IssueCalendarFeed("jo", "jo", At.AddDays(1)))!;

        Assert.Equal((CalendarFeed.IdFor("jo"), 1L, 2L), (first.Id, first.Generation, second.Generation));
        Assert.True(first.Opens(1));
        Assert.False(second.Opens(1));
        Assert.True(second.Opens(2));

        var revoked = Feed(second, new RevokeCalendarFeed("jo", "admin", At.AddDays(2)))!;
        Assert.False(revoked.Opens(2));
        Assert.Equal(At.AddDays(2), revoked.RevokedAt);
        Assert.Empty(CalendarFeedDecider.Decide(new RevokeCalendarFeed("jo", "jo", At.AddDays(3)), revoked));
        Assert.Empty(CalendarFeedDecider.Decide(new RevokeCalendarFeed("jo", "jo", At.AddDays(3)), null));
        Assert.True(Feed(revoked, new IssueCalendarFeed("jo", "jo", At.AddDays(4)))!.Opens(3));
    }

    [Fact]
    public void Invitations_go_to_whoever_has_not_had_this_version_and_a_cancellation_only_to_those_invited()
    {
        var (ana, ben, cy) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var id = Guid.NewGuid();
        var meeting = Meeting.Fold(null, new MeetingScheduled(id, Guid.NewGuid(), MeetingKind.Workshop, "Roadmap", At, 60, [ana, ben, cy], "jo", "jo", At));
        Assert.Equal([ana, ben, cy], meeting.InvitationsDue());

        meeting = Meeting.Fold(meeting, new MeetingInvitationSent(id, meeting.RelationshipId, ana, 0, false, "m1", "outreach", At));
        meeting = Meeting.Fold(meeting, new MeetingInvitationFailed(id, meeting.RelationshipId, ben, 0, false, "no address", "outreach", At));
        Assert.Equal([cy], meeting.InvitationsDue()); // a failure is final for that version

        meeting = Meeting.Fold(meeting, new MeetingRescheduled(id, meeting.RelationshipId, At, At.AddDays(1), null, "jo", At));
        Assert.Equal(1, meeting.Sequence);
        Assert.Equal([ana, ben, cy], meeting.InvitationsDue());

        meeting = Meeting.Fold(meeting, new MeetingInvitationSent(id, meeting.RelationshipId, ana, 1, false, "m2", "outreach", At));
        meeting = Meeting.Fold(meeting, new MeetingCancelled(id, meeting.RelationshipId, "budget", "jo", At));
        Assert.Equal(2, meeting.Sequence);
        Assert.Equal([ana], meeting.InvitationsDue());

        meeting = Meeting.Fold(meeting, new MeetingInvitationSent(id, meeting.RelationshipId, ana, 2, true, "m3", "outreach", At));
        Assert.Empty(meeting.InvitationsDue());
        Assert.Equal(2, meeting.Invitations.Count); // Ana and Ben: Cy was never sent anything
    }
}
