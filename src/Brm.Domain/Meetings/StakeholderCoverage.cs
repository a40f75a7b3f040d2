using Brm.Domain.Relationships;

namespace Brm.Domain.Meetings;

/// <summary>A stakeholder's latest contact with IT: the meeting, its kind and when it took place.</summary>
public sealed record Contact(Guid StakeholderId, Guid MeetingId, MeetingKind Kind, DateTimeOffset At);

/// <summary>A current stakeholder, their last contact (null: never) and whether it falls within the window.</summary>
public sealed record StakeholderContact(Stakeholder Stakeholder, Contact? LastContact, bool WithinWindow);

/// <summary>How many stakeholders were contacted within the window, out of how many there are.</summary>
public sealed record CoverageCount(int Contacted, int Total)
{
    public static CoverageCount Of(IEnumerable<StakeholderContact> stakeholders, StakeholderLevel? level = null)
    {
        var counted = stakeholders.Where(s => level is null || s.Stakeholder.Level == level).ToList();
        return new CoverageCount(counted.Count(s => s.WithinWindow), counted.Count);
    }
}

/// <summary>
/// Who in one relationship IT has talked to within a window, and who not. Only current stakeholders count: a
/// removed one leaves the counts, while the meetings they took part in keep them.
/// </summary>
public sealed record RelationshipCoverage(Relationship Relationship, IReadOnlyList<StakeholderContact> Stakeholders)
{
    /// <summary>
    /// A contact at or after <paramref name="windowStart"/> is within the window (the window's first instant
    /// included). Any held meeting or logged conversation counts, whatever its kind.
    /// </summary>
    public static RelationshipCoverage Of(Relationship relationship, IReadOnlyDictionary<Guid, Contact> lastContacts, DateTimeOffset windowStart) =>
        new(relationship, [.. relationship.CurrentStakeholders().Select(s =>
        {
            var contact = lastContacts.GetValueOrDefault(s.Id);
            return new StakeholderContact(s, contact, contact is not null && contact.At >= windowStart);
        })]);

    /// <summary>Never contacted or not within the window, oldest contact first; never contacted ones first, in the order they were added.</summary>
    public IEnumerable<StakeholderContact> NotContacted() =>
        Stakeholders.Where(s => !s.WithinWindow).OrderBy(s => s.LastContact?.At ?? DateTimeOffset.MinValue);
}
