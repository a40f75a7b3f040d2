using Marten;

namespace Brm.Domain.CommunicationPlans;

/// <summary>
/// A BRM's planned load: communications per month across the active items of every relationship they manage,
/// against the monthly threshold one person can keep to.
/// </summary>
public sealed record PlannedLoad(string Manager, double PerMonth, int Threshold)
{
    public bool OverThreshold => PerMonth > Threshold;

    /// <summary>The load of these plans (one per relationship the manager owns).</summary>
    public static PlannedLoad Of(string manager, IEnumerable<CommunicationPlan> plans, int threshold) =>
        new(manager, Math.Round(plans.Sum(p => p.PlannedPerMonth()), 2), threshold);
}

/// <summary>Reads of the projected <see cref="CommunicationPlan"/> documents; never a stream replay.</summary>
public static class CommunicationPlanQueries
{
    /// <summary>The relationship's plan; an empty one (version 0) while it has none.</summary>
    public static async Task<CommunicationPlan> GetPlanAsync(this IQuerySession session, Guid relationshipId, CancellationToken ct) =>
        await session.LoadAsync<CommunicationPlan>(CommunicationPlan.IdFor(relationshipId), ct) ?? CommunicationPlan.Empty(relationshipId);

    /// <summary>The plans of these relationships (those that have one).</summary>
    public static Task<IReadOnlyList<CommunicationPlan>> PlansAsync(
        this IQuerySession session, IReadOnlyCollection<Guid> relationshipIds, CancellationToken ct) =>
        session.QueryAsync<CommunicationPlan>(
            $"select d.data from {BrmDomain.Schema}.mt_doc_communicationplan as d where d.relationship_id = any(?)", ct, relationshipIds.ToArray());
}
