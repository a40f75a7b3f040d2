namespace Brm.Domain.Commitments;

/// <summary>A command on one commitment; who and when come from the edge (credential and clock).</summary>
public abstract record CommitmentCommand(Guid CommitmentId, string By, DateTimeOffset At)
{
    /// <summary>The calendar day of <see cref="At"/> (days are counted in UTC).</summary>
    public DateOnly Today => DateOnly.FromDateTime(At.UtcDateTime);
}

/// <param name="SourceRelationshipId">The relationship the source meeting or feedback item belongs to, as found by the caller.</param>
public sealed record MakeCommitment(
    Guid CommitmentId,
    Guid RelationshipId,
    string Title,
    string? Description,
    string Owner,
    DateOnly DueDate,
    CommitmentDirection Direction,
    CommitmentSource Source,
    Guid? SourceRelationshipId,
    bool VisibleToBusiness,
    string By,
    DateTimeOffset At) : CommitmentCommand(CommitmentId, By, At);

public sealed record StartCommitment(Guid CommitmentId, string By, DateTimeOffset At) : CommitmentCommand(CommitmentId, By, At);

public sealed record RenegotiateCommitment(
    Guid CommitmentId, DateOnly DueDate, string Reason, Guid? AgreedWithStakeholderId, string By, DateTimeOffset At)
    : CommitmentCommand(CommitmentId, By, At);

/// <summary>A null <see cref="DeliveredAt"/> means now.</summary>
public sealed record DeliverCommitment(Guid CommitmentId, string? Note, DateTimeOffset? DeliveredAt, string By, DateTimeOffset At)
    : CommitmentCommand(CommitmentId, By, At);

public sealed record CancelCommitment(Guid CommitmentId, string Reason, string By, DateTimeOffset At) : CommitmentCommand(CommitmentId, By, At);

/// <summary>A null <see cref="InformedAt"/> means now.</summary>
public sealed record RecordBusinessInformed(
    Guid CommitmentId,
    Channel Channel,
    DateTimeOffset? InformedAt,
    IReadOnlyList<Guid> StakeholderIds,
    string Message,
    string By,
    DateTimeOffset At) : CommitmentCommand(CommitmentId, By, At);
