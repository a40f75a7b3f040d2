namespace Brm.Domain.Meetings;

// The Meeting stream: one per meeting or conversation, each event carrying its relationship. Past tense,
// stream id first, who and when last.

/// <summary>Every event of the Meeting stream; Marten, the projection, the feed and the timeline are driven by this list.</summary>
public static class MeetingEvents
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(MeetingScheduled),
        typeof(MeetingRescheduled),
        typeof(MeetingHeld),
        typeof(ConversationLogged),
        typeof(MeetingCancelled),
        typeof(MeetingTagsChanged),
        typeof(MeetingInvitationSent),
        typeof(MeetingInvitationFailed),
    ];
}

public sealed record MeetingScheduled(
    Guid MeetingId,
    Guid RelationshipId,
    MeetingKind Kind,
    string Topic,
    DateTimeOffset Start,
    int DurationMinutes,
    IReadOnlyList<Guid> InvitedStakeholderIds,
    string Organiser,
    string ScheduledBy,
    DateTimeOffset ScheduledAt)
{
    /// <summary>Where it takes place (a room, an address, a call's link); null when not given.</summary>
    public string? Location { get; init; }
}

public sealed record MeetingRescheduled(
    Guid MeetingId,
    Guid RelationshipId,
    DateTimeOffset PreviousStart,
    DateTimeOffset Start,
    string? Reason,
    string RescheduledBy,
    DateTimeOffset RescheduledAt);

/// <summary>A scheduled meeting took place, at <paramref name="HeldAt"/>; recorded at <paramref name="RecordedAt"/>.</summary>
public sealed record MeetingHeld(
    Guid MeetingId,
    Guid RelationshipId,
    DateTimeOffset HeldAt,
    Conversation Conversation,
    string RecordedBy,
    DateTimeOffset RecordedAt);

/// <summary>A conversation nobody scheduled took place, at <paramref name="HeldAt"/>; logged at <paramref name="LoggedAt"/>.</summary>
public sealed record ConversationLogged(
    Guid MeetingId,
    Guid RelationshipId,
    MeetingKind Kind,
    string? Topic,
    DateTimeOffset HeldAt,
    Conversation Conversation,
    string LoggedBy,
    DateTimeOffset LoggedAt);

public sealed record MeetingCancelled(Guid MeetingId, Guid RelationshipId, string Reason, string CancelledBy, DateTimeOffset CancelledAt);

/// <summary>Tags added to (and removed from) a meeting: a change that changes nothing is not recorded.</summary>
public sealed record MeetingTagsChanged(
    Guid MeetingId, Guid RelationshipId, IReadOnlyList<string> Added, IReadOnlyList<string> Removed, string ChangedBy, DateTimeOffset ChangedAt);

/// <summary>
/// The meeting as it stood at <paramref name="Sequence"/> (<see cref="Meeting.Sequence"/>) was emailed to the stakeholder as
/// an iCalendar invitation (METHOD:REQUEST) or, with <paramref name="Cancellation"/>, its cancellation (METHOD:CANCEL). The
/// address is the stakeholder's and is not recorded.
/// </summary>
public sealed record MeetingInvitationSent(
    Guid MeetingId, Guid RelationshipId, Guid StakeholderId, int Sequence, bool Cancellation, string MessageId, string SentBy, DateTimeOffset SentAt);

/// <summary>The invitation (or cancellation) at <paramref name="Sequence"/> could not be delivered to the stakeholder, for good: <paramref name="Reason"/>.</summary>
public sealed record MeetingInvitationFailed(
    Guid MeetingId, Guid RelationshipId, Guid StakeholderId, int Sequence, bool Cancellation, string Reason, string FailedBy, DateTimeOffset FailedAt);
