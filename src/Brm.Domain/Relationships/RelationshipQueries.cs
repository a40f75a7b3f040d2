using Brm.Domain.Tags;
using Marten;

namespace Brm.Domain.Relationships;

/// <summary>Reads of the projected <see cref="Relationship"/> documents; never a stream replay.</summary>
public static class RelationshipQueries
{
    public static async Task<Relationship> GetAsync(this IQuerySession session, Guid id, CancellationToken ct) =>
        await session.LoadAsync<Relationship>(id, ct)
        ?? throw DomainException.NotFound($"relationship {id} was not found");

    public static async Task<Relationship> GetByCodeAsync(this IQuerySession session, string code, CancellationToken ct) =>
        await session.Query<Relationship>().FirstOrDefaultAsync(x => x.Code == code, ct)
        ?? throw DomainException.NotFound($"no department has the code '{code}'");

    public static async Task EnsureCodeFreeAsync(this IQuerySession session, string code, CancellationToken ct)
    {
        if (await session.Query<Relationship>().AnyAsync(x => x.Code == code, ct))
        {
            throw DomainException.AlreadyExists($"a department with the code '{code}' already exists");
        }
    }

    /// <summary>The SQL condition that the relationship document <paramref name="alias"/> is not archived.</summary>
    public static string NotArchived(string alias) => $"({alias}.data -> 'Archived' is null or {alias}.data -> 'Archived' = 'null'::jsonb)";

    /// <summary>
    /// One page ordered by name (case-insensitive), then id, starting after <paramref name="afterName"/> and
    /// <paramref name="afterId"/> (keyset paging: stable while others write).
    /// </summary>
    public static async Task<IReadOnlyList<Relationship>> ListAsync(
        this IQuerySession session,
        string? manager,
        bool includeArchived,
        string? afterName,
        Guid afterId,
        int limit,
        CancellationToken ct,
        IReadOnlyCollection<string>? tags = null)
    {
        var sql = new List<string>();
        var parameters = new List<object>();
        if (manager is not null)
        {
            sql.Add("d.manager = ?");
            parameters.Add(manager);
        }

        if (tags is { Count: > 0 })
        {
            sql.Add(Tagging.CarriesAllSql);
            parameters.Add(Tagging.CarriesAllParameter(tags));
        }

        if (!includeArchived)
        {
            sql.Add(NotArchived("d"));
        }

        if (afterName is not null)
        {
            sql.Add("(lower(d.data ->> 'Name'), d.id) > (lower(?), ?)");
            parameters.Add(afterName);
            parameters.Add(afterId);
        }

        var where = sql.Count == 0 ? "" : "where " + string.Join(" and ", sql.Select(s => $"({s})"));
        parameters.Add(limit);
        return await session.QueryAsync<Relationship>(
            $"select d.data from {BrmDomain.Schema}.mt_doc_relationship as d {where} order by lower(d.data ->> 'Name'), d.id limit ?",
            ct,
            [.. parameters]);
    }
}
