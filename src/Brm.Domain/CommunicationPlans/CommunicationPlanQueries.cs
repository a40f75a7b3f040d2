using System.Collections.Immutable;
using Brm.Domain.Feedback;
using Brm.Domain.Meetings;
using Brm.Domain.Outreach;
using Brm.Domain.Relationships;
using Marten;
using Npgsql;

namespace Brm.Domain.CommunicationPlans;

/// <summary>
/// A BRM's planned load: communications per month across the active items of every relationship they manage,
/// against the monthly threshold one person can keep to.
/// </summary>
public sealed record PlannedLoad(string Manager, double PerMonth, int Threshold)
{
    public bool OverThreshold => PerMonth > Threshold;

    /// <summary>The load of these plans (one per relationship the manager owns).</summary>
    public static PlannedLoad Of(string manager, IEnumerable<ManagedPlan> plans, int threshold) =>
        new(manager, Math.Round(plans.Sum(p => CommunicationPlan.PlannedPerMonthOf(p.Items)), 2), threshold);

    /// <summary>
    /// The load of the relationships <paramref name="managed"/> (each with its stored plan's communications per month), with
    /// <paramref name="plan"/> counted as it now stands (in place of its stored version) when its relationship is one of them.
    /// </summary>
    public static PlannedLoad Counting(CommunicationPlan plan, string manager, IEnumerable<ManagedLoad> managed, int threshold) =>
        new(manager, Math.Round(managed.Sum(m => m.RelationshipId == plan.RelationshipId ? plan.PlannedPerMonth : m.PlannedPerMonth), 2), threshold);
}

/// <summary>A relationship a manager owns, with what its stored plan asks for a month (0 while it has no plan): what a load adds up.</summary>
public sealed record ManagedLoad(Guid RelationshipId, double PlannedPerMonth)
{
    public static ManagedLoad Of(CommunicationPlan plan) => new(plan.RelationshipId, plan.PlannedPerMonth);
}

/// <summary>A relationship a manager owns, with its stored plan's items (none while it has no plan): what the agenda reads of a plan.</summary>
public sealed record ManagedPlan(Guid RelationshipId, ImmutableList<PlanItem> Items)
{
    /// <summary>
    /// The SQL of one, as JSON: <paramref name="relationshipId"/> with the items of the plan document aliased
    /// <paramref name="plan"/> (none when it is null: a left join that found no plan). Only the items travel, not the
    /// communications the document also holds.
    /// </summary>
    public static string Json(string relationshipId, string plan) =>
        $"jsonb_build_object('RelationshipId', {relationshipId}, 'Items', coalesce({plan}.data -> 'Items', '[]'::jsonb))";
}

/// <summary>Reads of the projected <see cref="CommunicationPlan"/> documents; never a stream replay.</summary>
public static class CommunicationPlanQueries
{
    /// <summary>The relationship's plan; an empty one (version 0) while it has none.</summary>
    public static async Task<CommunicationPlan> GetPlanAsync(this IQuerySession session, Guid relationshipId, CancellationToken ct) =>
        await session.LoadAsync<CommunicationPlan>(CommunicationPlan.IdFor(relationshipId), ct) ?? CommunicationPlan.Empty(relationshipId);

    /// <summary>The plans of these relationships (those that have one).</summary>
    public static Task<IReadOnlyList<CommunicationPlan>> PlansAsync(
        this IQuerySession session, IReadOnlyCollection<Guid> relationshipIds, CancellationToken ct) =>
        session.QueryAsync<CommunicationPlan>(
            $"select d.data from {BrmDomain.Schema}.mt_doc_communicationplan as d where d.relationship_id = any(?)", ct, relationshipIds.ToArray());

    /// <summary>
    /// <paramref name="manager"/>'s planned load across the relationships they own that are not archived, counting
    /// <paramref name="plan"/> as given (it may not be saved yet); null without a manager. One statement reads each owned
    /// relationship's id with its plan's communications per month (a column of the plan's), not the relationships' and
    /// plans' documents (every plan mutation weighs the load: docs/PERFORMANCE.md).
    /// </summary>
    public static async Task<PlannedLoad?> PlannedLoadAsync(
        this IQuerySession session, string? manager, CommunicationPlan plan, int threshold, CancellationToken ct)
    {
        if (manager is null)
        {
            return null;
        }

        var managed = new List<ManagedLoad>();
        await using var command = new NpgsqlCommand(PlannedLoadSql) { Parameters = { new() { Value = manager } } };
        await using (var reader = await session.ExecuteReaderAsync(command, ct))
        {
            while (await reader.ReadAsync(ct))
            {
                managed.Add(new ManagedLoad(reader.GetGuid(0), reader.GetDouble(1)));
            }
        }

        return PlannedLoad.Counting(plan, manager, managed, threshold);
    }

