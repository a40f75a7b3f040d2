using Brm.Domain.Relationships;

namespace Brm.Domain.Meetings;

/// <summary>The documented limits of meetings.proto: the validators read them here.</summary>
public static class MeetingLimits
{
    /// <summary>The most stakeholders one request names (invited, present, told, asked).</summary>
    public const int Stakeholders = 200;

    /// <summary>The most IT attendees one conversation names.</summary>
    public const int ItAttendees = 50;

    /// <summary>The most points the business raised in one conversation.</summary>
    public const int RaisedPoints = 100;

    /// <summary>The longest notes and "IT shared" of a conversation.</summary>
    public const int LongTextLength = 4000;

    /// <summary>The longest meeting: a day.</summary>
    public const int MaxDurationMinutes = 1440;

    /// <summary>The days stakeholder coverage looks back over when the caller gives none, and the most it may ask for.</summary>
    public const int DefaultWindowDays = 90;
    public const int MaxWindowDays = 3650;
}

/// <summary>
/// Pure decisions: a command, the meeting's state and its relationship's state in, the events that record it
/// out. The relationship is read, never changed: it says who the current stakeholders are and whether it is
/// archived.
/// </summary>
public static class MeetingDecider
{
    public static IReadOnlyList<object> Decide(MeetingCommand command, Meeting? state, Relationship relationship) => (command, state) switch
    {
        (ScheduleMeeting c, null) => Schedule(c, relationship),
        (LogConversation c, null) => Log(c, relationship),
        (ScheduleMeeting or LogConversation, not null) => throw DomainException.AlreadyExists($"meeting {command.MeetingId} already exists"),
        (_, null) => throw DomainException.NotFound($"meeting {command.MeetingId} was not found"),
        (CancelMeeting, { Status: MeetingStatus.Cancelled }) => [],
        (HoldMeeting, { Status: MeetingStatus.Cancelled }) => throw DomainException.Rule($"meeting {command.MeetingId} was cancelled: a cancelled meeting cannot be held"),
        (_, { Status: MeetingStatus.Cancelled }) => throw DomainException.Rule($"meeting {command.MeetingId} was cancelled: a cancelled meeting cannot be rescheduled"),
        (HoldMeeting, { Status: MeetingStatus.Held }) => throw DomainException.Rule($"meeting {command.MeetingId} was already held: a meeting is held once"),
        (_, { Status: MeetingStatus.Held }) => throw DomainException.Rule($"meeting {command.MeetingId} was held: a held meeting cannot be rescheduled or cancelled"),
        (RescheduleMeeting c, { Schedule: { } schedule } s) => c.Start == schedule.Start
            ? []
            : [new MeetingRescheduled(c.MeetingId, s.RelationshipId, schedule.Start, c.Start, c.Reason, c.By, c.At)],
        (CancelMeeting c, var s) => [new MeetingCancelled(c.MeetingId, s.RelationshipId, c.Reason, c.By, c.At)],
        (HoldMeeting c, { Schedule: { } schedule } s) => Hold(c, s, schedule, relationship),
        _ => throw new InvalidOperationException($"No decision for {command.GetType().Name} on a {state?.Status} meeting."),
    };

    private static object[] Schedule(ScheduleMeeting c, Relationship relationship)
    {
        EnsureOpenFor(relationship, c.RelationshipId);
        relationship.EnsureCurrentStakeholders(c.InvitedStakeholderIds);
        return
        [
            new MeetingScheduled(c.MeetingId, c.RelationshipId, c.Kind, c.Topic, c.Start, c.DurationMinutes, c.InvitedStakeholderIds,
                c.Organiser, c.By, c.At) { Location = c.Location },
        ];
    }

    private static object[] Log(LogConversation c, Relationship relationship)
    {
        EnsureOpenFor(relationship, c.RelationshipId);
        var heldAt = c.HeldAt ?? c.At;
        EnsureHappened(heldAt, c);
        relationship.EnsureCurrentStakeholders(c.Conversation.StakeholderIds);
        return [new ConversationLogged(c.MeetingId, c.RelationshipId, c.Kind, c.Topic, heldAt, c.Conversation, c.By, c.At)];
    }

    private static object[] Hold(HoldMeeting c, Meeting s, MeetingSchedule schedule, Relationship relationship)
    {
        var heldAt = c.HeldAt ?? schedule.Start;
        EnsureHappened(heldAt, c);
        relationship.EnsureCurrentStakeholders(c.Conversation.StakeholderIds);
        return [new MeetingHeld(c.MeetingId, s.RelationshipId, heldAt, c.Conversation, c.By, c.At)];
    }

    private static void EnsureOpenFor(Relationship relationship, Guid relationshipId)
    {
        if (relationship.Id != relationshipId)
        {
            throw new InvalidOperationException($"The decision was given relationship {relationship.Id}, not {relationshipId}.");
        }

        relationship.EnsureNotArchived("new meetings");
    }

    private static void EnsureHappened(DateTimeOffset heldAt, MeetingCommand c)
    {
        if (heldAt > c.At)
        {
            throw DomainException.Rule(
                $"a meeting cannot be recorded as having happened in the future: held at {heldAt:O}, it is now {c.At:O}");
        }
    }
}
