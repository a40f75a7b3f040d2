namespace Brm.Domain.Relationships;

// The Relationship stream: one per business department. Past tense, stream id first, who and when last.

/// <summary>Every event of the Relationship stream; Marten, the feed and the timeline are driven by this list.</summary>
public static class RelationshipEvents
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(DepartmentRegistered),
        typeof(DepartmentRenamed),
        typeof(RelationshipManagerAssigned),
        typeof(StakeholderAdded),
        typeof(StakeholderUpdated),
        typeof(StakeholderRemoved),
        typeof(StakeholderPersonalDataErased),
        typeof(InformationNeedRecorded),
        typeof(InformationNeedRetired),
        typeof(CommunicationPreferenceRecorded),
        typeof(NeedsAndPreferencesReviewed),
        typeof(MaturityAssessed),
        typeof(RelationshipArchived),
        typeof(RelationshipTagsChanged),
    ];
}

public sealed record DepartmentRegistered(
    Guid RelationshipId, string Code, string Name, string? Manager, string RegisteredBy, DateTimeOffset RegisteredAt);

public sealed record DepartmentRenamed(Guid RelationshipId, string Name, string RenamedBy, DateTimeOffset RenamedAt);

public sealed record RelationshipManagerAssigned(
    Guid RelationshipId, string Manager, string AssignedBy, DateTimeOffset AssignedAt);

public sealed record StakeholderAdded(
    Guid RelationshipId,
    Guid StakeholderId,
    string Name,
    string Title,
    StakeholderLevel Level,
    string? Email,
    Degree Influence,
    Degree Interest,
    string AddedBy,
    DateTimeOffset AddedAt);

/// <summary>Carries every field's value after the change, so consumers need no earlier event to read it.</summary>
public sealed record StakeholderUpdated(
    Guid RelationshipId,
    Guid StakeholderId,
    string Name,
    string Title,
    StakeholderLevel Level,
    string? Email,
    Degree Influence,
    Degree Interest,
    string UpdatedBy,
    DateTimeOffset UpdatedAt);

public sealed record StakeholderRemoved(
    Guid RelationshipId, Guid StakeholderId, string? Reason, string RemovedBy, DateTimeOffset RemovedAt);

public sealed record InformationNeedRecorded(
    Guid RelationshipId,
    Guid InformationNeedId,
    string Description,
    Priority Priority,
    Guid? RaisedByStakeholderId,
    string RecordedBy,
    DateTimeOffset RecordedAt);

public sealed record InformationNeedRetired(
    Guid RelationshipId, Guid InformationNeedId, string Reason, string RetiredBy, DateTimeOffset RetiredAt);

public sealed record CommunicationPreferenceRecorded(
    Guid RelationshipId, Channel Channel, string Audience, string? Notes, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>
/// The department was asked the two questions again (what information it needs from IT, how it wants to hear it)
/// and confirmed the answers on record: what changed, if anything, is recorded by its own events.
/// </summary>
public sealed record NeedsAndPreferencesReviewed(Guid RelationshipId, string ReviewedBy, DateTimeOffset ReviewedAt);

public sealed record MaturityAssessed(
    Guid RelationshipId,
    MaturitySide Side,
    MaturityLevel Level,
    string Evidence,
    string AssessedBy,
    DateTimeOffset AssessedAt);

/// <summary>Tags added to (and removed from) the department, or to one of its stakeholders when StakeholderId is set: a change that changes nothing is not recorded.</summary>
public sealed record RelationshipTagsChanged(
    Guid RelationshipId, Guid? StakeholderId, IReadOnlyList<string> Added, IReadOnlyList<string> Removed, string ChangedBy, DateTimeOffset ChangedAt);

public sealed record RelationshipArchived(Guid RelationshipId, string Reason, string ArchivedBy, DateTimeOffset ArchivedAt);

/// <summary>
/// The stakeholder's personal data was erased: from here on they are a placeholder, and every earlier event that
/// held their data has been masked (see <see cref="PersonalData.StakeholderErasure"/>). Carries no personal data.
/// </summary>
public sealed record StakeholderPersonalDataErased(Guid RelationshipId, Guid StakeholderId, string ErasedBy, DateTimeOffset ErasedAt);
