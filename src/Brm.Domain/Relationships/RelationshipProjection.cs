using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Brm.Domain.Relationships;

/// <summary>Stores <see cref="Relationship"/> inline, in the transaction that appends its events.</summary>
public sealed partial class RelationshipProjection : SingleStreamProjection<Relationship, Guid>
{
    public override Relationship? Evolve(Relationship? snapshot, Guid id, IEvent e) =>
        Relationship.Fold(snapshot, e.Data).WithVersion(e.Version);
}
