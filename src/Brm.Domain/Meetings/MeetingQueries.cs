using System.Text.Json;
using Brm.Domain.Relationships;
using Brm.Domain.Tags;
using Marten;

namespace Brm.Domain.Meetings;

/// <summary>What ListMeetings filters on; null means "any".</summary>
public sealed record MeetingFilter(
    Guid? RelationshipId, Guid? StakeholderId, DateTimeOffset? From, DateTimeOffset? Before, MeetingStatus? Status,
    IReadOnlyCollection<string>? Tags = null);

/// <summary>A position in the list of meetings, newest first: the last item's occurs-at time and id.</summary>
public sealed record MeetingPosition(DateTimeOffset OccursAt, Guid Id);

/// <summary>Reads of the projected <see cref="Meeting"/> documents; never a stream replay.</summary>
public static class MeetingQueries
{
    public static async Task<Meeting> GetMeetingAsync(this IQuerySession session, Guid id, CancellationToken ct) =>
        await session.LoadAsync<Meeting>(id, ct)
        ?? throw DomainException.NotFound($"meeting {id} was not found");

    /// <summary>
    /// One page, newest first (occurs-at, then id, both descending), after <paramref name="after"/> (keyset
    /// paging: stable while others write).
    /// </summary>
    public static async Task<IReadOnlyList<Meeting>> ListMeetingsAsync(
        this IQuerySession session, MeetingFilter filter, MeetingPosition? after, int limit, CancellationToken ct)
    {
        var sql = new List<string>();
        var parameters = new List<object>();
        void Where(string condition, params object[] values)
        {
            sql.Add(condition);
            parameters.AddRange(values);
        }

        if (filter.RelationshipId is { } relationshipId)
        {
            Where("d.relationship_id = ?", relationshipId);
        }

        if (filter.StakeholderId is { } stakeholderId)
        {
            Where("d.data -> 'StakeholderIds' @> ?::jsonb", JsonSerializer.Serialize(new[] { stakeholderId }));
        }

        if (filter.From is { } from)
        {
            Where("d.occurs_at >= ?", from.ToUniversalTime());
        }

        if (filter.Before is { } before)
        {
            Where("d.occurs_at < ?", before.ToUniversalTime());
        }

        if (filter.Status is { } status)
        {
            Where("d.status = ?", status.ToString());
        }

        if (filter.Tags is { Count: > 0 } tags)
        {
            Where(Tagging.CarriesAllSql, Tagging.CarriesAllParameter(tags));
        }

        if (after is not null)
        {
            Where("(d.occurs_at, d.id) < (?, ?)", after.OccursAt.ToUniversalTime(), after.Id);
        }

        var where = sql.Count == 0 ? "" : "where " + string.Join(" and ", sql.Select(s => $"({s})"));
        parameters.Add(limit);
        return await session.QueryAsync<Meeting>(
            $"select d.data from {BrmDomain.Schema}.mt_doc_meeting as d {where} order by d.occurs_at desc, d.id desc limit ?",
            ct,
            [.. parameters]);
    }

    /// <summary>The meetings of these relationships still scheduled (neither held nor cancelled) to start before <paramref name="before"/>.</summary>
    public static Task<IReadOnlyList<Meeting>> ScheduledMeetingsAsync(
        this IQuerySession session, IReadOnlyCollection<Guid> relationshipIds, DateTimeOffset before, CancellationToken ct) =>
        session.QueryAsync<Meeting>(
            $"select d.data from {BrmDomain.Schema}.mt_doc_meeting as d where d.relationship_id = any(?) and d.status = ? and d.occurs_at <= ? order by d.occurs_at, d.id",
            ct,
            relationshipIds.ToArray(),
            nameof(MeetingStatus.Scheduled),
            before.ToUniversalTime());

    /// <summary>The most relationships one coverage answer spans (see meetings.proto).</summary>
    public const int CoverageRelationships = 1000;

    /// <summary>The relationships a BRM owns and that are not archived, by name: the scope of their coverage.</summary>
    public static async Task<IReadOnlyList<Relationship>> CoverageScopeAsync(this IQuerySession session, string manager, CancellationToken ct)
    {
        var relationships = await session.ListAsync(manager, includeArchived: false, afterName: null, afterId: Guid.Empty, CoverageRelationships + 1, ct);
        return relationships.Count <= CoverageRelationships
            ? relationships
            : throw TooManyRelationships(manager);
    }

