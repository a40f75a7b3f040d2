using Brm.Domain;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Brm.Api.Tests.Reliability;

/// <summary>
/// Every read model the projections keep (every <c>mt_doc_*</c> table but the request-id answers), as JSON, and a
/// rebuild of every projection, inline and async, from the events, through the service's own daemon.
/// </summary>
public static class ReadModels
{
    /// <summary>Documents that no projection writes (request-id answers, dead letters, the page-token key ring).</summary>
    private static readonly string[] NotProjected = ["mt_doc_processedrequest", "mt_doc_deadletterevent", "mt_doc_dataprotectionkey"];

    /// <summary>Each read model table's documents, "id data" per line, ordered by id.</summary>
    public static async Task<SortedDictionary<string, List<string>>> SnapshotAsync(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        var tables = await session.QueryAsync<string>(
            "select table_name from information_schema.tables where table_schema = ? and table_name like 'mt_doc_%' order by table_name",
            BrmDomain.Schema);
        var snapshot = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var table in tables.Except(NotProjected))
        {
            var rows = await session.QueryAsync<string>(
                $"select id::text || ' ' || data::text from {BrmDomain.Schema}.{table} order by id::text");
            snapshot[table] = rows.ToList();
        }

        return snapshot;
    }

    /// <summary>Rebuilds every projection (inline and async) from the events, one after the other.</summary>
    public static async Task<IReadOnlyList<string>> RebuildAllAsync(IServiceProvider services)
    {
        var store = services.GetRequiredService<IDocumentStore>();
        var daemon = services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();
        var names = ((StoreOptions)store.Options).Projections.All.Select(p => p.Name).ToList();
        foreach (var name in names)
        {
            await daemon.RebuildProjectionAsync(name, TimeSpan.FromMinutes(2), CancellationToken.None);
        }

        return names;
    }

    /// <summary>The tables whose documents differ, each with its first difference.</summary>
    public static IReadOnlyList<string> Differences(SortedDictionary<string, List<string>> live, SortedDictionary<string, List<string>> rebuilt) =>
        live.Keys.Union(rebuilt.Keys)
            .Select(table => (table, a: live.GetValueOrDefault(table) ?? [], b: rebuilt.GetValueOrDefault(table) ?? []))
            .Where(t => !t.a.SequenceEqual(t.b))
            .Select(t => $"{t.table}: live {t.a.Count} documents, rebuilt {t.b.Count}; first difference: live "
                + $"'{t.a.Except(t.b).FirstOrDefault()}', rebuilt '{t.b.Except(t.a).FirstOrDefault()}'")
            .ToList();
}
