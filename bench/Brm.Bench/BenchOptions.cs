using System.Globalization;
using System.Text.Json.Serialization;

namespace Brm.Bench;

/// <summary>The run's parameters, from the command line (see <see cref="Usage"/>).</summary>
public sealed record BenchOptions
{
    /// <summary>Seconds of measured mixed workload; pgbench runs as long. 0 skips both.</summary>
    public int Duration { get; init; } = 30;

    /// <summary>Seconds of the same mix before the measurement, not counted.</summary>
    public int Warmup { get; init; } = 3;

    /// <summary>Calls in flight at once (workload and seeding), and pgbench's clients.</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>Departments registered through the API before the workload; it acts on them at random.</summary>
    public int Departments { get; init; } = 1000;

    /// <summary>Events in the store when the feed is read whole. 0 skips the feed.</summary>
    public long FeedEvents { get; init; } = 1_000_000;

    /// <summary>Store sizes (events) at which GetRelationship latency is measured. Empty skips growth.</summary>
    public IReadOnlyList<long> Growth { get; init; } = [100_000, 1_000_000];

    /// <summary>Sequential GetRelationship calls measured at each growth size (after unmeasured ones, until the service's CPU per call settles).</summary>
    public int GrowthReads { get; init; } = 2000;

    /// <summary>
    /// After the workload and pgbench, the mix open-loop (<see cref="OpenLoop"/>) at half the commands/s the workload
    /// reached, for as long (--rate half, the default); --rate none: not.
    /// </summary>
    public bool HalfLoad { get; init; } = true;

    /// <summary>Only the mix open-loop at this many commands/s (--rate R), for --duration seconds after --warmup: nothing else is measured.</summary>
    public double? Rate { get; init; }

    /// <summary>Where to write the figures as JSON; none when null.</summary>
    public string? Json { get; init; }

    /// <summary>The bearer token sent on every brm.v1 call (--token or BRM_TOKEN); never written to the report.</summary>
    [JsonIgnore]
    public string? Token { get; init; }

    /// <summary>Commands carry a request id (AIP-155), as a client that retries safely sends; --no-request-ids: none.</summary>
    public bool RequestIds { get; init; } = true;

    /// <summary>Keep the temporary data folder (the PostgreSQL cluster, server logs) at the end.</summary>
    public bool KeepData { get; init; }

    public bool Quick { get; init; }

    /// <summary>
    /// The service measured: <c>published</c> (the default: <c>dotnet publish</c>, ReadyToRun, as deployed), <c>built</c>
    /// (<c>dotnet build</c>'s output, as <c>dotnet run</c> runs it, JIT only), or the path of a Brm.Api.dll to run as it is.
    /// </summary>
    public string Service { get; init; } = "published";

    /// <summary>Only the web app's first load (<see cref="WebLoad"/>), in headless Chromium: nothing else is measured.</summary>
    public bool Web { get; init; }

    /// <summary>Loads per figure of the web app's first load (cold, each in a fresh browser profile, and warm).</summary>
    public int WebRuns { get; init; } = 5;

    /// <summary>
    /// The forms of the service whose web app <see cref="Web"/> measures: built and published, or only the one
    /// <c>--service</c> names (e.g. two published copies, measured one after the other to compare them).
    /// </summary>
    public IReadOnlyList<string> WebServices { get; init; } = ["built", "published"];

