using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Brm.Domain.Tags;

namespace Brm.Domain.Meetings;

// The numbers match the brm.v1 enums, 0 being "unspecified" there and never valid here.

public enum MeetingKind
{
    FaceToFace = 1,
    TeamMeetingSlot = 2,
    CoffeeChat = 3,
    ServiceReview = 4,
    Workshop = 5,
    Remote = 6,
}

public enum MeetingStatus
{
    Scheduled = 1,
    Held = 2,
    Cancelled = 3,
}

public enum RaisedPointKind
{
    Concern = 1,
    Request = 2,
    Praise = 3,
}

/// <summary>A point the business raised, kept verbatim; <paramref name="Kind"/> is null when not marked.</summary>
public sealed record RaisedPoint(string Text, RaisedPointKind? Kind);

/// <summary>
/// The two-way record of a contact between IT and the business: who took part on each side, what IT shared
/// and what the business raised. A held meeting and a logged conversation carry the same.
/// </summary>
public sealed record Conversation(
    IReadOnlyList<Guid> StakeholderIds,
    IReadOnlyList<string> ItAttendees,
    string? ItShared,
    IReadOnlyList<RaisedPoint> BusinessRaised,
    string? Notes);

public sealed record Reschedule(DateTimeOffset PreviousStart, DateTimeOffset Start, string? Reason, string RescheduledBy, DateTimeOffset RescheduledAt);

public sealed record MeetingSchedule(
    DateTimeOffset Start,
    int DurationMinutes,
    IReadOnlyList<Guid> InvitedStakeholderIds,
    string Organiser,
    ImmutableList<Reschedule> Reschedules)
{
    /// <summary>Where it takes place; null when not given.</summary>
    public string? Location { get; init; }
}

/// <summary>
/// What was last emailed to one invited stakeholder: the meeting at <paramref name="Sequence"/>, as an invitation or (with
/// <paramref name="Cancellation"/>) its cancellation; <paramref name="Sent"/> at <paramref name="At"/>, or failed then for
/// <paramref name="FailureReason"/>.
/// </summary>
public sealed record MeetingInvitation(Guid StakeholderId, int Sequence, bool Cancellation, bool Sent, DateTimeOffset At, string? FailureReason = null);

