using System.Diagnostics;
using Brm.V1;

namespace Brm.Bench;

/// <summary>Read latency with the store at one size, and its ratio to the same figure at the first size measured.</summary>
public sealed record GrowthStep(long EventsInStore, Latency GetRelationship, double P50Ratio, double P95Ratio, CpuTime CpuMsPerCall);

/// <summary>
/// Read latency as the store grows: one caller (no queueing in the figures), GetRelationship on the workload's
/// departments at random. Reads load the projected document, never replay the stream, so the store's size
/// should not show. A query that lands (GetAgenda) gets a line here next to GetRelationship.
/// </summary>
public static class Growth
{
    // Unmeasured calls first, in batches, until the service's CPU per call stops falling: a young process spends a
    // core for a minute or so recompiling its hot code in the JIT's optimizing tier, which would count against the
    // first size. At least a fifth as many calls as measured; at most this long.
    private const int WarmUpBatch = 200;
    private static readonly TimeSpan MaxWarmUp = TimeSpan.FromSeconds(60);

    public static async Task<GrowthStep> MeasureAsync(
        Clients clients, ServerProcess server, IReadOnlyList<Department> departments, long eventsInStore, int reads, GrowthStep? first,
        CancellationToken ct)
    {
        var random = new Random(42);
        Task Read() => clients.Relationships.GetRelationshipAsync(
            new GetRelationshipRequest { RelationshipId = departments[random.Next(departments.Count)].Id }, Calls.Unary(ct)).ResponseAsync;

        var warming = Stopwatch.StartNew();
        var previous = double.MaxValue;
        for (var calls = 0; warming.Elapsed < MaxWarmUp; calls += WarmUpBatch)
        {
            var before = CpuTime.Now(server);
            for (var i = 0; i < WarmUpBatch; i++)
            {
                await Read();
            }

            var perCall = CpuTime.Now(server).Since(before).Service / WarmUpBatch;
            if (calls + WarmUpBatch >= reads / 5 && perCall > previous * 0.8)
            {
                break;
            }

            previous = perCall;
        }

        var latencies = new List<double>(reads);
        var cpu = CpuTime.Now(server);
        for (var i = 0; i < reads; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await Read();
            latencies.Add(Latency.Since(start));
        }

        var cpuPerCall = CpuTime.Now(server).Since(cpu).PerUnitMs(reads);
        var latency = Latency.Of(latencies);
        return new GrowthStep(
            eventsInStore,
            latency,
            first is null ? 1 : latency.P50 / first.GetRelationship.P50,
            first is null ? 1 : latency.P95 / first.GetRelationship.P95,
            cpuPerCall);
    }
}
