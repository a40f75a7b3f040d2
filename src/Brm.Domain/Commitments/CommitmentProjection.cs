using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Brm.Domain.Commitments;

/// <summary>Stores <see cref="Commitment"/> inline, in the transaction that appends its events.</summary>
public sealed partial class CommitmentProjection : SingleStreamProjection<Commitment, Guid>
{
    // An explicit Evolve tells Marten nothing about which events it handles: without this allow-list it would
    // be handed every other stream's events too.
    public CommitmentProjection()
    {
        foreach (var type in CommitmentEvents.All)
        {
            IncludeType(type);
        }
    }

    public override Commitment? Evolve(Commitment? snapshot, Guid id, IEvent e) => Commitment.Fold(snapshot, e.Data).WithVersion(e.Version);
}