public sealed record HeldConversation(DateTimeOffset HeldAt, Conversation Conversation, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record Cancellation(string Reason, string CancelledBy, DateTimeOffset CancelledAt);

/// <summary>
/// A meeting or conversation, as its events made it: the state decisions read and, stored inline by Marten,
/// the document GetMeeting, ListMeetings and coverage read. <see cref="Schedule"/> is null for a conversation
/// nobody scheduled; <see cref="Held"/> is set once it took place.
/// </summary>
[DuplicatedWithoutIndex(nameof(RelationshipId))]
public sealed record Meeting(
    Guid Id,
    Guid RelationshipId,
    MeetingKind Kind,
    string? Topic,
    MeetingStatus Status,
    DateTimeOffset OccursAt,
    MeetingSchedule? Schedule,
    HeldConversation? Held,
    Cancellation? Cancellation,
    DateTimeOffset RecordedAt,
    DateTimeOffset UpdatedAt,
    long Version) : IEventSourced<Meeting>
{
    /// <summary>
    /// Every stakeholder the meeting involves, invited or present. Stored with the document (and GIN-indexed)
    /// for ListMeetings' stakeholder filter; read back, it is computed again.
    /// </summary>
    public IReadOnlyList<Guid> StakeholderIds =>
        [.. (Schedule?.InvitedStakeholderIds ?? []).Union(Held?.Conversation.StakeholderIds ?? [])];

    /// <summary>The tags it carries, sorted (see <see cref="Brm.Domain.Tags.Tagging"/>).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>What was last emailed to each invited stakeholder (iCalendar invitations), in the order first sent.</summary>
    public IReadOnlyList<MeetingInvitation> Invitations { get; init; } = [];

    /// <summary>
    /// How many times the organiser changed the meeting since it was scheduled (each move, and the cancellation): its
    /// iCalendar SEQUENCE, the same in the BRM's feed and in the invitations, so that a client replaces what it holds.
    /// Tags and recorded invitations change the stream, not the meeting an attendee sees, and do not count.
    /// </summary>
    [JsonIgnore]
    public int Sequence => (Schedule?.Reschedules.Count ?? 0) + (Status == MeetingStatus.Cancelled ? 1 : 0);

    /// <summary>
    /// Who is still to be emailed the meeting as it stands: once cancelled, those last sent an invitation (never those who
    /// got none); while scheduled, each invited stakeholder not yet sent (or failed) this <see cref="Sequence"/>; nobody once
    /// held, or for a conversation nobody scheduled.
    /// </summary>
    public IReadOnlyList<Guid> InvitationsDue() => Status switch
    {
        MeetingStatus.Cancelled => [.. Invitations.Where(i => i is { Sent: true, Cancellation: false }).Select(i => i.StakeholderId)],
        MeetingStatus.Scheduled => [.. (Schedule?.InvitedStakeholderIds ?? []).Where(id => Invitations.FirstOrDefault(i => i.StakeholderId == id) is not { } last || last.Sequence < Sequence)],
        _ => [],
    };

    public Meeting WithVersion(long version) => this with { Version = version };

    public static Meeting Fold(Meeting? state, object @event) => (state, @event) switch
    {
        (null, MeetingScheduled e) => new Meeting(
            e.MeetingId, e.RelationshipId, e.Kind, e.Topic, MeetingStatus.Scheduled, e.Start,
            new MeetingSchedule(e.Start, e.DurationMinutes, e.InvitedStakeholderIds, e.Organiser, []) { Location = e.Location },
            null, null, e.ScheduledAt, e.ScheduledAt, 1),
        (null, ConversationLogged e) => new Meeting(
            e.MeetingId, e.RelationshipId, e.Kind, e.Topic, MeetingStatus.Held, e.HeldAt, null,
            new HeldConversation(e.HeldAt, e.Conversation, e.LoggedBy, e.LoggedAt), null, e.LoggedAt, e.LoggedAt, 1),
        (null, _) => throw new InvalidOperationException($"A meeting stream cannot start with {@event.GetType().Name}."),
        ({ Schedule: { } schedule } s, MeetingRescheduled e) => s with
        {
            OccursAt = e.Start,
            Schedule = schedule with
            {
                Start = e.Start,
                Reschedules = schedule.Reschedules.Add(new Reschedule(e.PreviousStart, e.Start, e.Reason, e.RescheduledBy, e.RescheduledAt)),
            },
            UpdatedAt = e.RescheduledAt,
        },
        ({ } s, MeetingHeld e) => s with
        {
            Status = MeetingStatus.Held,
            OccursAt = e.HeldAt,
            Held = new HeldConversation(e.HeldAt, e.Conversation, e.RecordedBy, e.RecordedAt),
            UpdatedAt = e.RecordedAt,
        },
        ({ } s, MeetingCancelled e) => s with
        {
            Status = MeetingStatus.Cancelled,
            Cancellation = new Cancellation(e.Reason, e.CancelledBy, e.CancelledAt),
            UpdatedAt = e.CancelledAt,
        },
        ({ } s, MeetingInvitationSent e) => s.WithInvitation(new MeetingInvitation(e.StakeholderId, e.Sequence, e.Cancellation, true, e.SentAt)),
        ({ } s, MeetingInvitationFailed e) => s.WithInvitation(new MeetingInvitation(e.StakeholderId, e.Sequence, e.Cancellation, false, e.FailedAt, e.Reason)),
        ({ } s, MeetingTagsChanged e) => s with { Tags = Tagging.Apply(s.Tags, e.Added, e.Removed), UpdatedAt = e.ChangedAt },
        ({ } s, _) => s,
    };

    private Meeting WithInvitation(MeetingInvitation invitation) => this with
    {
        Invitations = Invitations.Any(i => i.StakeholderId == invitation.StakeholderId)
            ? [.. Invitations.Select(i => i.StakeholderId == invitation.StakeholderId ? invitation : i)]
            : [.. Invitations, invitation],
    };
}
