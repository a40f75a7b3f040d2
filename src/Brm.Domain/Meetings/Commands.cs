namespace Brm.Domain.Meetings;

/// <summary>A command on one meeting; who and when come from the edge (credential and clock).</summary>
public abstract record MeetingCommand(Guid MeetingId, string By, DateTimeOffset At);

public sealed record ScheduleMeeting(
    Guid MeetingId,
    Guid RelationshipId,
    MeetingKind Kind,
    string Topic,
    DateTimeOffset Start,
    int DurationMinutes,
    IReadOnlyList<Guid> InvitedStakeholderIds,
    string Organiser,
    string By,
    DateTimeOffset At) : MeetingCommand(MeetingId, By, At)
{
    /// <summary>Where it takes place; null when not given.</summary>
    public string? Location { get; init; }
}

public sealed record RescheduleMeeting(Guid MeetingId, DateTimeOffset Start, string? Reason, string By, DateTimeOffset At)
    : MeetingCommand(MeetingId, By, At);

public sealed record CancelMeeting(Guid MeetingId, string Reason, string By, DateTimeOffset At)
    : MeetingCommand(MeetingId, By, At);

/// <summary>A null <see cref="HeldAt"/> means the meeting's scheduled start.</summary>
public sealed record HoldMeeting(Guid MeetingId, DateTimeOffset? HeldAt, Conversation Conversation, string By, DateTimeOffset At)
    : MeetingCommand(MeetingId, By, At);

/// <summary>A null <see cref="HeldAt"/> means now (<see cref="MeetingCommand.At"/>).</summary>
public sealed record LogConversation(
    Guid MeetingId,
    Guid RelationshipId,
    MeetingKind Kind,
    string? Topic,
    DateTimeOffset? HeldAt,
    Conversation Conversation,
    string By,
    DateTimeOffset At) : MeetingCommand(MeetingId, By, At);
