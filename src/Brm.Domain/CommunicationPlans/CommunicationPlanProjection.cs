namespace Brm.Domain.CommunicationPlans;

/// <summary>Stores <see cref="CommunicationPlan"/> inline.</summary>
public sealed partial class CommunicationPlanProjection() : FoldProjection<CommunicationPlan>(CommunicationPlanEvents.All);
