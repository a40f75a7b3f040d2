using System.Data.Common;
using Marten;
using Weasel.Storage;
using Marten.Linq.QueryHandlers;
using Weasel.Postgresql;

namespace Brm.Domain;

/// <summary>The outcome of a command: the state after it, the stream's new version and what was appended.</summary>
public sealed record Decided<TState>(TState State, long Version, IReadOnlyList<object> Events);

/// <summary>
/// The write path every command follows: lock the stream and load it (one round trip), check the expected version,
/// decide, append. Saving is the caller's, so that whatever else belongs to the same
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
        // The stream's row is locked (FOR UPDATE, in the same round trip as the state, before it is read) until the session's transaction
        // ends: a concurrent write on the stream waits here and then decides on what this one wrote, instead of losing
        // at save time after drawing sequence numbers (a gap the feed would wait on). Marten still guards the version
        // at save. Comparing the expected version here (rather than passing it to Marten) lets a missing stream be
        // NOT_FOUND, not a version conflict; a mismatch is refused before anything is appended.
        var batch = session.CreateBatchQuery();
        _ = batch.AddItem(new StreamRowLock(streamId, exclusive: true));
        var fetched = batch.Events.FetchForWriting<TState>(streamId);
        await batch.Execute(ct);
        var stream = await fetched;
        if (expectedVersion is { } expected && stream.Aggregate is not null && stream.CurrentVersion != expected)
        {
            throw DomainException.Conflict(
                $"expected version {expected}, but the stream is at version {stream.CurrentVersion}: read it again and retry");
        }

        var events = await decide(stream.Aggregate);
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
    /// Locks the stream's row until the session's transaction ends: <paramref name="exclusive"/> (FOR UPDATE) against
    /// every other holder, or shared (FOR SHARE) with other sharers and against an exclusive holder. Reads after it see
    /// what the holder before it committed. The session's transaction must already be open (every mutation's is,
    /// from its first read): outside one, the lock would end with the statement.
    /// </summary>
    public static async Task LockStreamAsync(this IDocumentSession session, Guid streamId, bool exclusive, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var locked = batch.AddItem(new StreamRowLock(streamId, exclusive));
        await batch.Execute(ct);
        await locked;
    }

    /// <summary>
    /// Locks a stream's row (FOR UPDATE, or FOR SHARE) as one statement of a batch, so that the reads after it in the
    /// same round trip see what the holder before it committed. (Marten's FetchForExclusiveWriting would begin a
    /// transaction of its own, which a session on an external transaction with connection tracing refuses.)
    /// </summary>
    private sealed class StreamRowLock(Guid streamId, bool exclusive) : IQueryHandler<bool>
    {
        public void ConfigureCommand(ICommandBuilder builder, IStorageSession session)
        {
            builder.Append($"select 1 from {BrmDomain.Schema}.mt_streams where id = ");
            builder.AppendParameter(streamId);
            builder.Append(exclusive ? " for update" : " for share");
        }

        public async Task<bool> HandleAsync(DbDataReader reader, IStorageSession session, CancellationToken token) => await reader.ReadAsync(token);

        public Task<int> StreamJson(Stream stream, DbDataReader reader, CancellationToken token) => throw new NotSupportedException();
    }

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