    /// <summary>The refusal of a coverage (or agenda) of a BRM who owns more than <see cref="CoverageRelationships"/> relationships.</summary>
    public static DomainException TooManyRelationships(string manager) =>
        DomainException.Limit($"{manager} owns more than {CoverageRelationships} relationships: ask for their coverage one relationship at a time");

    /// <summary>
    /// Each stakeholder's last contact in these relationships: the latest held meeting or logged conversation they took
    /// part in, whatever its kind, for every stakeholder the relationship's document lists (current, and the last
    /// removed ones it keeps).
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, Contact>> LastContactsAsync(
        this IQuerySession session, IReadOnlyCollection<Guid> relationshipIds, CancellationToken ct) =>
        await session.LastContactsAsync(relationshipIds, DateTimeOffset.MaxValue, ct);

    /// <summary>
    /// The SQL that joins a stakeholder's last contact as <c>m</c> (<c>m.id</c>, <c>m.kind</c>, <c>m.occurs_at</c>): the
    /// latest held meeting or logged conversation they took part in, the later meeting's id first when two were held at
    /// once. <paramref name="relationshipId"/> and <paramref name="stakeholderId"/> are SQL expressions (a uuid, and the
    /// stakeholder's id as text), <paramref name="upTo"/> one for the latest moment that counts (null: any). One probe of
    /// the contacts' index (relationship, stakeholder, time, meeting, kind: <see cref="MeetingContact"/>), which holds all
    /// it shows, whatever the relationship's history (docs/PERFORMANCE.md, "Last contacts from an index").
    /// </summary>
    public static string LastContactJoin(string relationshipId, string stakeholderId, string? upTo) =>
        $"""
        cross join lateral (
          select c.meeting_id as id, c.kind, c.at as occurs_at
          from {BrmDomain.Schema}.mt_doc_meetingcontact as c
          where c.relationship_id = {relationshipId} and c.stakeholder_id = cast({stakeholderId} as uuid){(upTo is null ? "" : $" and c.at <= {upTo}")}
          order by c.at desc, c.meeting_id desc
          limit 1) as m
        """;

    /// <summary>
    /// Every contact in these relationships, by relationship: one per stakeholder taking part in a held meeting or logged
    /// conversation (removed stakeholders included). Health's trend picks each moment's last contacts from them.
    /// </summary>
    public static async Task<ILookup<Guid, Contact>> ContactsAsync(
        this IQuerySession session, IReadOnlyCollection<Guid> relationshipIds, CancellationToken ct)
    {
        var contacts = await session.QueryAsync<RelationshipContact>(
            $"""
            select jsonb_build_object('RelationshipId', d.relationship_id, 'StakeholderId', s.id, 'MeetingId', d.id, 'Kind', d.data ->> 'Kind', 'At', d.occurs_at)
            from {BrmDomain.Schema}.mt_doc_meeting as d
              cross join lateral jsonb_array_elements_text(d.data -> 'Held' -> 'Conversation' -> 'StakeholderIds') as s(id)
            where d.relationship_id = any(?) and d.status = ?
            """,
            ct,
            relationshipIds.ToArray(),
            nameof(MeetingStatus.Held));
        return contacts.ToLookup(c => c.RelationshipId, c => new Contact(c.StakeholderId, c.MeetingId, c.Kind, c.At));
    }

    private sealed record RelationshipContact(Guid RelationshipId, Guid StakeholderId, Guid MeetingId, MeetingKind Kind, DateTimeOffset At);

    /// <summary>As <see cref="LastContactsAsync(IQuerySession, IReadOnlyCollection{Guid}, CancellationToken)"/>, counting only contacts up to a moment.</summary>
    public static async Task<IReadOnlyDictionary<Guid, Contact>> LastContactsAsync(
        this IQuerySession session, IReadOnlyCollection<Guid> relationshipIds, DateTimeOffset asOf, CancellationToken ct)
    {
        var contacts = await session.QueryAsync<Contact>(
            $"""
            select jsonb_build_object('StakeholderId', s ->> 'Id', 'MeetingId', m.id, 'Kind', m.kind, 'At', m.occurs_at)
            from {BrmDomain.Schema}.mt_doc_relationship as r
              cross join lateral jsonb_array_elements(r.data -> 'Stakeholders') as s
              {LastContactJoin("r.id", "s ->> 'Id'", "?")}
            where r.id = any(?)
            """,
            ct,
            asOf,
            relationshipIds.ToArray());
        return contacts.ToDictionary(c => c.StakeholderId);
    }
}
