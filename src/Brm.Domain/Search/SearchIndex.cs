using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Brm.Domain.Commitments;
using Brm.Domain.CommunicationPlans;
using Brm.Domain.Feedback;
using Brm.Domain.Meetings;
using Brm.Domain.PersonalData;
using Brm.Domain.Relationships;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace Brm.Domain.Search;

/// <summary>What a search hit is. The numbers match brm.v1.SearchKind.</summary>
public enum SearchKind
{
    ConversationPoint = 1,
    Meeting = 2,
    Commitment = 3,
    Feedback = 4,
    InformationNeed = 5,
    PlanItem = 6,
}

/// <summary>
/// One searchable text: what it is, the department, the thing to open (<paramref name="SubjectId"/>), when it was
/// said or written, the text as written, and <paramref name="Folded"/>, the same text with accents folded, which the
/// full-text index covers. The id names the source and the part (<c>feedback:&lt;id&gt;:comment</c>), so a later
/// event rewrites its part in place.
/// </summary>
public sealed record SearchEntry(string Id, Guid RelationshipId, SearchKind Kind, Guid SubjectId, DateTimeOffset At, string Text, string Folded)
{
    public static SearchEntry Of(string id, Guid relationshipId, SearchKind kind, Guid subjectId, DateTimeOffset at, string text) =>
        new(id, relationshipId, kind, subjectId, at, text, SearchText.Fold(text));
}

/// <summary>Text as the index sees it.</summary>
public static partial class SearchText
{
    /// <summary>
    /// A query split for PostgreSQL, both parts folded: the words ending in <c>*</c> outside quotes ("onboard*") are
    /// prefixes, each required (<c>to_tsquery('onboard:*')</c>) or, after a <c>-</c>, excluded; the rest is web-search syntax for
    /// <c>websearch_to_tsquery</c>. A prefix holds only letters and digits, so it cannot carry tsquery syntax.
    /// </summary>
    public static (string Words, string Prefixes) Query(string query)
    {
        var prefixes = new List<string>();
        var segments = Fold(query).Split('"');
        for (var i = 0; i < segments.Length; i += 2) // outside quotes
        {
            segments[i] = PrefixWord().Replace(segments[i], m =>
            {
                prefixes.Add((m.Groups[1].Value == "-" ? "!" : "") + m.Groups[2].Value.ToLowerInvariant() + ":*");
                return " ";
            });
        }

        return (string.Join('"', segments), string.Join(" & ", prefixes));
    }

    [GeneratedRegex(@"(?<!\S)(-?)([\p{L}\p{N}]+)\*+(?!\S)")]
    private static partial Regex PrefixWord();

    /// <summary>
    /// Accents folded (<c>é</c> → <c>e</c>, by Unicode decomposition, dropping the combining marks), so "cafe" finds
    /// "café" whatever extensions the server has; the same folding is applied to queries.
    /// </summary>
    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(c);
            }
        }

        return folded.ToString().Normalize(NormalizationForm.FormC);
    }
}

/// <summary>
/// The search index, projected asynchronously (like the timeline: off the write path): one <see cref="SearchEntry"/>
/// per searchable text of an event. An erasure masked earlier events in the transaction that appended it; on reaching
/// it, their entries are written again from the masked events, so no search finds the person's words.
/// </summary>
public sealed partial class SearchProjection : EventProjection
{
    public const string ProjectionName = "Search";

    public SearchProjection() => Name = ProjectionName;