    public const string Usage = """
        Brm.Bench: the BRM CRM service under load, side by side with what its PostgreSQL does raw.

        dotnet run -c Release --project bench/Brm.Bench -- [options]

          --duration <s>         measured seconds of the command/query mix, and of pgbench   (30)
          --warmup <s>           unmeasured seconds of the mix first                          (3)
          --concurrency <n>      calls in flight, and pgbench clients                         (16)
          --departments <n>      departments registered through the API first                 (1000)
          --feed-events <n>      events in the store when the feed is read whole; 0: skip     (1000000)
          --growth <n,n,...>     store sizes for GetRelationship latency; none: skip          (100000,1000000)
          --growth-reads <n>     sequential GetRelationship calls per growth size             (2000)
          --rate <R|half|none>   the mix open-loop: calls start on a fixed schedule, R commands/s (and the
                                 mix's queries in proportion), whether or not earlier ones answered; latency
                                 from each call's intended start. A number R: only that, for --duration s
                                 after --warmup s. half: after the workload and pgbench, at half the commands/s
                                 the workload reached, for --duration s. none: skip                   (half)
          --json <path>          also write every figure as JSON
          --token <jwt>          bearer token for brm.v1 calls (default $BRM_TOKEN; else minted by the
                                 service's dev-token command, when it has one)
          --no-request-ids       commands without request_id (no idempotency record; one round trip less)
          --keep-data            keep the temporary data folder (cluster and logs)
          --service <s>          the service measured: published (dotnet publish, ReadyToRun, as deployed),
                                 built (dotnet build, as dotnet run runs it) or a Brm.Api.dll path  (published)
          --quick                a smoke run under two minutes: --duration 5 --warmup 1 --departments 100
                                 --feed-events 20000 --growth 5000,20000 --growth-reads 300 (others still apply);
                                 the load check only reports (exit code 0 when the machine was busy)
          --web                  only the web app's first load, in headless Chromium (/usr/bin/chromium and
                                 chromedriver): sign-in and agenda, cold and warm, and the bytes; --departments
                                 (default 200 here), --web-runs, --json and --keep-data apply; both
                                 forms (built and published) unless --service names one
          --web-runs <n>         loads per figure with --web                                  (5)

        The 1-minute load average is read at the start and at the end (after the run's own share of it has
        decayed, up to 3 min). Above 1.5 at either, the machine was busy: the figures are printed as not
        comparable, with no ratio, and the run exits 3 (with --quick: 0). Exit codes: 0 a valid run on a quiet
        machine; 1 a failed or invalid run; 2 bad options; 3 a busy machine; 130 interrupted.
        """;

    /// <summary>The options of <paramref name="args"/>; null (after printing why) when they are wrong or --help.</summary>
    public static BenchOptions? Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] flags = ["--quick", "--web", "--keep-data", "--no-request-ids", "--help", "-h"];
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] ? (n, v) : (args[i], null);
            if (flags.Contains(name))
            {
                values[name] = "true";
            }
            else if (inline is not null)
            {
                values[name] = inline;
            }
            else if (i + 1 < args.Count)
            {
                values[name] = args[++i];
            }
            else
            {
                return Fail($"{name} needs a value");
            }
        }

        if (values.ContainsKey("--help") || values.ContainsKey("-h"))
        {
            Console.WriteLine(Usage);
            return null;
        }

        var quick = values.ContainsKey("--quick");
        var options = quick
            ? new BenchOptions { Quick = true, Duration = 5, Warmup = 1, Departments = 100, FeedEvents = 20_000, Growth = [5_000, 20_000], GrowthReads = 300 }
            : new BenchOptions();
        if (values.ContainsKey("--web"))
        {
            options = options with { Web = true, Departments = 200 };
        }

        options = options with { Token = Environment.GetEnvironmentVariable("BRM_TOKEN") is { Length: > 0 } env ? env : null };

        try
        {
            foreach (var (name, value) in values)
            {
                options = name switch
                {
                    "--duration" => options with { Duration = NonNegative(value) },
                    "--warmup" => options with { Warmup = NonNegative(value) },
                    "--concurrency" => options with { Concurrency = Math.Max(1, NonNegative(value)) },
                    "--departments" => options with { Departments = Math.Max(1, NonNegative(value)) },
                    "--feed-events" => options with { FeedEvents = long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture) },
                    "--growth" => options with { Growth = Sizes(value) },
                    "--growth-reads" => options with { GrowthReads = Math.Max(1, NonNegative(value)) },
                    "--json" => options with { Json = value },
                    "--token" => options with { Token = value.Length > 0 ? value : null },
                    "--keep-data" => options with { KeepData = true },
                    "--service" => options with { Service = value, WebServices = [value] },
                    "--no-request-ids" => options with { RequestIds = false },
                    "--quick" or "--web" => options,
                    "--rate" => value switch
                    {
                        "half" => options with { HalfLoad = true, Rate = null },
                        "none" => options with { HalfLoad = false, Rate = null },
                        _ => options with { HalfLoad = false, Rate = Rate(value) },
                    },
                    "--web-runs" => options with { WebRuns = Math.Max(1, NonNegative(value)) },
                    _ => throw new FormatException($"unknown option {name}"),
                };
            }
        }
        catch (FormatException e)
        {
            return Fail(e.Message);
        }

        return options;

        static int NonNegative(string value) => int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);

        static double Rate(string value) =>
            double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate) && rate > 0
                ? rate
                : throw new FormatException($"--rate takes commands per second (a number above 0), half or none, not {value}");

        static long[] Sizes(string value) => value is "" or "none"
            ? []
            : [.. value.Split(',').Select(s => long.Parse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture)).Order()];

        static BenchOptions? Fail(string why)
        {
            Console.Error.WriteLine($"{why}{Environment.NewLine}{Environment.NewLine}{Usage}");
            return null;
        }
    }
}
