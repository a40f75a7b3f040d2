using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Brm.Domain.Tags;

namespace Brm.Domain.Relationships;

public sealed record Stakeholder(
    Guid Id,
    string Name,
    string Title,
    StakeholderLevel Level,
    string? Email,
    Degree Influence,
    Degree Interest,
    DateTimeOffset AddedAt,
    DateTimeOffset? RemovedAt = null,
    bool Erased = false)
{
    /// <summary>What an erased stakeholder's name becomes, everywhere (their title and email become empty).</summary>
    public const string ErasedName = "erased stakeholder";

    [JsonIgnore]
    public bool IsCurrent => RemovedAt is null;

    /// <summary>The tags it carries, sorted (see <see cref="Brm.Domain.Tags.Tagging"/>).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The same person with their personal data replaced by the placeholder; level, influence and interest stay.</summary>
    public Stakeholder WithoutPersonalData() => this with { Name = ErasedName, Title = "", Email = null, Erased = true, Tags = [] };
}

public sealed record InformationNeed(
    Guid Id,
    string Description,
    Priority Priority,
    Guid? RaisedByStakeholderId,
    DateTimeOffset RecordedAt,
    DateTimeOffset? RetiredAt = null)
{
    [JsonIgnore]
    public bool IsActive => RetiredAt is null;
}

public sealed record CommunicationPreference(Channel Channel, string Audience, string? Notes, DateTimeOffset RecordedAt);

public sealed record MaturityAssessment(MaturityLevel Level, string Evidence, string AssessedBy, DateTimeOffset AssessedAt);

public sealed record Archive(string Reason, DateTimeOffset ArchivedAt);

