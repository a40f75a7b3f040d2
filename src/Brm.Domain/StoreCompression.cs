using Marten;
using Marten.Schema;
using Npgsql;

namespace Brm.Domain;

/// <summary>
/// At start-up, has PostgreSQL compress the store's large values with lz4 instead of its default, pglz: every table of the
/// store's schema, its <c>data</c> column (documents and events). Only values over about 2 KB are compressed at all; among
/// the store's documents that is mostly a plan, which keeps every communication it recorded and is written again by each
/// plan command and read by every agenda (docs/PERFORMANCE.md, "Plans compressed with lz4": a plan write takes about half
/// the PostgreSQL time). A value keeps the compression it was written with until it is written again; PostgreSQL reads
/// both. Nothing to do on a server built without lz4 (or older than PostgreSQL 14); once done, a start costs two queries.
/// </summary>
public sealed class StoreCompression : IInitialData
{
    public async Task Populate(IDocumentStore store, CancellationToken cancellation)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        await using (var supported = new NpgsqlCommand(Lz4Sql, connection))
        {
            if (await supported.ExecuteScalarAsync(cancellation) is not true)
            {
                return;
            }
        }

        var alterations = new List<string>();
        await using (var pending = new NpgsqlCommand(PendingSql, connection))
        await using (var reader = await pending.ExecuteReaderAsync(cancellation))
        {
            while (await reader.ReadAsync(cancellation))
            {
                alterations.Add(reader.GetString(0));
            }
        }

        foreach (var alteration in alterations)
        {
            await using var alter = new NpgsqlCommand(alteration, connection);
            await alter.ExecuteNonQueryAsync(cancellation);
        }
    }

    /// <summary>Whether the server compresses with lz4 (PostgreSQL 14 and later, built with it).</summary>
    private const string Lz4Sql = "select coalesce(bool_or('lz4' = any(enumvals)), false) from pg_settings where name = 'default_toast_compression'";

    /// <summary>The statement that sets each of the schema's <c>data</c> columns that does not compress with lz4 yet.</summary>
    private static readonly string PendingSql =
        $"""
        select format('alter table %s alter column data set compression lz4', c.oid::regclass)
        from pg_attribute as a
          join pg_class as c on c.oid = a.attrelid
          join pg_namespace as n on n.oid = c.relnamespace
        where n.nspname = '{BrmDomain.Schema}' and c.relkind in ('r', 'p') and a.attname = 'data' and not a.attisdropped and a.attcompression <> 'l'
        order by c.relname
        """;
}