    /// <summary>Each relationship the manager ($1) owns that is not archived, with its plan's communications per month (0 without one).</summary>
    private static readonly string PlannedLoadSql =
        $"""
        select r.id, coalesce(p.planned_per_month, 0)
        from {BrmDomain.Schema}.mt_doc_relationship as r
          left join {BrmDomain.Schema}.mt_doc_communicationplan as p on p.relationship_id = r.id
        where r.manager = $1 and {RelationshipQueries.NotArchived("r")}
        """;

    /// <summary>
    /// What <paramref name="manager"/>'s agenda (<see cref="Agenda.Of"/>) is built from, at <paramref name="now"/>, over
    /// the horizon, in one round trip (<see cref="AgendaSql"/>): only the rows the agenda can show, each found by an
    /// index on its relationship, so the cost follows the manager's own relationships, not the size of the store.
    /// </summary>
    public static async Task<AgendaSources> AgendaSourcesAsync(
        this IQuerySession session, string manager, DateTimeOffset now, int horizonDays, CancellationToken ct)
    {
        var relationships = new List<Relationship>();
        var plans = new List<ManagedPlan>();
        var commitments = new List<AgendaCommitment>();
        var lastContacts = new Dictionary<Guid, Contact>();
        var meetings = new List<Meeting>();
        var feedback = new List<AgendaFeedback>();
        var updates = new List<Update>();
        await using var command = new NpgsqlCommand(AgendaSql)
        {
            Parameters =
            {
                new() { Value = manager },
                new() { Value = MeetingQueries.CoverageRelationships + 1 },
                new() { Value = DateOnly.FromDateTime(now.UtcDateTime).AddDays(horizonDays) },
                new() { Value = now.AddDays(horizonDays).ToUniversalTime() },
            },
        };
        await using (var reader = await session.ExecuteReaderAsync(command, ct))
        {
            var serializer = session.DocumentStore.Options.Serializer();
            while (await reader.ReadAsync(ct))
            {
                switch ((AgendaSource)reader.GetInt32(0))
                {
                    case AgendaSource.Relationship: relationships.Add(serializer.FromJson<Relationship>(reader, 2)); break;
                    case AgendaSource.Plan: plans.Add(serializer.FromJson<ManagedPlan>(reader, 2)); break;
                    case AgendaSource.Commitment:
                        commitments.Add(new AgendaCommitment(reader.GetGuid(3), reader.GetGuid(4), reader.GetString(5), reader.GetFieldValue<DateOnly>(10)));
                        break;
                    case AgendaSource.LastContact:
                        var stakeholderId = Guid.Parse(reader.GetString(5));
                        lastContacts[stakeholderId] = new Contact(
                            stakeholderId, reader.GetGuid(3), Enum.Parse<MeetingKind>(reader.GetString(6)), reader.GetFieldValue<DateTimeOffset>(7));
                        break;
                    case AgendaSource.Meeting: meetings.Add(serializer.FromJson<Meeting>(reader, 2)); break;
                    case AgendaSource.Feedback:
                        feedback.Add(new AgendaFeedback(
                            reader.GetGuid(3), reader.GetGuid(4), Enum.Parse<FeedbackStatus>(reader.GetString(6)), reader.GetFieldValue<DateTimeOffset>(7),
                            reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8), reader.IsDBNull(5) ? null : reader.GetString(5),
                            reader.IsDBNull(9) ? null : reader.GetInt32(9)));
                        break;
                    default: updates.Add(serializer.FromJson<Update>(reader, 2)); break;
                }
            }
        }

