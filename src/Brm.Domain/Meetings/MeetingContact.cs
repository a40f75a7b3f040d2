using System.Security.Cryptography;
using System.Text;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Marten.Schema;
using Npgsql;

namespace Brm.Domain.Meetings;

/// <summary>
/// One stakeholder's part in one held meeting or logged conversation: what a stakeholder's last contact is looked up by
/// (<see cref="MeetingQueries.LastContactJoin"/>: the relationship and stakeholder, newest first), one index probe however
/// long the relationship's history, where walking the relationship's held meetings for the stakeholder's id cost a step per
/// meeting since their last (all of them for someone never met). The index holds every column a last contact shows, so
/// the lookup reads nothing else. Written with the meeting's event, in its transaction (<see cref="MeetingContactProjection"/>);
/// a meeting is held once, so a contact never changes.
/// </summary>
[DuplicatedWithoutIndex(nameof(RelationshipId), nameof(StakeholderId), nameof(At), nameof(MeetingId), nameof(Kind))]
public sealed record MeetingContact(Guid Id, Guid RelationshipId, Guid StakeholderId, Guid MeetingId, MeetingKind Kind, DateTimeOffset At)
{
    /// <summary>
    /// The contact's id, from the meeting's and the stakeholder's: the MD5 of "meeting:stakeholder" (their lower-case
    /// text), read as a UUID, so that SQL derives the same id (<c>md5(meeting || ':' || stakeholder)::uuid</c>,
    /// <see cref="MeetingContactBackfill"/>) and writing a contact twice writes one.
    /// </summary>
    public static Guid IdFor(Guid meetingId, Guid stakeholderId) =>
        Guid.ParseExact(Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes($"{meetingId}:{stakeholderId}"))), "N");

    /// <summary>The contacts of a conversation held at <paramref name="heldAt"/>: one per stakeholder taking part.</summary>
    public static IEnumerable<MeetingContact> Of(Guid meetingId, Guid relationshipId, MeetingKind kind, DateTimeOffset heldAt, Conversation conversation) =>
        conversation.StakeholderIds.Distinct().Select(s => new MeetingContact(IdFor(meetingId, s), relationshipId, s, meetingId, kind, heldAt));
}

/// <summary>Stores each held meeting's and logged conversation's <see cref="MeetingContact"/>s inline, with the event.</summary>
public sealed partial class MeetingContactProjection : EventProjection
{
    public const string ProjectionName = "MeetingContact";

    public MeetingContactProjection() => Name = ProjectionName;

    /// <summary>
    /// A logged conversation carries its kind; a scheduled meeting's is its document's, read as it was before this event
    /// (its kind never changes): one read by id, for a command that holds a meeting once.
    /// </summary>
    public override async ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        var contacts = e.Data switch
        {
            ConversationLogged logged => MeetingContact.Of(logged.MeetingId, logged.RelationshipId, logged.Kind, logged.HeldAt, logged.Conversation),
            MeetingHeld held when await operations.LoadAsync<Meeting>(held.MeetingId, cancellation) is { } meeting =>
                MeetingContact.Of(held.MeetingId, held.RelationshipId, meeting.Kind, held.HeldAt, held.Conversation),
            _ => [],
        };
        foreach (var contact in contacts)
        {
            operations.Store(contact);
        }
    }
}

/// <summary>
/// At start-up, writes the contacts of the meetings held before this version kept them: once, when there are held
/// meetings and no contact at all, in one statement (so in one transaction: a start that fails leaves none, and the next
/// does it again). After that the projection keeps them. A meeting held by a node of an older version during a rolling
/// upgrade gets none: empty the table once the last such node is gone, and the next start writes them all (docs/DEPLOYMENT.md).
/// </summary>
public sealed class MeetingContactBackfill : IInitialData
{
    public async Task Populate(IDocumentStore store, CancellationToken cancellation)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellation);

        // Asked on its own first: the insert alone, though it skips its scan when contacts exist, took 0.48 s on the 1M store
        // just after PostgreSQL started (planned for every held meeting), against 2 ms for this question.
        await using (var any = new NpgsqlCommand($"select exists (select 1 from {BrmDomain.Schema}.mt_doc_meetingcontact)", connection))
        {
            if (await any.ExecuteScalarAsync(cancellation) is true)
            {
                return;
            }
        }

        await using var command = new NpgsqlCommand(BackfillSql, connection) { Parameters = { new() { Value = typeof(MeetingContact).FullName } } };
        await command.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>Each held meeting's contacts ($1: the document type's name), when no contact is stored yet (two nodes may start at once).</summary>
    private static readonly string BackfillSql =
        $"""
        insert into {BrmDomain.Schema}.mt_doc_meetingcontact (id, data, mt_dotnet_type, relationship_id, stakeholder_id, at, meeting_id, kind)
        select c.id,
          jsonb_build_object('Id', c.id, 'RelationshipId', c.relationship_id, 'StakeholderId', c.stakeholder_id, 'MeetingId', c.meeting_id, 'Kind', c.kind, 'At', c.at),
          $1, c.relationship_id, c.stakeholder_id, c.at, c.meeting_id, c.kind
        from (
          select distinct md5(m.id::text || ':' || s.id)::uuid as id, m.relationship_id, s.id::uuid as stakeholder_id, m.id as meeting_id,
            m.data ->> 'Kind' as kind, m.occurs_at as at
          from {BrmDomain.Schema}.mt_doc_meeting as m
            cross join lateral jsonb_array_elements_text(m.data -> 'Held' -> 'Conversation' -> 'StakeholderIds') as s(id)
          where m.status = '{nameof(MeetingStatus.Held)}') as c
        where not exists (select 1 from {BrmDomain.Schema}.mt_doc_meetingcontact)
        on conflict (id) do nothing
        """;
}
