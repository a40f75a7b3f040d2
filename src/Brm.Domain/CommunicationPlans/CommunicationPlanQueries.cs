using Brm.Domain.Commitments;
using Brm.Domain.Feedback;
using Brm.Domain.Meetings;
using Brm.Domain.Outreach;
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

    /// <summary>
    /// The load of the plans <paramref name="stored"/> for the relationships <paramref name="managed"/>, with
    /// <paramref name="plan"/> counted as it now stands (in place of its stored version) when its relationship is one of them.
    /// </summary>
    public static PlannedLoad Counting(
        CommunicationPlan plan, string manager, IReadOnlyCollection<Guid> managed, IEnumerable<CommunicationPlan> stored, int threshold)
    {
        var current = managed.Contains(plan.RelationshipId) ? [plan] : Array.Empty<CommunicationPlan>();
        return Of(manager, stored.Where(p => p.Id != plan.Id).Concat(current), threshold);
    }
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

    /// <summary>
    /// <paramref name="manager"/>'s planned load across the relationships they manage, counting <paramref name="plan"/>
    /// as given (it may not be saved yet); null without a manager.
    /// </summary>
    public static async Task<PlannedLoad?> PlannedLoadAsync(
        this IQuerySession session, string? manager, CommunicationPlan plan, int threshold, CancellationToken ct)
    {
        if (manager is null)
        {
            return null;
        }

        var managed = (await session.CoverageScopeAsync(manager, ct)).Select(r => r.Id).ToList();
        return PlannedLoad.Counting(plan, manager, managed, await session.PlansAsync(managed, ct), threshold);
    }

    /// <summary>What <paramref name="manager"/>'s agenda (<see cref="Agenda.Of"/>) is built from, at <paramref name="now"/>, over the horizon.</summary>
    public static async Task<AgendaSources> AgendaSourcesAsync(
        this IQuerySession session, string manager, DateTimeOffset now, int horizonDays, CancellationToken ct)
    {
        var relationships = await session.CoverageScopeAsync(manager, ct);
        var ids = relationships.Select(r => r.Id).ToList();
        return new AgendaSources(
            relationships,
            await session.PlansAsync(ids, ct),
            await session.OpenCommitmentsDueAsync(ids, DateOnly.FromDateTime(now.UtcDateTime).AddDays(horizonDays), ct),
            await session.LastContactsAsync(ids, ct),
            await session.ScheduledMeetingsAsync(ids, now.AddDays(horizonDays), ct),
            await session.FeedbackOfAsync(ids, receivedBy: null, openOnly: true, ct),
            await session.UpdatesWithFailedDeliveriesAsync(ids, ct));
    }
}
