using System.Globalization;
using System.Runtime.InteropServices;
using Brm.Bench;
using Grpc.Core;

// Brm.Bench: the service under load, side by side with what its own PostgreSQL does raw. See docs/PERFORMANCE.md.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (BenchOptions.Parse(args) is not { } options)
{
    return args.Contains("--help") || args.Contains("-h") ? 0 : 2;
}

using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupt.Cancel();
};
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    interrupt.Cancel();
});
var ct = interrupt.Token;

var work = Directory.CreateTempSubdirectory("brm-bench-").FullName;
var dataDirectory = Path.Combine(work, "data");
var report = new Report { Parameters = options, Machine = MachineInfo.Describe() };
var failed = false;
try
{
    if (LoadCheck.IsBusy(report.Machine.LoadAverageAtStart))
    {
        Progress($"the machine is busy (load average {report.Machine.LoadAverageAtStart}, above {LoadCheck.Limit}): the figures of this run will not be comparable"
            + (options.Quick ? "" : $" and it will exit {LoadCheck.BusyExitCode}"));
    }

    if (options.Web)
    {
        // The service as `dotnet run` serves the app (the build output), then as a deployment does (published); or the one --service names.
        var forms = new List<(string Service, string Dll)>();
        foreach (var form in options.WebServices)
        {
            var name = form switch { "built" => "built (dotnet build, dotnet run)", "published" => "published (dotnet publish)", _ => form };
            forms.Add((name, await ServerProcess.PrepareAsync(form, RepositoryRoot(), Path.Combine(work, form == "built" ? "built" : "publish"), Progress, ct)));
        }

        foreach (var (service, serviceDll) in forms)
        {
            var data = Path.Combine(work, $"data-{report.Web.Count + 1}");
            Progress($"starting the service as {service}, with its web app on an HTTP/1.1 endpoint, on a fresh data folder, {data}");
            await using var server = await ServerProcess.StartAsync(serviceDll, data, ct, webApp: true);
            Progress($"SERVING on {server.Address}, the web app on {server.WebAddress} after {server.StartupTime.TotalSeconds:0.00} s (service log: {server.LogFile})");
            await using (var store = new StoreFilling(server.ConnectionString()))
            {
                report.Machine = report.Machine with { Postgres = (string?)await store.Scalar("show server_version", ct) };
            }

            using (var clients = new Clients(server.Address, options.Token ?? await server.DevTokenAsync("admin", "bench", ct)))
            {
                // Something on the agenda: each of the 20 BRMs manages a share of the departments, with their commitments and plan items.
                Progress($"registering {options.Departments} departments through the API, with their stakeholders, plan items and commitments");
                await Workload.SeedDepartmentsAsync(clients, options.Departments, options.Concurrency, ct);
            }

            report.Web.Add(await WebLoad.MeasureAsync(service, server.WebAddress!, Mix.Managers[0], options.WebRuns, work, Progress, ct));
            Progress("stopping the service (SIGTERM)");
        }
    }
    else if (options.Rate is { } rate)
    {
        var dll = await ServerProcess.PrepareAsync(options.Service, RepositoryRoot(), Path.Combine(work, "service"), Progress, ct);
        Progress($"starting the service on a fresh data folder, {dataDirectory}");
        await using var server = await ServerProcess.StartAsync(dll, dataDirectory, ct);
        Progress($"SERVING on {server.Address} after {server.StartupTime.TotalSeconds:0.00} s (service log: {server.LogFile})");
        report.ColdStart = new ColdStart(server.StartupTime.TotalSeconds, null, null);
        using var clients = new Clients(server.Address, options.Token ?? await server.DevTokenAsync("admin", "bench", ct));
        await using (var store = new StoreFilling(server.ConnectionString()))
        {
            report.Machine = report.Machine with { Postgres = (string?)await store.Scalar("show server_version", ct) };
        }

        Progress($"registering {options.Departments} departments through the API, with their stakeholders, plan items and commitments");
        var departments = await Workload.SeedDepartmentsAsync(clients, options.Departments, options.Concurrency, ct);
        Progress($"open loop: {options.Warmup} s warm-up, then {options.Duration} s measured at {rate:0.0} commands/s");
        report.OpenLoop = await OpenLoop.RunAsync(clients, departments, options, rate, null, server, ct);
        Progress("stopping the service (SIGTERM)");
    }
    else
    {
        var dll = await ServerProcess.PrepareAsync(options.Service, RepositoryRoot(), Path.Combine(work, "service"), Progress, ct);
        Progress($"starting the service on a fresh data folder, {dataDirectory}");
        await using (var server = await ServerProcess.StartAsync(dll, dataDirectory, ct))
        {
            Progress($"SERVING on {server.Address} after {server.StartupTime.TotalSeconds:0.00} s (service log: {server.LogFile})");
            report.ColdStart = new ColdStart(server.StartupTime.TotalSeconds, null, null);
            var token = options.Token ?? await server.DevTokenAsync("admin", "bench", ct);
            Progress(token is null ? "calls carry no bearer token" : $"calls carry a bearer token ({(options.Token is null ? "the service's dev-token, admin" : "--token")})");
            using var clients = new Clients(server.Address, token);
            await using var store = new StoreFilling(server.ConnectionString());
            report.Machine = report.Machine with { Postgres = (string?)await store.Scalar("show server_version", ct) };

            Progress($"registering {options.Departments} departments through the API, with their stakeholders, plan items and commitments");
            var departments = await Workload.SeedDepartmentsAsync(clients, options.Departments, options.Concurrency, ct);

            if (options.Duration > 0)
            {
                Progress($"workload: {options.Warmup} s warm-up, then {options.Duration} s measured at concurrency {options.Concurrency}");
                report.Workload = await Workload.RunAsync(clients, departments, options, server, ct);
                Progress($"pgbench: {options.Duration} s at concurrency {options.Concurrency}");
                report.Pgbench = await Pgbench.RunAsync(server, options.Concurrency, options.Duration, work, ct);
                Progress($"feed lag: {FeedLag.Writers} writers racing for {options.Duration} s while a client follows StreamEvents");
                report.FeedLag = await FeedLag.RunAsync(clients, store, departments, TimeSpan.FromSeconds(options.Duration), ct);
                if (options.HalfLoad && report.Workload.CommandsPerSecond > 0)
                {
                    var half = report.Workload.CommandsPerSecond / 2;
                    Progress($"open loop at half load: {options.Warmup} s warm-up, then {options.Duration} s measured at {half:0.0} commands/s");
                    report.OpenLoop = await OpenLoop.RunAsync(clients, departments, options, half, report.Workload.CommandsPerSecond, server, ct);
                }
            }

            // The store grows through each size the growth and feed figures are taken at, smallest first.
            var feedSize = options.FeedEvents > 0 ? [options.FeedEvents] : Array.Empty<long>();
            foreach (var size in options.Growth.Concat(feedSize).Distinct().Order())
            {
                Progress($"filling the store to {size:N0} events");
                var fill = await store.FillToAsync(size, departments, Progress, ct);
                report.Fills.Add(fill);
                if (options.Growth.Contains(size))
                {
                    Progress($"growth: {options.GrowthReads} calls each of GetRelationship, GetAgenda, ListCommitments, GetTimeline and Search with {fill.EventsAfter:N0} events in the store");
                    report.Growth.Add(await Growth.MeasureAsync(clients, server, departments, fill.EventsAfter, options.GrowthReads, report.Growth.FirstOrDefault(), options.Quick, ct));
                }

                if (size == options.FeedEvents)
                {
                    Progress($"feed: raw COPY, then StreamEvents, over {fill.EventsAfter:N0} events");
                    report.Feed = await Feed.RunAsync(clients, store, server, ct);
                }
            }

            report.ColdStart = report.ColdStart with { EventsInExistingStore = await store.CountEventsAsync(ct) };
            Progress("stopping the service (SIGTERM)");
        }

        // Cold start on the folder the run left: a few starts, one after another, for their median.
        var starts = new List<double>();
        for (var start = 1; start <= (options.Quick ? 1 : 3); start++)
        {
            Progress($"starting the service again on the data folder as the run left it (cold start {start})");
            starts.Add(await ColdStartAsync());
        }

        report.ColdStart = report.ColdStart with { ExistingDataFolderSeconds = starts.Order().ElementAt(starts.Count / 2), ExistingDataFolderStarts = starts };

        async Task<double> ColdStartAsync()
        {
            await using var again = await ServerProcess.StartAsync(dll, dataDirectory, ct);
            return again.StartupTime.TotalSeconds;
        }
    }

    (report.LoadAverageAtEnd, report.LoadAverageAtEndWaitedSeconds) =
        await LoadCheck.AtEndAsync(LoadCheck.IsBusy(report.Machine.LoadAverageAtStart), options.Quick, Progress, ct);
    Console.WriteLine();
    Console.Write(report);
    if (options.Json is { } json)
    {
        await File.WriteAllTextAsync(json, report.ToJson(), CancellationToken.None);
        Console.WriteLine($"figures written to {Path.GetFullPath(json)}");
    }

    if (report.Busy)
    {
        Console.Error.WriteLine($"the machine was busy (1-minute load average above {LoadCheck.Limit} at the start or the end): "
            + $"the figures are not comparable{(options.Quick ? " (--quick: exit code 0 all the same)" : $"; exit code {LoadCheck.BusyExitCode}")}");
    }

    return report.Problems.Count > 0 ? 1 : report.Busy && !options.Quick ? LoadCheck.BusyExitCode : 0;
}
catch (BenchException e)
{
    Console.Error.WriteLine($"the run failed: {e.Message}");
    failed = true;
    return 1;
}
catch (RpcException e)
{
    Console.Error.WriteLine($"the run failed: a call the run depends on failed with {e.StatusCode}: {e.Status.Detail}");
    failed = true;
    return 1;
}
catch (OperationCanceledException) when (ct.IsCancellationRequested)
{
    Console.Error.WriteLine("interrupted");
    return 130;
}
finally
{
    if (options.KeepData || failed)
    {
        Console.WriteLine($"data folder and service logs kept in {work}{(failed ? " (the run failed: the service's log says what it was doing)" : "")}");
    }
    else
    {
        Directory.Delete(work, recursive: true);
    }
}

static void Progress(string message) => Console.WriteLine($"· {DateTime.Now:HH:mm:ss} {message}");

// The repository holding this project (for src/Brm.Api): up from the binaries, else up from the current folder.
static string RepositoryRoot() =>
    new[] { AppContext.BaseDirectory, Environment.CurrentDirectory }
        .SelectMany(start => Ancestors(new DirectoryInfo(start)))
        .FirstOrDefault(d => File.Exists(Path.Combine(d.FullName, "BrmCrm.sln")))?.FullName
    ?? throw new BenchException("cannot find the repository (BrmCrm.sln) above the bench or the current folder");

static IEnumerable<DirectoryInfo> Ancestors(DirectoryInfo? directory)
{
    for (; directory is not null; directory = directory.Parent)
    {
        yield return directory;
    }
}