/// <summary>
/// A department's relationship with IT, as its events made it. It is both the state decisions read and,
/// stored inline by Marten, the document GetRelationship and ListRelationships read. It carries the current
/// stakeholders and active needs, and only the last <see cref="RelationshipLimits.RemovedStakeholdersKept"/> removed
/// stakeholders and <see cref="RelationshipLimits.RetiredInformationNeedsKept"/> retired needs (flagged, so that
/// repeating a recent removal changes nothing and old meetings still show who was there): every ownership check,
/// list and report loads it, so it must not grow with the relationship's age. The full history is in the events
/// (the timeline, as-of replays).
/// </summary>
[DuplicatedWithoutIndex(nameof(Manager))]
public sealed record Relationship(
    Guid Id,
    string Code,
    string Name,
    string? Manager,
    ImmutableList<Stakeholder> Stakeholders,
    ImmutableList<InformationNeed> InformationNeeds,
    ImmutableList<CommunicationPreference> CommunicationPreferences,
    MaturityAssessment? BusinessMaturity,
    MaturityAssessment? ItMaturity,
    Archive? Archived,
    DateTimeOffset RegisteredAt,
    DateTimeOffset UpdatedAt,
    long Version) : IEventSourced<Relationship>
{
    /// <summary>The tags it carries, sorted (see <see cref="Brm.Domain.Tags.Tagging"/>).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>When the department last confirmed its needs and preferences unchanged (NeedsAndPreferencesReviewed).</summary>
    public DateTimeOffset? NeedsReviewedAt { get; init; }

    /// <summary>
    /// When the department was last asked the two questions (what information it needs, how it wants to hear
    /// it): the newest of an information need recorded or retired, a communication preference recorded, and a
    /// review. Null if never. Retired needs dropped from the document ended before the ones it keeps, so they
    /// never hold the newest date.
    /// </summary>
    public DateTimeOffset? TwoQuestionsAskedAt() =>
        InformationNeeds.Select(n => n.RetiredAt ?? n.RecordedAt)
            .Concat(CommunicationPreferences.Select(p => p.RecordedAt))
            .Select(at => (DateTimeOffset?)at)
            .Append(NeedsReviewedAt)
            .Max();

    public IEnumerable<Stakeholder> CurrentStakeholders() => Stakeholders.Where(s => s.IsCurrent);

    public IEnumerable<InformationNeed> ActiveInformationNeeds() => InformationNeeds.Where(n => n.IsActive);

    public int CountStakeholders(StakeholderLevel level) => CurrentStakeholders().Count(s => s.Level == level);

    /// <summary>Business level minus IT level, when both sides have been assessed.</summary>
    public int? MaturityGap() =>
        BusinessMaturity is { } business && ItMaturity is { } it ? (int)business.Level - (int)it.Level : null;

    public Relationship WithVersion(long version) => this with { Version = version };

    /// <summary>New work (a meeting, a commitment) is recorded against a relationship only while it is not archived.</summary>
    public void EnsureNotArchived(string refused)
    {
        if (Archived is not null)
        {
            throw DomainException.Rule($"relationship '{Code}' is archived and refuses {refused}");
        }
    }

    /// <summary>
    /// The stakeholder with this id: NOT_FOUND when unknown, a broken rule when removed or erased (nothing new is
    /// recorded about a person whose data was erased; they are added again if they return).
    /// </summary>
    public Stakeholder CurrentStakeholder(Guid stakeholderId)
    {
        var stakeholder = Stakeholders.Find(x => x.Id == stakeholderId)
            ?? throw DomainException.NotFound($"stakeholder {stakeholderId} was not found in relationship '{Code}'");
        return !stakeholder.IsCurrent
            ? throw DomainException.Rule($"stakeholder {stakeholderId} was removed from relationship '{Code}': only current stakeholders can take part")
            : stakeholder.Erased
                ? throw DomainException.Rule($"stakeholder {stakeholderId} of relationship '{Code}' was erased; add the person again if they return")
                : stakeholder;
    }

    /// <summary>Every id must be a current stakeholder (see <see cref="CurrentStakeholder"/>).</summary>
    public void EnsureCurrentStakeholders(IEnumerable<Guid> stakeholderIds)
    {
        foreach (var id in stakeholderIds)
        {
            CurrentStakeholder(id);
        }
    }

    /// <summary>The active information need with this id: NOT_FOUND when unknown, a broken rule when retired.</summary>
    public InformationNeed ActiveInformationNeed(Guid informationNeedId)
    {
        var need = InformationNeeds.Find(x => x.Id == informationNeedId)
            ?? throw DomainException.NotFound($"information need {informationNeedId} was not found in relationship '{Code}'");
        return need.IsActive ? need : throw DomainException.Rule($"information need {informationNeedId} of relationship '{Code}' was retired");
    }

    /// <summary>Whether the department has said it likes to hear through this channel (for any audience).</summary>
    public bool Prefers(Channel channel) => CommunicationPreferences.Any(p => p.Channel == channel);

    /// <summary>The day the relationship began (days are counted in UTC).</summary>
    public DateOnly RegisteredOn() => DateOnly.FromDateTime(RegisteredAt.UtcDateTime);

    public static Relationship Fold(Relationship? state, object @event) => (state, @event) switch
    {
        (null, DepartmentRegistered e) => new Relationship(
            e.RelationshipId, e.Code, e.Name, e.Manager, [], [], [], null, null, null, e.RegisteredAt, e.RegisteredAt, 1),
        (null, _) => throw new InvalidOperationException($"A relationship stream cannot start with {@event.GetType().Name}."),
        ({ } s, DepartmentRenamed e) => s with { Name = e.Name, UpdatedAt = e.RenamedAt },
        ({ } s, RelationshipManagerAssigned e) => s with { Manager = e.Manager, UpdatedAt = e.AssignedAt },
        ({ } s, StakeholderAdded e) => s with
        {
            Stakeholders = s.Stakeholders.Add(new Stakeholder(
                e.StakeholderId, e.Name, e.Title, e.Level, e.Email, e.Influence, e.Interest, e.AddedAt)),
            UpdatedAt = e.AddedAt,
        },
        ({ } s, StakeholderUpdated e) => s with
        {
            Stakeholders = s.Stakeholders.Select(x => x.Id != e.StakeholderId ? x : x with
            {
                Name = e.Name, Title = e.Title, Level = e.Level, Email = e.Email, Influence = e.Influence, Interest = e.Interest,
            }).ToImmutableList(),
            UpdatedAt = e.UpdatedAt,
        },
        ({ } s, StakeholderRemoved e) => s with
        {
            Stakeholders = KeepLastEnded(
                s.Stakeholders.Select(x => x.Id != e.StakeholderId ? x : x with { RemovedAt = e.RemovedAt }).ToImmutableList(),
                x => x.RemovedAt,
                RelationshipLimits.RemovedStakeholdersKept),
            UpdatedAt = e.RemovedAt,
        },
        ({ } s, InformationNeedRecorded e) => s with
        {
            InformationNeeds = s.InformationNeeds.Add(new InformationNeed(
                e.InformationNeedId, e.Description, e.Priority, e.RaisedByStakeholderId, e.RecordedAt)),
            UpdatedAt = e.RecordedAt,
        },
        ({ } s, InformationNeedRetired e) => s with
        {
            InformationNeeds = KeepLastEnded(
                s.InformationNeeds.Select(x => x.Id != e.InformationNeedId ? x : x with { RetiredAt = e.RetiredAt }).ToImmutableList(),
                x => x.RetiredAt,
                RelationshipLimits.RetiredInformationNeedsKept),
            UpdatedAt = e.RetiredAt,
        },
        ({ } s, CommunicationPreferenceRecorded e) => s with
        {
            CommunicationPreferences = s.CommunicationPreferences
                .RemoveAll(p => p.Channel == e.Channel && SameAudience(p.Audience, e.Audience))
                .Add(new CommunicationPreference(e.Channel, e.Audience, e.Notes, e.RecordedAt)),
            UpdatedAt = e.RecordedAt,
        },
        ({ } s, NeedsAndPreferencesReviewed e) => s with { NeedsReviewedAt = e.ReviewedAt, UpdatedAt = e.ReviewedAt },
        ({ } s, MaturityAssessed { Side: MaturitySide.Business } e) => s with
        {
            BusinessMaturity = new MaturityAssessment(e.Level, e.Evidence, e.AssessedBy, e.AssessedAt), UpdatedAt = e.AssessedAt,
        },
        ({ } s, MaturityAssessed e) => s with
        {
            ItMaturity = new MaturityAssessment(e.Level, e.Evidence, e.AssessedBy, e.AssessedAt), UpdatedAt = e.AssessedAt,
        },
        ({ } s, StakeholderPersonalDataErased e) => s with
        {
            Stakeholders = s.Stakeholders.Select(x => x.Id != e.StakeholderId ? x : x.WithoutPersonalData()).ToImmutableList(),
            UpdatedAt = e.ErasedAt,
        },
        ({ } s, RelationshipArchived e) => s with { Archived = new Archive(e.Reason, e.ArchivedAt), UpdatedAt = e.ArchivedAt },
        ({ } s, RelationshipTagsChanged { StakeholderId: null } e) => s with
        {
            Tags = Tagging.Apply(s.Tags, e.Added, e.Removed), UpdatedAt = e.ChangedAt,
        },
        ({ } s, RelationshipTagsChanged e) => s with
        {
            Stakeholders = s.Stakeholders.Select(x => x.Id != e.StakeholderId ? x : x with { Tags = Tagging.Apply(x.Tags, e.Added, e.Removed) })
                .ToImmutableList(),
            UpdatedAt = e.ChangedAt,
        },
        ({ } s, _) => s,
    };

    // The items still current, and the last `kept` of those that ended (by when they ended); older ended ones go.
    private static ImmutableList<T> KeepLastEnded<T>(ImmutableList<T> items, Func<T, DateTimeOffset?> endedAt, int kept)
    {
        var ended = items.Where(x => endedAt(x) is not null).ToList();
        return ended.Count <= kept ? items : items.RemoveRange(ended.OrderBy(endedAt).Take(ended.Count - kept));
    }

    internal static bool SameAudience(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}
