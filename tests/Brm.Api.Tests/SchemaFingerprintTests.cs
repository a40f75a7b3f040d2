using Brm.Api.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Brm.Api.Tests;

/// <summary>
/// The start-up schema apply (docs/DEPLOYMENT.md, "Applying the schema before a rollout"), of the domain's schema (Marten)
/// and of Wolverine's tables (Messaging.MessageStorageSchema) alike: a start whose schema fingerprint is stored changes
/// nothing and reads no catalog; a start without it compares the whole schema, repairs what is missing and stores the
/// fingerprint.
/// </summary>
public sealed class SchemaFingerprintTests
{
    // An index each configuration asks for (the duplicated SentAt of the updates; Wolverine's handled messages by expiry),
    // dropped behind the service's back.
    private static readonly (string Schema, string Name)[] Indexes =
        [("brm", "mt_doc_update_idx_sent_at"), ("brm_messages", "idx_wolverine_incoming_envelopes_keep_until")];

    [Fact]
    public async Task A_start_with_the_fingerprint_stored_changes_nothing_and_one_without_it_repairs_the_schema()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        await StartAndStopAsync(connectionString);
        Assert.Equal(2, (await FingerprintsAsync(connectionString)).Count); // the domain's schema and Wolverine's tables
        foreach (var (schema, name) in Indexes)
        {
            Assert.True(await IndexExistsAsync(connectionString, schema, name), $"the first start should have created {schema}.{name}");
            await Sql.ExecuteAsync(connectionString, $"drop index {schema}.{name}");
        }

        await StartAndStopAsync(connectionString);

        foreach (var (schema, name) in Indexes)
        {
            Assert.False(await IndexExistsAsync(connectionString, schema, name), $"a start with the fingerprint stored should not have diffed {schema}");
        }

        await Sql.ExecuteAsync(connectionString, "delete from public.weasel_schema_fingerprints"); // the documented repair
        await StartAndStopAsync(connectionString);

        foreach (var (schema, name) in Indexes)
        {
            Assert.True(await IndexExistsAsync(connectionString, schema, name), $"a start without the fingerprint should have repaired {schema}.{name}");
        }

        Assert.Equal(2, (await FingerprintsAsync(connectionString)).Count);
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

    private static async Task<bool> IndexExistsAsync(string connectionString, string schema, string name) =>
        (await Sql.RowsAsync(connectionString, $"select 1 from pg_indexes where schemaname = '{schema}' and indexname = '{name}'")).Count == 1;

    private static async Task<List<object[]>> FingerprintsAsync(string connectionString) =>
        await Sql.RowsAsync(connectionString, "select fingerprint from public.weasel_schema_fingerprints");
}