    public override async ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        Index(operations, e);
        if (e.Data is StakeholderPersonalDataErased erased)
        {
            foreach (var masked in await StakeholderErasure.MaskedByAsync(operations, erased, cancellation))
            {
                Index(operations, masked);
            }
        }
    }

    private static void Index(IDocumentOperations operations, IEvent e)
    {
        foreach (var entry in Entries(e))
        {
            if (string.IsNullOrWhiteSpace(entry.Text))
            {
                operations.Delete<SearchEntry>(entry.Id);
            }
            else
            {
                operations.Store(entry);
            }
        }
    }

    /// <summary>The searchable texts of one event (an empty text removes its part).</summary>
    public static IEnumerable<SearchEntry> Entries(IEvent e) => e.Data switch
    {
        MeetingScheduled m => [SearchEntry.Of($"meeting:{m.MeetingId}:topic", m.RelationshipId, SearchKind.Meeting, m.MeetingId, m.Start, m.Topic)],
        MeetingHeld m => Conversation(m.MeetingId, m.RelationshipId, m.HeldAt, m.Conversation),
        ConversationLogged m =>
        [
            SearchEntry.Of($"meeting:{m.MeetingId}:topic", m.RelationshipId, SearchKind.Meeting, m.MeetingId, m.HeldAt, m.Topic ?? ""),
            .. Conversation(m.MeetingId, m.RelationshipId, m.HeldAt, m.Conversation),
        ],
        CommitmentMade c =>
        [
            SearchEntry.Of($"commitment:{c.CommitmentId}", c.RelationshipId, SearchKind.Commitment, c.CommitmentId, c.MadeAt,
                c.Description is { Length: > 0 } d ? $"{c.Title}\n{d}" : c.Title),
        ],
        DueDateRenegotiated c =>
        [
            SearchEntry.Of($"commitment:{c.CommitmentId}:renegotiated:{e.Version}", c.RelationshipId, SearchKind.Commitment, c.CommitmentId,
                c.RenegotiatedAt, c.Reason),
        ],
        CommitmentCancelled c =>
            [SearchEntry.Of($"commitment:{c.CommitmentId}:cancelled", c.RelationshipId, SearchKind.Commitment, c.CommitmentId, c.CancelledAt, c.Reason)],
        FeedbackReceived f =>
            [SearchEntry.Of($"feedback:{f.FeedbackId}:comment", f.RelationshipId, SearchKind.Feedback, f.FeedbackId, f.ReceivedAt, f.Comment ?? "")],
        FeedbackDeclined f =>
            [SearchEntry.Of($"feedback:{f.FeedbackId}:declined", f.RelationshipId, SearchKind.Feedback, f.FeedbackId, f.DeclinedAt, f.Reason)],
        FeedbackResponseSent f =>
            [SearchEntry.Of($"feedback:{f.FeedbackId}:response", f.RelationshipId, SearchKind.Feedback, f.FeedbackId, f.SentAt, f.Response)],
        InformationNeedRecorded n =>
        [
            SearchEntry.Of($"need:{n.InformationNeedId}", n.RelationshipId, SearchKind.InformationNeed, n.InformationNeedId, n.RecordedAt, n.Description),
        ],
        PlanItemAdded p => [SearchEntry.Of($"plan-item:{p.PlanItemId}", p.RelationshipId, SearchKind.PlanItem, p.PlanItemId, p.AddedAt, p.What)],
        PlanItemChanged p => [SearchEntry.Of($"plan-item:{p.PlanItemId}", p.RelationshipId, SearchKind.PlanItem, p.PlanItemId, p.ChangedAt, p.What)],
        _ => [],
    };

    // What IT shared and the notes (the meeting), and each point the business raised.
    private static IEnumerable<SearchEntry> Conversation(Guid meetingId, Guid relationshipId, DateTimeOffset at, Conversation conversation) =>
    [
        SearchEntry.Of($"meeting:{meetingId}:notes", relationshipId, SearchKind.Meeting, meetingId, at,
            string.Join('\n', new[] { conversation.ItShared, conversation.Notes }.Where(t => !string.IsNullOrWhiteSpace(t)))),
        .. conversation.BusinessRaised.Select((p, i) =>
            SearchEntry.Of($"meeting:{meetingId}:point:{i}", relationshipId, SearchKind.ConversationPoint, meetingId, at, p.Text)),
    ];
}

/// <summary>A hit: the entry, its department's name, its rank, and the snippet with each match between <see cref="SearchQueries.MarkStart"/> and <see cref="SearchQueries.MarkEnd"/>.</summary>
public sealed record SearchRow(SearchEntry Entry, string Department, double Rank, string Snippet);

/// <summary>What to search: the query (web-search syntax) and the filters; empty filters do not filter.</summary>
public sealed record SearchFilter(
    string Query, IReadOnlyList<Guid> RelationshipIds, IReadOnlyList<SearchKind> Kinds, DateTimeOffset? From, DateTimeOffset? Until,
    IReadOnlyList<string>? Tags = null);

/// <summary>Full-text search over <see cref="SearchEntry"/>, with PostgreSQL's ranking and snippets.</summary>
public static class SearchQueries
{
    /// <summary>The text search configuration unless a deployment sets one (Search:TextSearchConfig).</summary>
    public const string DefaultConfig = "english";

