namespace Brm.Domain.Relationships;

/// <summary>The documented per-relationship limits (see relationships.proto).</summary>
public static class RelationshipLimits
{
    /// <summary>A department code's shortest and longest length.</summary>
    public const int CodeMinLength = 2;
    public const int CodeMaxLength = 40;

    /// <summary>What a department code is: a lower-case slug, letters, digits and single hyphens.</summary>
    public const string CodePattern = "^[a-z0-9]+(-[a-z0-9]+)*$";

    public const int Stakeholders = 1000;
    public const int ActiveInformationNeeds = 200;
    public const int CommunicationPreferences = 50;

    /// <summary>How many removed stakeholders the relationship document keeps (the most recent removals).</summary>
    public const int RemovedStakeholdersKept = 50;

    /// <summary>How many retired information needs the relationship document keeps (the most recent retirements).</summary>
    public const int RetiredInformationNeedsKept = 50;
}

/// <summary>Pure decisions: a command and the current state in, the events that record it out.</summary>
public static class RelationshipDecider
{
    public static IReadOnlyList<object> Decide(RelationshipCommand command, Relationship? state) => (command, state) switch
    {
        (RegisterDepartment c, null) => [new DepartmentRegistered(c.RelationshipId, c.Code, c.Name, c.Manager, c.By, c.At)],
        (RegisterDepartment, not null) => throw DomainException.AlreadyExists($"relationship {command.RelationshipId} already exists"),
        (_, null) => throw DomainException.NotFound($"relationship {command.RelationshipId} was not found"),
        // Erasure is owed to the person whatever state the relationship is in, archived included.
        (EraseStakeholderPersonalData c, var s) => ErasePersonalData(c, s),
        (ArchiveRelationship, { Archived: not null }) => [],
        (_, { Archived: not null }) => throw DomainException.Rule($"relationship '{state.Code}' is archived and refuses changes"),
        (RenameDepartment c, var s) => s.Name == c.Name ? [] : [new DepartmentRenamed(c.RelationshipId, c.Name, c.By, c.At)],
        (AssignManager c, var s) => s.Manager == c.Manager
            ? []
            : [new RelationshipManagerAssigned(c.RelationshipId, c.Manager, c.By, c.At)],
        (AddStakeholder c, var s) => AddStakeholder(c, s),
        (UpdateStakeholder c, var s) => UpdateStakeholder(c, s),
        (RemoveStakeholder c, var s) => RemoveStakeholder(c, s),
        (RecordInformationNeed c, var s) => RecordInformationNeed(c, s),
        (RetireInformationNeed c, var s) => RetireInformationNeed(c, s),
        (RecordCommunicationPreference c, var s) => RecordCommunicationPreference(c, s),
        (ReviewNeedsAndPreferences c, var s) => ReviewNeedsAndPreferences(c, s),
        (AssessMaturity c, _) => [new MaturityAssessed(c.RelationshipId, c.Side, c.Level, c.Evidence, c.By, c.At)],
        (ArchiveRelationship c, _) => [new RelationshipArchived(c.RelationshipId, c.Reason, c.By, c.At)],
        _ => throw new InvalidOperationException($"No decision for {command.GetType().Name}."),
    };

    private static object[] AddStakeholder(AddStakeholder c, Relationship s)
    {
        if (s.CurrentStakeholders().Count() >= RelationshipLimits.Stakeholders)
        {
            throw DomainException.Limit($"a relationship has at most {RelationshipLimits.Stakeholders} stakeholders");
        }

        EnsureEmailFree(s, c.Email, except: null);
        return [new StakeholderAdded(c.RelationshipId, c.StakeholderId, c.Name, c.Title, c.Level, c.Email, c.Influence, c.Interest, c.By, c.At)];
    }

    private static object[] UpdateStakeholder(UpdateStakeholder c, Relationship s)
    {
        var current = s.CurrentStakeholder(c.StakeholderId);
        var email = c.Email is null ? current.Email : c.Email.Length == 0 ? null : c.Email;
        var updated = current with
        {
            Name = c.Name ?? current.Name,
            Title = c.Title ?? current.Title,
            Level = c.Level ?? current.Level,
            Email = email,
            Influence = c.Influence ?? current.Influence,
            Interest = c.Interest ?? current.Interest,
        };
        if (updated == current)
        {
            return [];
        }

