using Brm.Domain.Tags;
using Marten;

namespace Brm.Domain.Feedback;

/// <summary>Which feedback items a list wants; null means "any".</summary>
public sealed record FeedbackFilter(
    Guid? RelationshipId = null,
    IReadOnlyCollection<FeedbackStatus>? Statuses = null,
    int? LoopOpenMoreThanDays = null,
    int? MinRating = null,
    int? MaxRating = null,
    Guid? FeedbackRequestId = null,
    IReadOnlyCollection<string>? Tags = null);

/// <summary>A position in the list of feedback, longest-waiting first: the last item's receipt time and id.</summary>
public sealed record FeedbackPosition(DateTimeOffset ReceivedAt, Guid Id);

/// <summary>Reads of the projected <see cref="FeedbackItem"/> and <see cref="FeedbackRequest"/> documents; never a stream replay.</summary>
public static class FeedbackQueries
{
    private const string Items = $"{BrmDomain.Schema}.mt_doc_feedbackitem";
    private const string Requests = $"{BrmDomain.Schema}.mt_doc_feedbackrequest";

    public static async Task<FeedbackItem> GetFeedbackAsync(this IQuerySession session, Guid id, CancellationToken ct) =>
        await session.LoadAsync<FeedbackItem>(id, ct) ?? throw DomainException.NotFound($"feedback {id} was not found");

    public static async Task<FeedbackRequest> GetFeedbackRequestAsync(this IQuerySession session, Guid id, CancellationToken ct) =>
        await session.LoadAsync<FeedbackRequest>(id, ct) ?? throw DomainException.NotFound($"request for feedback {id} was not found");

    /// <summary>
    /// One page, longest-waiting first (receipt time, then id), after <paramref name="after"/> (keyset paging:
    /// stable while others write). "Loop open for more than N days" is judged against <paramref name="today"/>.
    /// </summary>
    public static Task<IReadOnlyList<FeedbackItem>> ListFeedbackAsync(
        this IQuerySession session, FeedbackFilter filter, DateOnly today, FeedbackPosition? after, int limit, CancellationToken ct)
    {
        var where = new Where();
        where.AddIf(filter.RelationshipId, "d.relationship_id = ?");
        where.AddIf(filter.Statuses is { Count: > 0 } statuses ? statuses.Select(s => s.ToString()).ToArray() : null, "d.status = any(?)");
        where.AddIf(filter.LoopOpenMoreThanDays is { } days ? FeedbackItem.OpenMoreThanCutoff(days, today) : null,
            $"d.status <> '{nameof(FeedbackStatus.Responded)}' and d.received_at < ?");
        where.AddIf(filter.MinRating, "d.rating >= ?");
        where.AddIf(filter.MaxRating, "d.rating <= ?");
        where.AddIf(filter.FeedbackRequestId, "d.feedback_request_id = ?");
        where.AddIf(filter.Tags is { Count: > 0 } tags ? Tagging.CarriesAllParameter(tags) : null, Tagging.CarriesAllSql);
        if (after is not null)
        {
            where.Add("(d.received_at, d.id) > (?, ?)", after.ReceivedAt.ToUniversalTime(), after.Id);
        }

        return session.QueryAsync<FeedbackItem>(
            $"select d.data from {Items} as d {where} order by d.received_at, d.id limit ?", ct, [.. where.Parameters, limit]);
    }

    /// <summary>Every answer to these requests, whenever it came.</summary>
    public static Task<IReadOnlyList<FeedbackItem>> AnswersAsync(this IQuerySession session, IReadOnlyCollection<Guid> requestIds, CancellationToken ct) =>
        session.QueryAsync<FeedbackItem>(
            $"select d.data from {Items} as d where d.feedback_request_id = any(?) order by d.received_at, d.id", ct, requestIds.ToArray());

    /// <summary>
    /// Every feedback item of these relationships received by <paramref name="receivedBy"/> (null: all), oldest
    /// first; with <paramref name="openOnly"/>, only those whose loop is still open.
    /// </summary>
    public static Task<IReadOnlyList<FeedbackItem>> FeedbackOfAsync(
        this IQuerySession session, IReadOnlyCollection<Guid> relationshipIds, DateTimeOffset? receivedBy, bool openOnly, CancellationToken ct)
    {
        var where = new Where();
        where.Add("d.relationship_id = any(?)", relationshipIds.ToArray());
        where.AddIf(receivedBy?.ToUniversalTime(), "d.received_at <= ?");
        if (openOnly)
        {
            where.Add($"d.status <> '{nameof(FeedbackStatus.Responded)}'");
        }

        return session.QueryAsync<FeedbackItem>($"select d.data from {Items} as d {where} order by d.received_at, d.id", ct, [.. where.Parameters]);
    }

    /// <summary>
    /// The loop statistics of one relationship (or all) over a period: the requests sent and the feedback received
    /// in it, and everything that happened to them since, as of <paramref name="asOf"/>.
    /// </summary>
    public static async Task<FeedbackLoopStats> FeedbackLoopStatsAsync(
        this IQuerySession session, Guid? relationshipId, DateTimeOffset? from, DateTimeOffset? before, DateTimeOffset asOf, int loopOpenDays,
        CancellationToken ct)
    {
        var requests = await session.QueryAsync<FeedbackRequest>(
            $"select d.data from {Requests} as d {InScope(relationshipId, from, before, "requested_at", out var requestArgs)}", ct, requestArgs);
        var received = await session.QueryAsync<FeedbackItem>(
            $"select d.data from {Items} as d {InScope(relationshipId, from, before, "received_at", out var itemArgs)}", ct, itemArgs);
        var answers = requests.Count == 0 ? [] : await session.AnswersAsync([.. requests.Select(r => r.Id)], ct);
        return FeedbackLoopStats.From([.. requests], [.. answers], [.. received], asOf, loopOpenDays);
    }

    private static Where InScope(Guid? relationshipId, DateTimeOffset? from, DateTimeOffset? before, string column, out object[] args)
    {
        var where = new Where();
        where.AddIf(relationshipId, "d.relationship_id = ?");
        where.AddIf(from?.ToUniversalTime(), $"d.{column} >= ?");
        where.AddIf(before?.ToUniversalTime(), $"d.{column} < ?");
        args = [.. where.Parameters];
        return where;
    }

    /// <summary>A where clause built from optional conditions, each with its parameters.</summary>
    private sealed class Where
    {
        private readonly List<string> _conditions = [];

        public List<object> Parameters { get; } = [];

        /// <summary>Adds the condition when its one parameter is set.</summary>
        public void AddIf(object? value, string condition)
        {
            if (value is not null)
            {
                Add(condition, value);
            }
        }

        public void Add(string condition, params object[] values)
        {
            _conditions.Add(condition);
            Parameters.AddRange(values);
        }

        public override string ToString() => _conditions.Count == 0 ? "" : "where " + string.Join(" and ", _conditions.Select(c => $"({c})"));
    }
}
