using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Brm.Domain.Relationships;

/// <summary>Stores <see cref="Relationship"/> inline, in the transaction that appends its events.</summary>
public sealed partial class RelationshipProjection : SingleStreamProjection<Relationship, Guid>
{
    // An explicit Evolve tells Marten nothing about which events it handles: without this allow-list it would
    // be handed every other stream's events too.
    public RelationshipProjection()
    {
        foreach (var type in RelationshipEvents.All)
        {
            IncludeType(type);
        }
    }

    public override Relationship? Evolve(Relationship? snapshot, Guid id, IEvent e) =>
        Relationship.Fold(snapshot, e.Data).WithVersion(e.Version);
}
