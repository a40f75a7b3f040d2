using Brm.Domain.Commitments;
using Brm.Domain.Feedback;
using Brm.Domain.Meetings;
using Brm.Domain.Relationships;
using Marten;

namespace Brm.Domain.Outreach;

/// <summary>
/// Reads for updates: the projected documents a draft is composed from, the template (never a stream replay but the
/// template's history), and the projected <see cref="Update"/> documents of sent updates.
/// </summary>
public static class UpdateQueries
{
    /// <summary>The most meetings one update reads (a period is at most a year long).</summary>
    public const int MaxMeetings = 1000;

    /// <summary>
    /// The department's commitments (all: visibility is judged by <see cref="UpdateView.Gather"/>), its feedback received
    /// by the end of the period, and its meetings held in the period.
    /// </summary>
    public static async Task<DraftSources> DraftSourcesAsync(this IQuerySession session, Relationship relationship, UpdatePeriod period, CancellationToken ct)
    {
        var commitments = await session.AllCommitmentsAsync(new CommitmentFilter(RelationshipId: relationship.Id), ct);
        var feedback = await session.FeedbackOfAsync([relationship.Id], receivedBy: period.End, openOnly: false, ct);
        var meetings = await session.ListMeetingsAsync(
            new MeetingFilter(relationship.Id, null, period.Start, period.End.AddTicks(TimeSpan.TicksPerMicrosecond), MeetingStatus.Held), null, MaxMeetings, ct);
        return new DraftSources(relationship, commitments, feedback, meetings);
    }

    /// <summary>The template in force: the last one set, or the shipped default.</summary>
    public static async Task<UpdateTemplate> UpdateTemplateAsync(this IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<UpdateTemplate>(UpdateTemplate.StreamId, ct) ?? UpdateTemplate.Default;

    /// <summary>One version of the template: 1 is the default, later ones are read from their event; NOT_FOUND when it does not exist (yet).</summary>
    public static async Task<UpdateTemplate> UpdateTemplateAsync(this IQuerySession session, int templateVersion, CancellationToken ct)
    {
        var current = await session.UpdateTemplateAsync(ct);
        if (templateVersion == current.TemplateVersion)
        {
            return current;
        }

        if (templateVersion == UpdateTemplate.Default.TemplateVersion)
        {
            return UpdateTemplate.Default;
        }

        var streamVersion = UpdateTemplate.StreamVersionOf(templateVersion);
        var events = templateVersion > 1 && templateVersion < current.TemplateVersion
            ? await session.Events.QueryAllRawEvents()
                .Where(e => e.StreamId == UpdateTemplate.StreamId && e.Version == streamVersion)
                .ToListAsync(ct)
            : [];
        return events.SingleOrDefault()?.Data is UpdateTemplateSet set
            ? UpdateTemplate.Of(set)
            : throw DomainException.NotFound($"update template version {templateVersion} was not found (version {current.TemplateVersion} is in force)");
    }

    private const string Updates = $"{BrmDomain.Schema}.mt_doc_update";

    /// <summary>The update; NOT_FOUND when no update has this id (another kind of stream's id included).</summary>
    public static async Task<Update> GetUpdateAsync(this IQuerySession session, Guid id, CancellationToken ct) =>
        await session.LoadAsync<Update>(id, ct) ?? throw DomainException.NotFound($"update {id} was not found");

    /// <summary>
    /// One page of a relationship's updates, newest first (then by id, descending), after the update sent at
    /// <paramref name="afterSentAt"/> with id <paramref name="afterId"/> when given (keyset paging: stable while others write).
    /// </summary>
    public static Task<IReadOnlyList<Update>> ListUpdatesAsync(
        this IQuerySession session, Guid relationshipId, DateTimeOffset? afterSentAt, Guid afterId, int limit, CancellationToken ct) =>
        afterSentAt is { } sentAt
            ? session.QueryAsync<Update>(
                $"select d.data from {Updates} as d where d.relationship_id = ? and (d.sent_at, d.id) < (?, ?) order by d.sent_at desc, d.id desc limit ?",
                ct, relationshipId, sentAt.ToUniversalTime(), afterId, limit)
            : session.QueryAsync<Update>(
                $"select d.data from {Updates} as d where d.relationship_id = ? order by d.sent_at desc, d.id desc limit ?",
                ct, relationshipId, limit);

    /// <summary>The department's updates sent by <paramref name="moment"/>, newest first, at most <paramref name="limit"/>.</summary>
    public static Task<IReadOnlyList<Update>> UpdatesSentByAsync(
        this IQuerySession session, Guid relationshipId, DateTimeOffset moment, int limit, CancellationToken ct) =>
        session.QueryAsync<Update>(
            $"select d.data from {Updates} as d where d.relationship_id = ? and d.sent_at <= ? order by d.sent_at desc, d.id desc limit ?",
            ct, relationshipId, moment.ToUniversalTime(), limit);

    /// <summary>
    /// The updates of these relationships with a recipient whose delivery failed, each until a later update of its
    /// department is sent (the BRM's agenda shows each failed recipient; the next update is the BRM's answer to it).
    /// </summary>
    public static Task<IReadOnlyList<Update>> UpdatesWithFailedDeliveriesAsync(
        this IQuerySession session, IReadOnlyCollection<Guid> relationshipIds, CancellationToken ct) =>
        session.QueryAsync<Update>(
            $"""
            select d.data from {Updates} as d
            where d.has_failed_deliveries and d.relationship_id = any(?)
              and not exists (select 1 from {Updates} as later where later.relationship_id = d.relationship_id and later.sent_at > d.sent_at)
            order by d.sent_at, d.id
            """,
            ct, relationshipIds.ToArray());
}