        EnsureEmailFree(s, updated.Email, except: current.Id);
        return
        [
            new StakeholderUpdated(c.RelationshipId, current.Id, updated.Name, updated.Title, updated.Level, updated.Email,
                updated.Influence, updated.Interest, c.By, c.At),
        ];
    }

    private static object[] RemoveStakeholder(RemoveStakeholder c, Relationship s)
    {
        var stakeholder = s.Stakeholders.Find(x => x.Id == c.StakeholderId)
            ?? throw DomainException.NotFound($"stakeholder {c.StakeholderId} was not found in relationship '{s.Code}'");
        return stakeholder.IsCurrent ? [new StakeholderRemoved(c.RelationshipId, c.StakeholderId, c.Reason, c.By, c.At)] : [];
    }

    private static object[] ErasePersonalData(EraseStakeholderPersonalData c, Relationship s)
    {
        var erased = s.Stakeholders.Find(x => x.Id == c.StakeholderId) is { } stakeholder
            ? stakeholder.Erased
            : c.History switch
            {
                StakeholderHistory.Added => false,
                StakeholderHistory.Erased => true,
                _ => throw DomainException.NotFound($"stakeholder {c.StakeholderId} was not found in relationship '{s.Code}'"),
            };
        return erased ? [] : [new StakeholderPersonalDataErased(c.RelationshipId, c.StakeholderId, c.By, c.At)];
    }

    private static object[] RecordInformationNeed(RecordInformationNeed c, Relationship s)
    {
        if (c.RaisedByStakeholderId is { } raisedBy)
        {
            s.CurrentStakeholder(raisedBy);
        }

        if (s.ActiveInformationNeeds().Count() >= RelationshipLimits.ActiveInformationNeeds)
        {
            throw DomainException.Limit(
                $"a relationship has at most {RelationshipLimits.ActiveInformationNeeds} active information needs");
        }

        return
        [
            new InformationNeedRecorded(c.RelationshipId, c.InformationNeedId, c.Description, c.Priority, c.RaisedByStakeholderId, c.By, c.At),
        ];
    }

    private static object[] RetireInformationNeed(RetireInformationNeed c, Relationship s)
    {
        var need = s.InformationNeeds.Find(x => x.Id == c.InformationNeedId)
            ?? throw DomainException.NotFound($"information need {c.InformationNeedId} was not found in relationship '{s.Code}'");
        return need.IsActive ? [new InformationNeedRetired(c.RelationshipId, need.Id, c.Reason, c.By, c.At)] : [];
    }

    private static object[] RecordCommunicationPreference(RecordCommunicationPreference c, Relationship s)
    {
        var existing = s.CommunicationPreferences.Find(p => p.Channel == c.Channel && Relationship.SameAudience(p.Audience, c.Audience));
        if (existing is not null && existing.Audience == c.Audience && existing.Notes == c.Notes)
        {
            return [];
        }

        if (existing is null && s.CommunicationPreferences.Count >= RelationshipLimits.CommunicationPreferences)
        {
            throw DomainException.Limit(
                $"a relationship has at most {RelationshipLimits.CommunicationPreferences} communication preferences");
        }

        return [new CommunicationPreferenceRecorded(c.RelationshipId, c.Channel, c.Audience, c.Notes, c.By, c.At)];
    }

    // Each review is a new fact (the department was asked again), so a second one is recorded too; a retry of the
    // same request is answered by its request id. There is nothing to confirm before an answer is on record.
    private static object[] ReviewNeedsAndPreferences(ReviewNeedsAndPreferences c, Relationship s) =>
        !s.ActiveInformationNeeds().Any() && s.CommunicationPreferences.IsEmpty
            ? throw DomainException.Rule(
                $"relationship '{s.Code}' has no information need or communication preference to review: record the department's answers first")
            : [new NeedsAndPreferencesReviewed(c.RelationshipId, c.By, c.At)];

    private static void EnsureEmailFree(Relationship s, string? email, Guid? except)
    {
        if (email is not null && s.CurrentStakeholders().Any(x =>
                x.Id != except && string.Equals(x.Email, email, StringComparison.OrdinalIgnoreCase)))
        {
            throw DomainException.AlreadyExists($"a stakeholder of relationship '{s.Code}' already has the email {email}");
        }
    }
}
