using Brm.Domain.Relationships;

namespace Brm.Domain.Commitments;

/// <summary>The documented limits of commitments.proto.</summary>
public static class CommitmentLimits
{
    /// <summary>The most stakeholders one "business informed" record names (at least one).</summary>
    public const int InformedStakeholders = 100;
}

/// <summary>
/// Pure decisions: a command, the commitment's state and its relationship's state in, the events out. The
/// relationship is read, never changed: it says who its current stakeholders are and whether it is archived.
/// </summary>
public static class CommitmentDecider
{
    public static IReadOnlyList<object> Decide(CommitmentCommand command, Commitment? state, Relationship relationship) =>
        (command, state) switch
        {
            (MakeCommitment c, null) => Make(c, relationship),
            (MakeCommitment, not null) => throw DomainException.AlreadyExists($"commitment {command.CommitmentId} already exists"),
            (_, null) => throw DomainException.NotFound($"commitment {command.CommitmentId} was not found"),
            (RecordBusinessInformed c, var s) => Inform(c, s, relationship),
            (_, { IsClosed: true } s) => throw DomainException.Rule(
                $"commitment {s.Id} was {s.Status.ToString().ToLowerInvariant()}: delivered and cancelled commitments are final, "
                + "only RecordBusinessInformed is accepted"),
            (StartCommitment, { Status: CommitmentStatus.InProgress }) => [],
            (StartCommitment c, var s) => [new CommitmentStarted(s.Id, s.RelationshipId, c.By, c.At)],
            (RenegotiateCommitment c, var s) => Renegotiate(c, s, relationship),
            (DeliverCommitment c, var s) => Deliver(c, s),
            (CancelCommitment c, var s) => [new CommitmentCancelled(s.Id, s.RelationshipId, c.Reason, c.By, c.At)],
            _ => throw new InvalidOperationException($"No decision for {command.GetType().Name}."),
        };

    private static object[] Make(MakeCommitment c, Relationship relationship)
    {
        relationship.EnsureNotArchived("new commitments");
        if (c.DueDate < c.Today)
        {
            throw DomainException.Rule($"the due date {c.DueDate:yyyy-MM-dd} is before the day the commitment is made ({c.Today:yyyy-MM-dd})");
        }

        if (c.Source.Kind != SourceKind.Other && c.SourceRelationshipId != c.RelationshipId)
        {
            throw DomainException.Rule(
                $"the source {c.Source.Kind.ToString().ToLowerInvariant()} {c.Source.Id} belongs to another relationship");
        }

        return
        [
            new CommitmentMade(c.CommitmentId, c.RelationshipId, c.Title, c.Description, c.Owner, c.DueDate, c.Direction, c.Source,
                c.VisibleToBusiness, c.By, c.At),
        ];
    }

    private static object[] Renegotiate(RenegotiateCommitment c, Commitment s, Relationship relationship)
    {
        if (c.DueDate == s.DueDate)
        {
            throw DomainException.Rule($"the new due date must differ from the current one ({s.DueDate:yyyy-MM-dd})");
        }

        if (c.DueDate < c.Today)
        {
            throw DomainException.Rule($"the new due date {c.DueDate:yyyy-MM-dd} is in the past");
        }

        if (c.AgreedWithStakeholderId is { } agreedWith)
        {
            relationship.EnsureCurrentStakeholders([agreedWith]);
        }

        return [new DueDateRenegotiated(s.Id, s.RelationshipId, s.DueDate, c.DueDate, c.Reason, c.AgreedWithStakeholderId, c.By, c.At)];
    }

    private static object[] Deliver(DeliverCommitment c, Commitment s)
    {
        var deliveredAt = c.DeliveredAt ?? c.At;
        if (deliveredAt > c.At)
        {
            throw DomainException.Rule($"a commitment cannot be delivered in the future: delivered at {deliveredAt:O}, it is now {c.At:O}");
        }

        if (deliveredAt < s.MadeAt)
        {
            throw DomainException.Rule($"a commitment cannot be delivered before it was made ({s.MadeAt:O})");
        }

        return [new CommitmentDelivered(s.Id, s.RelationshipId, c.Note, c.By, deliveredAt)];
    }

    private static object[] Inform(RecordBusinessInformed c, Commitment s, Relationship relationship)
    {
        var outcome = s.LatestOutcome()
            ?? throw DomainException.Rule($"commitment {s.Id} has no outcome to tell yet: it is neither delivered, cancelled nor renegotiated");
        var informedAt = c.InformedAt ?? c.At;
        if (informedAt > c.At)
        {
            throw DomainException.Rule($"the business cannot have been told in the future: told at {informedAt:O}, it is now {c.At:O}");
        }

        relationship.EnsureCurrentStakeholders(c.StakeholderIds);
        return [new BusinessInformed(s.Id, s.RelationshipId, outcome, c.Channel, c.StakeholderIds, c.Message, c.By, informedAt)];
    }
}
