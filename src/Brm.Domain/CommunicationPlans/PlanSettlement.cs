using Marten;
using Marten.Schema;
using Npgsql;

namespace Brm.Domain.CommunicationPlans;

/// <summary>
/// At start-up, brings plan documents stored by an older version up to date: those whose items do not keep
/// <see cref="PlanItem.LastSettledPeriod"/> (until then the agenda would read such an item as never settled), and those
/// without their <see cref="CommunicationPlan.PlannedPerMonth"/> column (until then the manager's load would count them
/// as asking for nothing). Each is settled again from the communications it holds (<see cref="CommunicationPlan.Settled()"/>)
/// and written back with its column, unless a command has rewritten it meanwhile (which stores both). Once done, a start
/// finds none: one query.
/// </summary>
public sealed class PlanSettlement : IInitialData
{
    private const int Page = 500;

    public async Task Populate(IDocumentStore store, CancellationToken cancellation)
    {
        var serializer = store.Options.Serializer();
        var after = Guid.Empty;
        while (true)
        {
            await using var session = store.LightweightSession();
            var stale = new List<(Guid Id, long Version, CommunicationPlan Plan)>();
            await using (var reader = await session.ExecuteReaderAsync(
                new NpgsqlCommand(StaleSql) { Parameters = { new() { Value = after }, new() { Value = Page } } }, cancellation))
            {
                while (await reader.ReadAsync(cancellation))
                {
                    stale.Add((reader.GetGuid(0), reader.GetInt64(1), serializer.FromJson<CommunicationPlan>(reader, 2)));
                }
            }

            if (stale.Count == 0)
            {
                return;
            }

            foreach (var (id, version, plan) in stale)
            {
                var settled = plan.Settled();
                session.QueueSqlCommand(
                    $"update {BrmDomain.Schema}.mt_doc_communicationplan set data = cast(? as jsonb), planned_per_month = ? where id = ? and mt_version = ?",
                    serializer.ToJson(settled), settled.PlannedPerMonth, id, version);
            }

            await session.SaveChangesAsync(cancellation);
            after = stale[^1].Id;
        }
    }

    /// <summary>A page of the plans (after $1, by id) without their communications per month, or with an item that does not carry its last settled period.</summary>
    private static readonly string StaleSql =
        $"""
        select p.id, p.mt_version, p.data from {BrmDomain.Schema}.mt_doc_communicationplan as p
        where p.id > $1
          and (p.planned_per_month is null
            or exists (select 1 from jsonb_array_elements(p.data -> 'Items') as i where not jsonb_exists(i, 'LastSettledPeriod')))
        order by p.id
        limit $2
        """;
}
