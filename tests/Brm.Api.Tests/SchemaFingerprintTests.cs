using Brm.Api.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Brm.Api.Tests;

/// <summary>
/// The start-up schema apply (docs/DEPLOYMENT.md, "Applying the schema before a rollout"): a start whose schema
/// fingerprint is stored changes nothing and reads no catalog; a start without it compares the whole schema, repairs
/// what is missing and stores the fingerprint.
/// </summary>
public sealed class SchemaFingerprintTests
{
    // An index the configuration asks for (the duplicated SentAt of the updates), dropped behind the service's back.
    private const string Index = "mt_doc_update_idx_sent_at";

    [Fact]
    public async Task A_start_with_the_fingerprint_stored_changes_nothing_and_one_without_it_repairs_the_schema()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        await StartAndStopAsync(connectionString);
        Assert.Single(await FingerprintsAsync(connectionString));
        Assert.True(await IndexExistsAsync(connectionString), $"the first start should have created {Index}");

        await Sql.ExecuteAsync(connectionString, $"drop index brm.{Index}");
        await StartAndStopAsync(connectionString);

        Assert.False(await IndexExistsAsync(connectionString), "a start with the fingerprint stored should not have diffed the schema");

        await Sql.ExecuteAsync(connectionString, "delete from public.weasel_schema_fingerprints"); // the documented repair
        await StartAndStopAsync(connectionString);

        Assert.True(await IndexExistsAsync(connectionString), "a start without the fingerprint should have compared and repaired the schema");
        Assert.Single(await FingerprintsAsync(connectionString));
    }

    private static async Task StartAndStopAsync(string connectionString)
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("ConnectionStrings:Marten", connectionString);
            host.UseSetting("Outreach:Digests", "false");
            host.UseSetting("Feedback:Rounds", "false");
        });
        _ = factory.Server; // starts the host: the schema is applied before it serves
    }

    private static async Task<bool> IndexExistsAsync(string connectionString) =>
        (await Sql.RowsAsync(connectionString, $"select 1 from pg_indexes where schemaname = 'brm' and indexname = '{Index}'")).Count == 1;

    private static async Task<List<object[]>> FingerprintsAsync(string connectionString) =>
        await Sql.RowsAsync(connectionString, "select fingerprint from public.weasel_schema_fingerprints");
}
