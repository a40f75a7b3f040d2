using Brm.Domain.Idempotency;
using Brm.Domain.Relationships;
using JasperFx.Events;
using Marten;

namespace Brm.Domain;

/// <summary>The outcome of a command: the state after it, the stream's new version and what was appended.</summary>
public sealed record Decided<TState>(TState State, long Version, IReadOnlyList<object> Events);

/// <summary>
/// What a command reads before it decides, in one round trip: the first answer of a repeated request id (null when
/// there is none), the relationship it holds (null when it holds none) and its stream, locked for writing.
/// </summary>
public sealed record Fetched<TState>(ProcessedRequest? FirstAnswer, Relationship? Relationship, IEventStream<TState> Stream)
    where TState : class;

/// <summary>
/// The write path every command follows: fetch what the decision needs and lock the stream (one round trip), check
/// the expected version, decide, append. Saving is the caller's, so that whatever else belongs to the same
/// unit of work (the idempotency record) commits in the same transaction.
/// </summary>
public static class EventStore
{
    public static Task<Decided<TState>> Decide<TState>(
        this IDocumentSession session,
        Guid streamId,
        long? expectedVersion,
        Func<TState?, IReadOnlyList<object>> decide,
        CancellationToken ct)
        where TState : class, IEventSourced<TState> =>
        session.Decide<TState>(streamId, expectedVersion, state => Task.FromResult(decide(state)), ct);

    /// <summary>
    /// As <see cref="Decide{TState}(IDocumentSession, Guid, long?, Func{TState, IReadOnlyList{object}}, CancellationToken)"/>,
    /// for decisions that first read another document the state points at (e.g. the commitment's relationship).
    /// </summary>
    public static async Task<Decided<TState>> Decide<TState>(
        this IDocumentSession session,
        Guid streamId,
        long? expectedVersion,
        Func<TState?, Task<IReadOnlyList<object>>> decide,
        CancellationToken ct)
        where TState : class, IEventSourced<TState>
    {
        var fetched = await session.FetchForDecisionAsync<TState>(streamId, hold: null, requestId: null, ct);
        return await fetched.Stream.Decide(expectedVersion, decide);
    }

    /// <summary>
    /// Reads, as the statements of ONE batch query and in this order (statement order is lock order): the first answer
    /// of <paramref name="requestId"/> (AIP-155), the relationship <paramref name="hold"/> names (its stream row FOR
    /// SHARE, then its document), the stream's row FOR UPDATE, and the stream for writing (version and state). The
    /// stream's row stays locked until the session's transaction ends: a concurrent write on the stream waits here and
    /// then decides on what this one wrote, instead of losing at save time after drawing sequence numbers (a gap the
    /// feed would wait on). Marten still guards the version at save.
    /// </summary>
    public static async Task<Fetched<TState>> FetchForDecisionAsync<TState>(
        this IDocumentSession session, Guid streamId, RelationshipHold? hold, Guid? requestId, CancellationToken ct)
        where TState : class
    {
        var batch = session.CreateBatchQuery();
        var firstAnswer = requestId is { } id ? batch.Load<ProcessedRequest>(id) : Task.FromResult<ProcessedRequest?>(null);
        var relationship = hold?.AddTo(batch) ?? Task.FromResult<Relationship?>(null);
        _ = batch.AddItem(StreamRowLock.Exclusive(streamId));
        var stream = batch.Events.FetchForWriting<TState>(streamId);
        await batch.Execute(ct);
        return new Fetched<TState>(await firstAnswer, await relationship, await stream);
    }

    public static Decided<TState> Decide<TState>(this IEventStream<TState> stream, long? expectedVersion, Func<TState?, IReadOnlyList<object>> decide)
        where TState : class, IEventSourced<TState>
    {
        EnsureVersion(stream, expectedVersion);
        return Append(stream, decide(stream.Aggregate));
    }

    private static async Task<Decided<TState>> Decide<TState>(
        this IEventStream<TState> stream, long? expectedVersion, Func<TState?, Task<IReadOnlyList<object>>> decide)
        where TState : class, IEventSourced<TState>
    {
        EnsureVersion(stream, expectedVersion);
        return Append(stream, await decide(stream.Aggregate));
    }

    /// <summary>
    /// Comparing the expected version here (rather than passing it to Marten) lets a missing stream be NOT_FOUND, not a
    /// version conflict; a mismatch is refused before anything is appended.
    /// </summary>
    private static void EnsureVersion<TState>(IEventStream<TState> stream, long? expectedVersion)
        where TState : class, IEventSourced<TState>
    {
        if (expectedVersion is { } expected && stream.Aggregate is not null && stream.CurrentVersion != expected)
        {
            throw DomainException.Conflict(
                $"expected version {expected}, but the stream is at version {stream.CurrentVersion}: read it again and retry");
        }
    }

    private static Decided<TState> Append<TState>(IEventStream<TState> stream, IReadOnlyList<object> events)
        where TState : class, IEventSourced<TState>
    {
        if (events.Count == 0)
        {
            return stream.Aggregate is { } unchanged
                ? new Decided<TState>(unchanged, unchanged.Version, events)
                : throw new InvalidOperationException("A decision on a new stream must return its first event.");
        }

        stream.AppendMany(events);
        var state = events.Aggregate(stream.Aggregate, (current, e) => TState.Fold(current, e))!;
        var version = (stream.StartingVersion ?? 0) + events.Count;
        return new Decided<TState>(state.WithVersion(version), version, events);
    }

    /// <summary>
    /// Locks the stream's row (<see cref="StreamRowLock"/>) until the session's transaction ends, in a round trip of its own.
    /// </summary>
    public static async Task LockStreamAsync(this IDocumentSession session, Guid streamId, bool exclusive, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var locked = batch.AddItem(exclusive ? StreamRowLock.Exclusive(streamId) : StreamRowLock.Shared(streamId));
        await batch.Execute(ct);
        await locked;
    }

    /// <summary>
    /// The stream locked FOR UPDATE and fetched for writing in one round trip, for a writer outside a request (a
    /// delivery handler): as <see cref="FetchForDecisionAsync{TState}"/>, without a request id or a relationship.
    /// </summary>
    public static async Task<IEventStream<TState>> FetchLockedAsync<TState>(this IDocumentSession session, Guid streamId, CancellationToken ct)
        where TState : class =>
        (await session.FetchForDecisionAsync<TState>(streamId, hold: null, requestId: null, ct)).Stream;

    /// <summary>
    /// Runs <paramref name="work"/> in a session on its own connection and transaction, begun before the first read (so a
    /// stream it holds with <see cref="LockStreamAsync"/> stays held until it saves), with <paramref name="actor"/> on its
    /// events. What it does not save is rolled back.
    /// </summary>
    public static async Task InTransactionAsync(this IDocumentStore store, string actor, Func<IDocumentSession, Task> work, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction, shouldAutoCommit: true));
        session.LastModifiedBy = actor;
        await work(session);
    }
}
