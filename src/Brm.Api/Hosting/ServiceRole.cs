using Npgsql;

namespace Brm.Api.Hosting;

/// <summary>
/// The local cluster's login role for the service, <c>brm_service</c>: not a superuser, may not create roles or
/// databases; it owns the databases <see cref="LocalPostgres"/> creates and everything in them, and nothing else.
/// </summary>
public static class ServiceRole
{
    public const string Name = "brm_service";

    /// <summary>
    /// Creates the role if it is missing (a cluster an earlier version made has none) and gives it exactly these
    /// rights and <paramref name="password"/>: a regenerated password file takes effect on the next start.
    /// </summary>
    public static async Task EnsureAsync(NpgsqlConnection admin, string password, CancellationToken ct)
    {
        try
        {
            await ExecuteAsync(admin, $"create role {Name}", ct);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.UniqueViolation)
        {
            // it exists
        }

        await ExecuteAsync(admin,
            $"alter role {Name} with login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password '{password.Replace("'", "''", StringComparison.Ordinal)}'", ct);
    }

    /// <summary>Hands the role what another role (the superuser, under an earlier version) made in the connection's database.</summary>
    public static Task TakeOverAsync(NpgsqlConnection adminInDatabase, CancellationToken ct) => ExecuteAsync(adminInDatabase, TakeOver, ct);

    internal static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    // Its schemas (public belongs to the database's owner already), then tables, views and the like (their sequences
    // follow them), then the other sequences, functions and types.
    private const string TakeOver = $$"""
        do $$
        declare
            item record;
        begin
            for item in select n.nspname from pg_namespace n
                where n.nspname not like 'pg\_%' and n.nspname not in ('information_schema', 'public') and n.nspowner <> '{{Name}}'::regrole
            loop
                execute format('alter schema %I owner to {{Name}}', item.nspname);
            end loop;
            for item in select c.oid::regclass as name, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname not like 'pg\_%' and n.nspname <> 'information_schema' and c.relkind in ('r', 'p', 'v', 'm', 'f')
                  and c.relowner <> '{{Name}}'::regrole
            loop
                execute format('alter %s %s owner to {{Name}}',
                    case item.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'f' then 'foreign table' else 'table' end, item.name);
            end loop;
            for item in select c.oid::regclass as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname not like 'pg\_%' and n.nspname <> 'information_schema' and c.relkind = 'S' and c.relowner <> '{{Name}}'::regrole
            loop
                execute format('alter sequence %s owner to {{Name}}', item.name);
            end loop;
            for item in select p.oid::regprocedure as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                where n.nspname not like 'pg\_%' and n.nspname <> 'information_schema' and p.proowner <> '{{Name}}'::regrole
            loop
                execute format('alter routine %s owner to {{Name}}', item.name);
            end loop;
            for item in select t.oid::regtype as name from pg_type t join pg_namespace n on n.oid = t.typnamespace
                where n.nspname not like 'pg\_%' and n.nspname <> 'information_schema' and t.typtype in ('c', 'd', 'e', 'r', 'm')
                  and t.typrelid = 0 and t.typowner <> '{{Name}}'::regrole
            loop
                execute format('alter type %s owner to {{Name}}', item.name);
            end loop;
        end
        $$
        """;
}
