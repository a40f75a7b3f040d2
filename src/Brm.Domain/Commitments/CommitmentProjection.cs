namespace Brm.Domain.Commitments;

/// <summary>Stores <see cref="Commitment"/> inline.</summary>
public sealed partial class CommitmentProjection() : FoldProjection<Commitment>(CommitmentEvents.All);
