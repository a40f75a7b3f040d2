using System.Collections.Concurrent;
using System.Diagnostics;
using Brm.V1;
using Grpc.Core;

namespace Brm.Bench;

/// <summary>One operation's figures: successful calls, their rate and latency, failed calls by status code.</summary>
public sealed record OperationResult(string Name, OperationKind Kind, long Calls, double PerSecond, Latency Latency, IReadOnlyDictionary<string, long> Errors);

public sealed record WorkloadResult(
    double Seconds,
    int Concurrency,
    int Departments,
    IReadOnlyList<OperationResult> Operations,
    double CommandsPerSecond,
    double QueriesPerSecond,
    double CallsPerSecond,
    IReadOnlyDictionary<string, long> ErrorsByStatus,
    CpuTime CpuMsPerCall,
    Memory ServerMemory,
    bool PeakIsOfWorkloadOnly);

/// <summary>
/// The command/query mix of <see cref="Mix"/> over real gRPC: <c>concurrency</c> callers, each picking an
/// operation by weight and a department at random, for a fixed time. Calls in flight at the end finish and count.
/// </summary>
public static class Workload
{
    /// <summary>
    /// Registers <paramref name="count"/> departments through the API, <paramref name="concurrency"/> at a time,
    /// each with two stakeholders, a plan item and an open commitment (<see cref="Mix.SeedAsync"/>).
    /// </summary>
    public static async Task<IReadOnlyList<Department>> SeedDepartmentsAsync(Clients clients, int count, int concurrency, CancellationToken ct)
    {
        var departments = new ConcurrentBag<Department>();
        await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
            async (i, token) =>
            {
                var manager = Mix.Managers[i % Mix.Managers.Count];
                var response = await clients.Relationships.RegisterDepartmentAsync(new RegisterDepartmentRequest
                {
                    RequestId = Guid.NewGuid().ToString(), Code = $"dept-{i:00000}", Name = $"Department {i:00000}", Manager = manager,
                }, Calls.Unary(token));
                var department = new Department(response.Relationship.Id, response.Relationship.Code, manager, [], "");
                departments.Add(await Mix.SeedAsync(clients, department, stakeholders: 2, token));
            });
        return [.. departments.OrderBy(d => d.Code, StringComparer.Ordinal)];
    }

    public static async Task<WorkloadResult> RunAsync(
        Clients clients, IReadOnlyList<Department> departments, BenchOptions options, ServerProcess server, CancellationToken ct)
    {
        if (options.Warmup > 0)
        {
            await RunForAsync(clients, departments, options, TimeSpan.FromSeconds(options.Warmup), ct);
        }

        var peakOfWorkloadOnly = server.ResetPeakMemory();
        var cpu = CpuTime.Now(server);
        var (tallies, elapsed) = await RunForAsync(clients, departments, options, TimeSpan.FromSeconds(options.Duration), ct);
        var cpuUsed = CpuTime.Now(server).Since(cpu);
        var memory = server.Memory();

        var seconds = elapsed.TotalSeconds;
        var operations = Mix.Operations.Select(op =>
        {
            var latencies = tallies.SelectMany(t => t.Latencies[op.Name]).ToList();
            var errors = tallies.SelectMany(t => t.Errors)
                .Where(e => e.Key.Operation == op.Name)
                .GroupBy(e => e.Key.Status.ToString(), e => e.Value)
                .ToDictionary(g => g.Key, g => g.Sum());
            return new OperationResult(op.Name, op.Kind, latencies.Count, latencies.Count / seconds, Latency.Of(latencies), errors);
        }).ToList();
        var errorsByStatus = operations.SelectMany(o => o.Errors)
            .GroupBy(e => e.Key, e => e.Value)
            .ToDictionary(g => g.Key, g => g.Sum());

        return new WorkloadResult(
            seconds,
            options.Concurrency,
            departments.Count,
            operations,
            operations.Where(o => o.Kind == OperationKind.Command).Sum(o => o.Calls) / seconds,
            operations.Where(o => o.Kind == OperationKind.Query).Sum(o => o.Calls) / seconds,
            operations.Sum(o => o.Calls) / seconds,
            errorsByStatus,
            cpuUsed.PerUnitMs(operations.Sum(o => o.Calls) + errorsByStatus.Values.Sum()),
            memory,
            peakOfWorkloadOnly);
    }

    private static async Task<(Tally[] Tallies, TimeSpan Elapsed)> RunForAsync(
        Clients clients, IReadOnlyList<Department> departments, BenchOptions options, TimeSpan duration, CancellationToken ct)
    {
        var cumulative = Mix.Operations.Select(o => o.Weight).Aggregate(new List<int>(), (sums, w) =>
        {
            sums.Add((sums.Count == 0 ? 0 : sums[^1]) + w);
            return sums;
        });
        var watch = Stopwatch.StartNew();
        var tallies = await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker); // the same sequence of operations and departments on every run
            var tally = new Tally();
            while (watch.Elapsed < duration)
            {
                var pick = random.Next(cumulative[^1]);
                var operation = Mix.Operations[cumulative.FindIndex(sum => pick < sum)];
                var call = new Call(clients, departments[random.Next(departments.Count)], random, options.RequestIds, ct);
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await operation.Run(call);
                    tally.Latencies[operation.Name].Add(Latency.Since(start));
                }
                catch (RpcException e) when (!ct.IsCancellationRequested)
                {
                    tally.Errors[(operation.Name, e.StatusCode)] = tally.Errors.GetValueOrDefault((operation.Name, e.StatusCode)) + 1;
                }
            }

            return tally;
        }, ct)));
        return (tallies, watch.Elapsed);
    }

    /// <summary>One caller's figures; merged at the end, so callers never contend on them.</summary>
    private sealed class Tally
    {
        public Dictionary<string, List<double>> Latencies { get; } = Mix.Operations.ToDictionary(o => o.Name, _ => new List<double>());

        public Dictionary<(string Operation, StatusCode Status), long> Errors { get; } = [];
    }
}
