using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Brm.Domain.Relationships;

/// <summary>Stores <see cref="Relationship"/> inline, in the transaction that appends its events.</summary>
public sealed partial class RelationshipProjection : SingleStreamProjection<Relationship, Guid>
{
    /// <summary>
    /// Only the Relationship stream's events: with <see cref="Evolve"/> overridden, Marten would otherwise hand
    /// this projection every stream's events (a meeting's too).
    /// </summary>
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