        return relationships.Count <= MeetingQueries.CoverageRelationships
            ? new AgendaSources(relationships, plans, commitments, lastContacts, meetings, feedback, updates)
            : throw MeetingQueries.TooManyRelationships(manager);
    }

    /// <summary>Which source of <see cref="AgendaSources"/> a row of <see cref="AgendaSql"/> is.</summary>
    private enum AgendaSource
    {
        Relationship = 1,
        Plan = 2,
        Commitment = 3,
        LastContact = 4,
        Meeting = 5,
        Feedback = 6,
        Update = 7,
    }

    /// <summary>The field columns of <see cref="AgendaSql"/>'s rows that carry a document (typed, for the union).</summary>
    private const string NoFields = "null::uuid, null::uuid, null::text, null::text, null::timestamptz, null::timestamptz, null::int, null::date";

    /// <summary>
    /// The agenda's rows, as (source, order within it, json, then the fields of the sources read as fields: id,
    /// relationship_id, text, status, at, at2, number, day): the manager's relationships that are not archived (by name,
    /// one more than <see cref="MeetingQueries.CoverageRelationships"/> at most), their plans' items, their open commitments due
    /// by the horizon's last day ($3), each current stakeholder's last contact (their latest held meeting or logged
    /// conversation, one probe of the contacts' index), their scheduled meetings before the horizon's end ($4), their open
    /// feedback, and the updates with a failed delivery that are the latest sent to their relationship. Commitments
    /// (id, relationship, title, due day), feedback (id, relationship, comment, status, received, declined, rating) and
    /// last contacts (the meeting's id, relationship, the stakeholder's id, the meeting's kind and time) come as fields,
    /// most of them the documents' duplicated columns, not as documents (<see cref="AgendaSources"/>): deserialising a
    /// document is most of the service's CPU per agenda (docs/PERFORMANCE.md).
    /// A last contact is found as GetStakeholderCoverage finds it (<see cref="MeetingQueries.LastContactJoin"/>).
    /// </summary>
    private static readonly string AgendaSql =
        $"""
        with r as materialized (
          select d.id, d.data, row_number() over (order by lower(d.data ->> 'Name'), d.id) as n
          from {BrmDomain.Schema}.mt_doc_relationship as d
          where d.manager = $1 and {RelationshipQueries.NotArchived("d")}
          order by lower(d.data ->> 'Name'), d.id
          limit $2)
        select 1 as source, r.n, r.data, {NoFields} from r
        union all
        select 2, 0, {ManagedPlan.Json("p.relationship_id", "p")}, {NoFields}
        from {BrmDomain.Schema}.mt_doc_communicationplan as p where p.relationship_id in (select id from r)
        union all
        select 3, row_number() over (order by c.due_date, c.id), null, c.id, c.relationship_id, c.data ->> 'Title', null, null, null, null, c.due_date
        from {BrmDomain.Schema}.mt_doc_commitment as c
        where c.relationship_id in (select id from r) and c.data ->> 'Status' in ('Open', 'InProgress') and c.due_date <= $3
        union all
        select 4, 0, null, m.id, r.id, s ->> 'Id', m.kind, m.occurs_at, null, null, null
        from r
          cross join lateral jsonb_array_elements(r.data -> 'Stakeholders') as s
          {MeetingQueries.LastContactJoin("r.id", "s ->> 'Id'", upTo: null)}
        where s -> 'RemovedAt' is null or s -> 'RemovedAt' = 'null'::jsonb
        union all
        select 5, row_number() over (order by m.occurs_at, m.id), m.data, {NoFields} from {BrmDomain.Schema}.mt_doc_meeting as m
        where m.relationship_id in (select id from r) and m.status = 'Scheduled' and m.occurs_at <= $4
        union all
        select 6, row_number() over (order by f.received_at, f.id), null, f.id, f.relationship_id, f.data ->> 'Comment', f.status, f.received_at,
          (f.data -> 'Declined' ->> 'At')::timestamptz, f.rating, null
        from {BrmDomain.Schema}.mt_doc_feedbackitem as f
        where f.relationship_id in (select id from r) and f.status <> 'Responded'
        union all
        select 7, row_number() over (order by u.sent_at, u.id), u.data, {NoFields} from {BrmDomain.Schema}.mt_doc_update as u
        where u.has_failed_deliveries and u.relationship_id in (select id from r)
          and not exists (select 1 from {BrmDomain.Schema}.mt_doc_update as later where later.relationship_id = u.relationship_id and later.sent_at > u.sent_at)
        order by source, n
        """;
}
