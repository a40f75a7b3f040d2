using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Brm.Domain.CommunicationPlans;

/// <summary>Stores <see cref="CommunicationPlan"/> inline, in the transaction that appends its events.</summary>
public sealed partial class CommunicationPlanProjection : SingleStreamProjection<CommunicationPlan, Guid>
{
    // An explicit Evolve tells Marten nothing about which events it handles: without this allow-list it would
    // be handed every other stream's events too.
    public CommunicationPlanProjection()
    {
        foreach (var type in CommunicationPlanEvents.All)
        {
            IncludeType(type);
        }
    }

    public override CommunicationPlan? Evolve(CommunicationPlan? snapshot, Guid id, IEvent e) =>
        CommunicationPlan.Fold(snapshot, e.Data).WithVersion(e.Version);
}
