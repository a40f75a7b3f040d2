using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Brm.Domain;

/// <summary>
/// Stores an aggregate's state inline, in the transaction that appends its events, with the same
/// <see cref="IEventSourced{TSelf}.Fold"/> the decisions use. The projection lists its stream's events: with
/// <c>Evolve</c> overridden, Marten would otherwise hand it every stream's events.
/// </summary>
public abstract class FoldProjection<TState> : SingleStreamProjection<TState, Guid>
    where TState : class, IEventSourced<TState>
{
    protected FoldProjection(IEnumerable<Type> eventTypes)
    {
        foreach (var type in eventTypes)
        {
            IncludeType(type);
        }
    }

    public override TState? Evolve(TState? snapshot, Guid id, IEvent e) => TState.Fold(snapshot, e.Data).WithVersion(e.Version);
}
