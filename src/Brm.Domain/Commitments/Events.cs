namespace Brm.Domain.Commitments;

// The Commitment stream: one per promise, each event carrying its relationship. Past tense, stream id first,
// who and when last.

/// <summary>Every event of the Commitment stream.</summary>
public static class CommitmentEvents
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(CommitmentMade),
        typeof(CommitmentStarted),
        typeof(DueDateRenegotiated),
        typeof(CommitmentDelivered),
        typeof(CommitmentCancelled),
        typeof(BusinessInformed),
        typeof(CommitmentTagsChanged),
    ];
}

/// <summary>Where a promise came from: a meeting, a feedback item (by id), or something else (a note).</summary>
public sealed record CommitmentSource(SourceKind Kind, Guid? Id, string? Note);

public sealed record CommitmentMade(
    Guid CommitmentId,
    Guid RelationshipId,
    string Title,
    string? Description,
    string Owner,
    DateOnly DueDate,
    CommitmentDirection Direction,
    CommitmentSource Source,
    bool VisibleToBusiness,
    string MadeBy,
    DateTimeOffset MadeAt);

public sealed record CommitmentStarted(Guid CommitmentId, Guid RelationshipId, string StartedBy, DateTimeOffset StartedAt);

public sealed record DueDateRenegotiated(
    Guid CommitmentId,
    Guid RelationshipId,
    DateOnly PreviousDueDate,
    DateOnly DueDate,
    string Reason,
    Guid? AgreedWithStakeholderId,
    string RenegotiatedBy,
    DateTimeOffset RenegotiatedAt);

/// <summary>Delivered at <paramref name="DeliveredAt"/>, which the BRM may give as earlier than when it was recorded.</summary>
public sealed record CommitmentDelivered(Guid CommitmentId, Guid RelationshipId, string? Note, string DeliveredBy, DateTimeOffset DeliveredAt);

public sealed record CommitmentCancelled(Guid CommitmentId, Guid RelationshipId, string Reason, string CancelledBy, DateTimeOffset CancelledAt);

/// <summary>
/// The business was told of <paramref name="Outcome"/> (delivered, renegotiated or cancelled); by an update sent by
/// the service when <see cref="UpdateId"/> is set (events stored before updates existed have none).
/// </summary>
public sealed record BusinessInformed(
    Guid CommitmentId,
    Guid RelationshipId,
    CommitmentOutcome Outcome,
    Channel Channel,
    IReadOnlyList<Guid> StakeholderIds,
    string Message,
    string InformedBy,
    DateTimeOffset InformedAt)
{
    /// <summary>The update (OutreachService.SendUpdate) that told the business; null when the BRM recorded it.</summary>
    public Guid? UpdateId { get; init; }
}

/// <summary>What the business can be told about a commitment.</summary>
public enum CommitmentOutcome
{
    Delivered = 1,
    Renegotiated = 2,
    Cancelled = 3,
}

/// <summary>Tags added to (and removed from) a commitment: a change that changes nothing is not recorded.</summary>
public sealed record CommitmentTagsChanged(
    Guid CommitmentId, Guid RelationshipId, IReadOnlyList<string> Added, IReadOnlyList<string> Removed, string ChangedBy, DateTimeOffset ChangedAt);
