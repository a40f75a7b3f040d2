namespace Brm.Domain.Meetings;

/// <summary>Stores <see cref="Meeting"/> inline.</summary>
public sealed partial class MeetingProjection() : FoldProjection<Meeting>(MeetingEvents.All);