    /// <summary>Marks around each match in a snippet (private-use characters: no text holds them).</summary>
    public const char MarkStart = '\uE000', MarkEnd = '\uE001';

    /// <summary>A configuration name is interpolated into SQL (the index's expression must name it literally): letters and underscores only.</summary>
    public static string CheckedConfig(string? name) =>
        string.IsNullOrEmpty(name) ? DefaultConfig
        : name.All(c => char.IsAsciiLetterLower(c) || c == '_') ? name
        : throw new ArgumentException($"Search:TextSearchConfig '{name}' is not a text search configuration name (lower-case letters and _)");

    /// <summary>The vector the index covers: <c>to_tsvector('config', data ->> 'Folded')</c>, the same text in the index and in queries.</summary>
    public static string Vector(string config) => $"to_tsvector('{config}',(data ->> 'Folded'))";

    /// <summary>
    /// One page of hits, best first (then newest first, then by id: pages are stable). With tags, only hits whose item
    /// (the meeting, commitment or feedback item it opens) or department carries every one of them, between them; with
    /// tags and no query, every text of what carries them, newest first.
    /// </summary>
    public static Task<IReadOnlyList<SearchRow>> SearchAsync(
        this IQuerySession session, string config, SearchFilter filter, int offset, int limit, CancellationToken ct)
    {
        var vector = Vector(config).Replace("data ->>", "d.data ->>", StringComparison.Ordinal);
        var sql = $"""
            select jsonb_build_object('Entry', s.data, 'Department', s.department, 'Rank', s.rank,
                'Snippet', ts_headline('{config}', s.data ->> 'Text', s.query, ?))
            from (
                select d.id, d.data, coalesce(r.data ->> 'Name', '') as department, q.query, ts_rank_cd({vector}, q.query) as rank,
                    (d.data ->> 'At')::timestamptz as at
                from {BrmDomain.Schema}.mt_doc_searchentry as d
                cross join (select websearch_to_tsquery('{config}', ?) && to_tsquery('{config}', ?) as query) as q
                left join {BrmDomain.Schema}.mt_doc_relationship as r on r.id = d.relationship_id
                where (?::boolean or {vector} @@ q.query)
                  and (cardinality(?::uuid[]) = 0 or d.relationship_id = any(?::uuid[]))
                  and (cardinality(?::text[]) = 0 or d.data ->> 'Kind' = any(?::text[]))
                  and (?::timestamptz is null or (d.data ->> 'At')::timestamptz >= ?::timestamptz)
                  and (?::timestamptz is null or (d.data ->> 'At')::timestamptz < ?::timestamptz)
                  and (cardinality(?::text[]) = 0 or (coalesce(r.data -> 'Tags', '[]') || coalesce(
                        (select m.data -> 'Tags' from {BrmDomain.Schema}.mt_doc_meeting as m where m.id = (d.data ->> 'SubjectId')::uuid),
                        (select c.data -> 'Tags' from {BrmDomain.Schema}.mt_doc_commitment as c where c.id = (d.data ->> 'SubjectId')::uuid),
                        (select f.data -> 'Tags' from {BrmDomain.Schema}.mt_doc_feedbackitem as f where f.id = (d.data ->> 'SubjectId')::uuid),
                        '[]')) @> to_jsonb(?::text[]))
                order by rank desc, at desc, d.id
                limit ? offset ?
            ) as s
            order by s.rank desc, s.at desc, s.id
            """;
        var ids = filter.RelationshipIds.ToArray();
        var kinds = filter.Kinds.Select(k => k.ToString()).ToArray();
        object from = filter.From?.ToUniversalTime() is { } f ? f : DBNull.Value;
        object until = filter.Until?.ToUniversalTime() is { } u ? u : DBNull.Value;
        var (words, prefixes) = SearchText.Query(filter.Query);
        var tags = (filter.Tags ?? []).ToArray();
        return session.QueryAsync<SearchRow>(sql, ct,
            $"StartSel={MarkStart}, StopSel={MarkEnd}, MaxFragments=2, MinWords=8, MaxWords=25, FragmentDelimiter=\" … \"",
            words, prefixes, string.IsNullOrWhiteSpace(filter.Query), ids, ids, kinds, kinds, from, from, until, until, tags, tags, limit, offset);
    }
}
