namespace Brm.Domain.Relationships;

/// <summary>A command on one relationship; who and when come from the edge (credential and clock).</summary>
public abstract record RelationshipCommand(Guid RelationshipId, string By, DateTimeOffset At);

public sealed record RegisterDepartment(Guid RelationshipId, string Code, string Name, string? Manager, string By, DateTimeOffset At)
    : RelationshipCommand(RelationshipId, By, At);

public sealed record RenameDepartment(Guid RelationshipId, string Name, string By, DateTimeOffset At)
    : RelationshipCommand(RelationshipId, By, At);

public sealed record AssignManager(Guid RelationshipId, string Manager, string By, DateTimeOffset At)
    : RelationshipCommand(RelationshipId, By, At);

public sealed record AddStakeholder(
    Guid RelationshipId,
    Guid StakeholderId,
    string Name,
    string Title,
    StakeholderLevel Level,
    string? Email,
    Degree Influence,
    Degree Interest,
    string By,
    DateTimeOffset At) : RelationshipCommand(RelationshipId, By, At);

/// <summary>Null fields keep their value; an empty <see cref="Email"/> clears it.</summary>
public sealed record UpdateStakeholder(
    Guid RelationshipId,
    Guid StakeholderId,
    string? Name,
    string? Title,
    StakeholderLevel? Level,
    string? Email,
    Degree? Influence,
    Degree? Interest,
    string By,
    DateTimeOffset At) : RelationshipCommand(RelationshipId, By, At);

public sealed record RemoveStakeholder(Guid RelationshipId, Guid StakeholderId, string? Reason, string By, DateTimeOffset At)
    : RelationshipCommand(RelationshipId, By, At);

public sealed record RecordInformationNeed(
    Guid RelationshipId,
    Guid InformationNeedId,
    string Description,
    Priority Priority,
    Guid? RaisedByStakeholderId,
    string By,
    DateTimeOffset At) : RelationshipCommand(RelationshipId, By, At);

public sealed record RetireInformationNeed(Guid RelationshipId, Guid InformationNeedId, string Reason, string By, DateTimeOffset At)
    : RelationshipCommand(RelationshipId, By, At);

public sealed record RecordCommunicationPreference(
    Guid RelationshipId, Channel Channel, string Audience, string? Notes, string By, DateTimeOffset At)
    : RelationshipCommand(RelationshipId, By, At);

/// <summary>Records that the department confirmed its information needs and communication preferences as recorded.</summary>
public sealed record ReviewNeedsAndPreferences(Guid RelationshipId, string By, DateTimeOffset At)
    : RelationshipCommand(RelationshipId, By, At);

public sealed record AssessMaturity(
    Guid RelationshipId, MaturitySide Side, MaturityLevel Level, string Evidence, string By, DateTimeOffset At)
    : RelationshipCommand(RelationshipId, By, At);

public sealed record ArchiveRelationship(Guid RelationshipId, string Reason, string By, DateTimeOffset At)
    : RelationshipCommand(RelationshipId, By, At);

/// <summary>
/// Erases a stakeholder's personal data (name, title, email, their words); they stay as a placeholder. The
/// relationship's document forgets stakeholders removed long ago: <paramref name="History"/> is what its events say
/// of this one, read before deciding.
/// </summary>
public sealed record EraseStakeholderPersonalData(
    Guid RelationshipId, Guid StakeholderId, string By, DateTimeOffset At, StakeholderHistory History = StakeholderHistory.Unknown)
    : RelationshipCommand(RelationshipId, By, At);

/// <summary>What a relationship's events say of a stakeholder: never added, added (and not erased), or erased.</summary>
public enum StakeholderHistory
{
    Unknown,
    Added,
    Erased,
}
