using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Brm.Bench;

public sealed record PgbenchResult(
    double Tps, double LatencyAverageMs, long Transactions, long Failed, int Clients, int Threads, int Seconds, double PostgresCpuMsPerTransaction, string Script);

/// <summary>
/// The baseline: PostgreSQL's own pgbench against the service's PostgreSQL (the same instance, settings and
/// disk), one single-row JSON insert per transaction, at the workload's concurrency and duration.
/// </summary>
public static partial class Pgbench
{
    public const string Database = "pgbench";

    // One row of about the size of a small event, committed on its own: the least any command has to do.
    public const string Script = """
        insert into bench_insert (doc) values ('{"relationshipId": "0190f3c2-7f4e-7a51-9d2c-4c1a3b2e5f60", "name": "Alice Smith", "title": "Head of Accounts Payable", "level": "Executive", "email": "alice@example.com", "influence": "High", "interest": "Medium", "addedBy": "brm.01", "addedAt": "2025-01-01T09:00:00Z"}');
        """;

    public static async Task<PgbenchResult> RunAsync(ServerProcess server, int concurrency, int seconds, string workDirectory, CancellationToken ct)
    {
        await PrepareAsync(server, ct);

        var pgbench = Path.Combine(server.PostgresBinDirectory(), "pgbench");
        var scriptFile = Path.Combine(workDirectory, "insert.sql");
        await File.WriteAllTextAsync(scriptFile, Script + Environment.NewLine, ct);

        var connection = new NpgsqlConnectionStringBuilder(server.ConnectionString(Database));
        var threads = Math.Min(concurrency, Environment.ProcessorCount);
        var cpu = CpuTime.Now(server);
        var (exitCode, output) = await Processes.RunAsync(pgbench,
        [
            "-n", "-f", scriptFile, "-c", Text(concurrency), "-j", Text(threads), "-T", Text(seconds),
            "-h", connection.Host!, "-p", Text(connection.Port), "-U", connection.Username!, Database,
        ], ct, new Dictionary<string, string?> { ["PGPASSWORD"] = connection.Password });
        if (exitCode != 0)
        {
            throw new BenchException($"pgbench failed (exit code {exitCode}):{Environment.NewLine}{output}");
        }

        var postgresCpu = CpuTime.Now(server).Since(cpu).Postgres;
        var transactions = (long)Number(ProcessedLine(), output);
        return new PgbenchResult(
            Number(TpsLine(), output),
            Number(LatencyLine(), output),
            transactions,
            FailedLine().Match(output) is { Success: true } failed ? long.Parse(failed.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            concurrency,
            threads,
            seconds,
            postgresCpu * 1000 / Math.Max(1, transactions),
            Script);
    }

    private static async Task PrepareAsync(ServerProcess server, CancellationToken ct)
    {
        await using (var admin = new NpgsqlConnection(server.ConnectionString("postgres")))
        {
            await admin.OpenAsync(ct);
            await using var exists = new NpgsqlCommand($"select 1 from pg_database where datname = '{Database}'", admin);
            if (await exists.ExecuteScalarAsync(ct) is null)
            {
                await using var create = new NpgsqlCommand($"create database {Database}", admin);
                await create.ExecuteNonQueryAsync(ct);
            }
        }

        await using var connection = new NpgsqlConnection(server.ConnectionString(Database));
        await connection.OpenAsync(ct);
        await using var table = new NpgsqlCommand(
            "drop table if exists bench_insert; create table bench_insert (id bigserial primary key, doc jsonb not null)", connection);
        await table.ExecuteNonQueryAsync(ct);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static double Number(Regex pattern, string output) =>
        pattern.Match(output) is { Success: true } match
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new BenchException($"pgbench's output has no '{pattern}':{Environment.NewLine}{output}");

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();

    [GeneratedRegex(@"latency average = ([0-9.]+) ms")]
    private static partial Regex LatencyLine();

    [GeneratedRegex(@"number of transactions actually processed: ([0-9]+)")]
    private static partial Regex ProcessedLine();

    [GeneratedRegex(@"number of failed transactions: ([0-9]+)")]
    private static partial Regex FailedLine();
}
