using Npgsql;

namespace Brm.Api.Tests.Support;

/// <summary>
/// The PostgreSQL server of this test run: the one in BRM_TEST_POSTGRES when set, else a throw-away cluster
/// (<see cref="ThrowawayCluster"/>, fsync off) started by the service's own local-PostgreSQL code. Each test class gets
/// its own database, which the throw-away cluster's service role owns: the tests call the service as it runs locally.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<Task<Func<string, Task<string>>>> Server = new(StartAsync);

    public static async Task<string> CreateDatabaseAsync()
    {
        var create = await Server.Value;
        return await create($"brm_test_{Guid.NewGuid():N}");
    }

    private static async Task<Func<string, Task<string>>> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("BRM_TEST_POSTGRES") is { Length: > 0 } external)
        {
            return name => CreateOnExternalServerAsync(external, name);
        }

        var cluster = await ThrowawayCluster.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return name => cluster.CreateDatabaseAsync(name);
    }

    private static async Task<string> CreateOnExternalServerAsync(string connectionString, string name)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"create database \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(connectionString) { Database = name }.ConnectionString;
    }
}
