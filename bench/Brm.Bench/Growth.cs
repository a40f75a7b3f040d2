using System.Diagnostics;
using Brm.V1;
using Grpc.Core;

namespace Brm.Bench;

/// <summary>
/// One query's latency with the store at one size, and its ratio to the same figure at the first size measured; with
/// how many items its answers held on average (entries of an agenda, hits of a search, 1 for a relationship): a cost
/// per call means little without the size of what the call returned.
/// </summary>
public sealed record GrowthRead(string Rpc, Latency Latency, double P50Ratio, double P95Ratio, CpuTime CpuMsPerCall, double ItemsPerCall);

/// <summary>Read latency with the store at one size: GetRelationship, GetAgenda, ListCommitments, GetTimeline and Search.</summary>
public sealed record GrowthStep(long EventsInStore, IReadOnlyList<GrowthRead> Reads);

/// <summary>
/// Read latency as the store grows: one caller (no queueing in the figures), each query in turn on the workload's
/// departments (GetRelationship; ListCommitments: the first page of a department's commitments, by due date; GetTimeline:
/// the first page of its timeline, newest first) and BRMs (GetAgenda) at random. Reads load projected documents, never
/// replay a stream, so the store's size should not show. The seeded streams belong to a BRM of their own
/// (<see cref="StoreFilling.SeedManager"/>), so an agenda covers the same relationships at every size; half of each fill
/// is those relationships' closed history (dated before the workload), so what grows is what the reads must skip. Search asks for
/// words of one seeded topic in a thousand across every department (its hits grow with the store: one seeded
/// department in a thousand matches, ten per 100k events), ranked, the first page of 50 with snippets.
/// </summary>
public static class Growth
{
    // Unmeasured calls first, in batches, until the service's CPU per call stops falling: a young process spends a
    // core for a minute or so recompiling its hot code in the JIT's optimizing tier, which would count against the
    // first size. At least a fifth as many calls as measured; at most a minute per query (5 s with --quick, whose
    // growth figures are a smoke test only).
    private const int WarmUpBatch = 200;

    public static async Task<GrowthStep> MeasureAsync(
        Clients clients, ServerProcess server, IReadOnlyList<Department> departments, long eventsInStore, int reads, GrowthStep? first,
        bool quick, CancellationToken ct)
    {
        var maxWarmUp = TimeSpan.FromSeconds(quick ? 5 : 60);
        var random = new Random(42);
        (string Rpc, Func<Task<int>> Call)[] queries =
        [
            ("GetRelationship", async () =>
            {
                await clients.Relationships.GetRelationshipAsync(
                    new GetRelationshipRequest { RelationshipId = departments[random.Next(departments.Count)].Id }, Calls.Unary(ct));
                return 1;
            }),
            ("GetAgenda", async () => (await clients.Plans.GetAgendaAsync(
                new GetAgendaRequest { Manager = departments[random.Next(departments.Count)].Manager }, Calls.Unary(ct))).Entries.Count),
            ("ListCommitments", async () => (await clients.Commitments.ListCommitmentsAsync(
                new ListCommitmentsRequest { RelationshipId = departments[random.Next(departments.Count)].Id }, Calls.Unary(ct))).Commitments.Count),
            ("GetTimeline", async () => (await clients.Reporting.GetTimelineAsync(
                new GetTimelineRequest { RelationshipId = departments[random.Next(departments.Count)].Id }, Calls.Unary(ct))).Entries.Count),
            ("Search", async () => (await clients.Search.SearchAsync(
                new SearchRequest { Query = $"outage {StoreFilling.Topic(random.Next(StoreFilling.Topics))}" }, Calls.Unary(ct))).Hits.Count),
        ];

        var measured = new List<GrowthRead>();
        foreach (var (rpc, unnamed) in queries)
        {
            var call = Named(rpc, eventsInStore, unnamed);
            await WarmUpAsync(server, call, reads, maxWarmUp);
            var latencies = new List<double>(reads);
            var items = 0L;
            var cpu = CpuTime.Now(server);
            for (var i = 0; i < reads; i++)
            {
                var start = Stopwatch.GetTimestamp();
                items += await call();
                latencies.Add(Latency.Since(start));
            }

            var cpuPerCall = CpuTime.Now(server).Since(cpu).PerUnitMs(reads);
            var latency = Latency.Of(latencies);
            var before = first?.Reads.Single(r => r.Rpc == rpc).Latency;
            measured.Add(new GrowthRead(
                rpc, latency, before is null ? 1 : latency.P50 / before.P50, before is null ? 1 : latency.P95 / before.P95, cpuPerCall,
                (double)items / reads));
        }

        return new GrowthStep(eventsInStore, measured);
    }

    /// <summary>The call, its failure naming it: a run that stops on a call's error says which call and when.</summary>
    private static Func<Task<int>> Named(string rpc, long eventsInStore, Func<Task<int>> call) => async () =>
    {
        try
        {
            return await call();
        }
        catch (RpcException e)
        {
            throw new BenchException($"{rpc} with {eventsInStore:N0} events in the store failed with {e.StatusCode}: {e.Status.Detail}");
        }
    };

    private static async Task WarmUpAsync(ServerProcess server, Func<Task<int>> call, int reads, TimeSpan maxWarmUp)
    {
        var warming = Stopwatch.StartNew();
        var previous = double.MaxValue;
        for (var calls = 0; warming.Elapsed < maxWarmUp; calls += WarmUpBatch)
        {
            var before = CpuTime.Now(server);
            for (var i = 0; i < WarmUpBatch; i++)
            {
                await call();
            }

            var perCall = CpuTime.Now(server).Since(before).Service / WarmUpBatch;
            if (calls + WarmUpBatch >= reads / 5 && perCall > previous * 0.8)
            {
                break;
            }

            previous = perCall;
        }
    }
}
