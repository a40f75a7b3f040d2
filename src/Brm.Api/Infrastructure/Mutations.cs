using System.Security.Cryptography;
using Brm.Api.Security;
using Brm.Domain;
using Brm.Domain.Idempotency;
using Brm.Domain.Relationships;
using FluentValidation;
using FluentValidation.Results;
using Google.Protobuf;
using Grpc.Core;
using JasperFx.Events;
using Marten;
using Npgsql;

namespace Brm.Api.Infrastructure;

/// <summary>
/// Who is acting (the authenticated caller's name, never a request field), and when: stamped on every command and,
/// as metadata, on every event.
/// </summary>
public sealed record Stamp(string Actor, DateTimeOffset At)
{
    /// <summary>The calendar day of <see cref="At"/> (days are counted in UTC).</summary>
    public DateOnly Today => DateOnly.FromDateTime(At.UtcDateTime);
}

/// <summary>
/// Runs every mutation the same way: one session on its own connection and transaction, carrying the actor and
/// correlation metadata; the first answer of a repeated request id replayed (AIP-155); the decision appended; the
/// answer stored with the events in one transaction; save. <see cref="Decide{TState, TResponse}(IMutation, ServerCallContext, Guid, long?, RelationshipHold, Func{TState, Relationship, Stamp, IReadOnlyList{object}}, Func{Decided{TState}, Relationship, Stamp, TResponse}, Func{IDocumentSession, Decided{TState}, CancellationToken, Task})"/>
/// is the write path of every command on one stream: the idempotency lookup, the relationship it holds, the stream's
/// lock and its state in one round trip before the write; <see cref="Run{TState, TResponse}"/> takes the same round
/// trip for a command that reads something more before it decides. <see cref="Run{TResponse}"/> is for the few that
/// read or append several streams (a round trip for the lookup, then whatever they read).
/// </summary>
public sealed class Mutations(IDocumentStore store, TimeProvider clock, ILogger<Mutations> logger)
{
    public const string CorrelationHeader = Correlation.Header;

    /// <summary>
    /// A command on one stream that reads a relationship (the stream's own, named by <paramref name="hold"/>): one round
    /// trip fetches the request id's first answer (returned as it is, without deciding), holds the relationship, locks
    /// and loads the stream (<see cref="EventStore.FetchForDecisionAsync{TState}"/>); then the pure decision, the
    /// answer, and <paramref name="then"/> (e.g. an outbox message in the same transaction) before the save.
    /// </summary>
    public Task<TResponse> Decide<TState, TResponse>(
        IMutation request,
        ServerCallContext context,
        Guid streamId,
        long? expectedVersion,
        RelationshipHold hold,
        Func<TState?, Relationship, Stamp, IReadOnlyList<object>> decide,
        Func<Decided<TState>, Relationship, Stamp, TResponse> respond,
        Func<IDocumentSession, Decided<TState>, CancellationToken, Task>? then = null)
        where TState : class, IEventSourced<TState>
        where TResponse : class, IMessage<TResponse>, new() =>
        Run<TState, TResponse>(request, context, streamId, hold, async (held, ct) =>
        {
            var decided = held.Stream.Decide(expectedVersion, state => decide(state, held.Relationship, held.Stamp));
            if (then is not null)
            {
                await then(held.Session, decided, ct);
            }

            return respond(decided, held.Relationship, held.Stamp);
        });

    /// <summary>
    /// A command on one stream that reads something more before it decides (the item it names, the manager's load) or
    /// appends to a new second stream: the same one round trip as <see cref="Decide{TState, TResponse}(IMutation, ServerCallContext, Guid, long?, RelationshipHold, Func{TState, Relationship, Stamp, IReadOnlyList{object}}, Func{Decided{TState}, Relationship, Stamp, TResponse}, Func{IDocumentSession, Decided{TState}, CancellationToken, Task})"/>
    /// (the request id's first answer, returned as it is; the relationship held; the stream locked and fetched), then
    /// <paramref name="mutate"/> reads what else it needs, decides on <see cref="Held{TState}.Stream"/> and answers.
    /// </summary>
    public Task<TResponse> Run<TState, TResponse>(
        IMutation request,
        ServerCallContext context,
        Guid streamId,
        RelationshipHold hold,
        Func<Held<TState>, CancellationToken, Task<TResponse>> mutate)
        where TState : class, IEventSourced<TState>
        where TResponse : class, IMessage<TResponse>, new() =>
        Execute<TResponse>(request, request.RequestId, context, async (session, call, ct) =>
        {
            var fetched = await session.FetchForDecisionAsync<TState>(streamId, hold, call.RequestId, ct);
            return call.FirstAnswer<TResponse>(fetched.FirstAnswer) is { } first
                ? Outcome<TResponse>.Replayed(first)
                : Outcome<TResponse>.Decided(await mutate(new Held<TState>(session, fetched.Stream, hold.Found(fetched.Relationship), call.Stamp), ct));
        });

    /// <summary>As the overload with a hold, for a command whose stream is all it reads (a relationship's own, a BRM's feed).</summary>
    public Task<TResponse> Decide<TState, TResponse>(
        IMutation request,
        ServerCallContext context,
        Guid streamId,
        long? expectedVersion,
        Func<TState?, Stamp, IReadOnlyList<object>> decide,
        Func<Decided<TState>, Stamp, TResponse> respond)
        where TState : class, IEventSourced<TState>
        where TResponse : class, IMessage<TResponse>, new() =>
        Execute<TResponse>(request, request.RequestId, context, async (session, call, ct) =>
        {
            var fetched = await session.FetchForDecisionAsync<TState>(streamId, hold: null, call.RequestId, ct);
            return call.FirstAnswer<TResponse>(fetched.FirstAnswer) is { } first
                ? Outcome<TResponse>.Replayed(first)
                : Outcome<TResponse>.Decided(respond(fetched.Stream.Decide(expectedVersion, state => decide(state, call.Stamp)), call.Stamp));
        });

    /// <summary>
    /// A mutation that reads or appends more than one stream and its relationship (bulk tag changes, a sent update, a
    /// department's registration with its code check...): the request id's first answer is looked up first (a round
    /// trip of its own), then <paramref name="mutate"/> reads, decides and appends what it needs.
    /// </summary>
    public Task<TResponse> Run<TResponse>(
        IMessage request,
        string requestId,
        ServerCallContext context,
        Func<IDocumentSession, Stamp, CancellationToken, Task<TResponse>> mutate)
        where TResponse : class, IMessage<TResponse>, new() =>
        Execute<TResponse>(request, requestId, context, async (session, call, ct) =>
            call.RequestId is { } id && call.FirstAnswer<TResponse>(await session.LoadAsync<ProcessedRequest>(id, ct)) is { } first
                ? Outcome<TResponse>.Replayed(first)
                : Outcome<TResponse>.Decided(await mutate(session, call.Stamp, ct)));

    /// <summary>What a command on a held stream works with: its session, its stream (locked, fetched for writing), the relationship held, its stamp.</summary>
    public sealed record Held<TState>(IDocumentSession Session, IEventStream<TState> Stream, Relationship Relationship, Stamp Stamp)
        where TState : class;

    /// <summary>The request as the runner sees it: its id (if any), the RPC, a hash of the request, and the stamp of its events.</summary>
    private sealed record Call(Guid? RequestId, string Method, string Fingerprint, Stamp Stamp)
    {
        /// <summary>The first answer <paramref name="processed"/> holds for this call, or null when there is none.</summary>
        public TResponse? FirstAnswer<TResponse>(ProcessedRequest? processed)
            where TResponse : class, IMessage<TResponse>, new() =>
            Answer<TResponse>(processed, Method, Fingerprint);
    }

    /// <summary>What an attempt came to: the first answer of a repeated request (nothing to save), or a new decision's.</summary>
    private sealed record Outcome<TResponse>(TResponse Response, bool IsReplay)
    {
        public static Outcome<TResponse> Replayed(TResponse first) => new(first, true);

        public static Outcome<TResponse> Decided(TResponse response) => new(response, false);
    }

    private async Task<TResponse> Execute<TResponse>(
        IMessage request,
        string requestId,
        ServerCallContext context,
        Func<IDocumentSession, Call, CancellationToken, Task<Outcome<TResponse>>> attempt)
        where TResponse : class, IMessage<TResponse>, new()
    {
        // One connection and one transaction, begun before the first read, for the lookup, the reads and the write: a
        // write holds the streams it locked (StreamRowLock) until it commits. Marten commits it on save.
        for (var number = 1; ; number++)
        {
            var progress = new Progress();
            await using var connection = store.Storage.Database.CreateConnection();
            try
            {
                await connection.OpenAsync(context.CancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(context.CancellationToken);
                await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction, shouldAutoCommit: true));
                return await Execute(session, progress, request, requestId, context, attempt);
            }
            catch (Exception e) when (connection.State != System.Data.ConnectionState.Open && !progress.Saving && number == 1)
            {
                // The connection broke before anything was sent to commit (one left idle in the pool when PostgreSQL
                // restarted, say): nothing was written, so the call runs again once, on a fresh connection.
                logger.LogDebug(e, "{Method}: the connection broke before the save; running again", context.Method);
                NpgsqlConnection.ClearPool(connection);
            }
            catch (InvalidOperationException e) when (connection.State != System.Data.ConnectionState.Open)
            {
                // Marten retried a read on the transaction that the broken connection ended: the failure is the connection's.
                throw new NpgsqlException("the connection to the database broke during the call", new IOException(e.Message, e));
            }
        }
    }

    /// <summary>Whether the call has begun to save (from then on, a broken connection may have committed).</summary>
    private sealed class Progress
    {
        public bool Saving { get; set; }
    }

    private async Task<TResponse> Execute<TResponse>(
        IDocumentSession session,
        Progress progress,
        IMessage request,
        string requestId,
        ServerCallContext context,
        Func<IDocumentSession, Call, CancellationToken, Task<Outcome<TResponse>>> attempt)
        where TResponse : class, IMessage<TResponse>, new()
    {
        var ct = context.CancellationToken;
        var id = ProtoFields.OptionalId(requestId);
        var fingerprint = Convert.ToHexString(SHA256.HashData(request.ToByteArray()));
        var stamp = new Stamp(Caller.Of(context).Name, clock.GetUtcNow().ToMicroseconds());
        session.LastModifiedBy = stamp.Actor;
        session.CorrelationId = Correlation.Of(context);
        session.CausationId = id?.ToString();
        var call = new Call(id, context.Method, fingerprint, stamp);

        try
        {
            var outcome = await attempt(session, call, ct);
            if (outcome.IsReplay)
            {
                return outcome.Response;
            }

            var response = outcome.Response;
            if (id is { } fresh)
            {
                session.Insert(ProcessedRequest.Of(fresh, context.Method, fingerprint, response.ToByteArray(), IdsIn(response), stamp.At));
            }

            progress.Saving = true;
            await session.SaveChangesAsync(ct);
            logger.LogDebug("{Method} committed for {Actor}", context.Method, stamp.Actor);
            return response;
        }
        catch (Exception) when (id is not null)
        {
            // A concurrent call with the same request id may have committed first, after this call looked: then the
            // decision may have seen the winner's effect (and refused, e.g. "a meeting is held once") or the save lost
            // the race. Either way the winner's answer is the answer. So is this call's own, when the connection broke
            // after COMMIT was sent and the transaction committed nevertheless. (A refusal of the lookup itself, a
            // reused or erased request id, is found again and stands.)
            if (await ReplayAfterFailure<TResponse>(id.Value, context.Method, fingerprint, ct) is { } winner)
            {
                return winner;
            }

            throw;
        }
    }

    /// <summary>
    /// The first answer of the request id, looked up after the call failed, on a fresh session (the failed one's connection is not
    /// reused): when the database cannot be reached (the failure itself may be that), the original failure stands.
    /// </summary>
    private async Task<TResponse?> ReplayAfterFailure<TResponse>(Guid id, string operation, string fingerprint, CancellationToken ct)
        where TResponse : class, IMessage<TResponse>, new()
    {
        try
        {
            await using var lookup = store.QuerySession();
            return Answer<TResponse>(await lookup.LoadAsync<ProcessedRequest>(id, ct), operation, fingerprint);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or System.Net.Sockets.SocketException or IOException or TimeoutException)
        {
            return null;
        }
    }

    /// <summary>
    /// The first answer <paramref name="processed"/> (the record of <paramref name="operation"/>'s request id, or null)
    /// holds: refused when the id was used for another request (INVALID_ARGUMENT on request_id) or its answer quoted
    /// personal data since erased (FAILED_PRECONDITION).
    /// </summary>
    private static TResponse? Answer<TResponse>(ProcessedRequest? processed, string operation, string fingerprint)
        where TResponse : class, IMessage<TResponse>, new()
    {
        if (processed is null)
        {
            return null;
        }

        if (processed.Erased)
        {
            throw DomainException.Rule(
                "the first answer to this request_id quoted personal data that has since been erased, so it is not repeated: read the current state instead");
        }

        if (processed.Operation != operation || processed.Fingerprint != fingerprint)
        {
            throw new ValidationException([
                new ValidationFailure("request_id", "request_id was already used for a different request"),
            ]);
        }

        var response = new TResponse();
        response.MergeFrom(processed.Answer());
        return response;
    }

    /// <summary>
    /// Every id (a UUID string, at any depth) an answer carries: the answer quotes what those ids name, so erasing a
    /// stakeholder's personal data blanks the stored answers that carry their id, and no others.
    /// </summary>
    private static IEnumerable<Guid> IdsIn(IMessage message) =>
        TextsIn(message).Select(text => Guid.TryParse(text, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty);

    private static IEnumerable<string> TextsIn(IMessage message) =>
        message.Descriptor.Fields.InFieldNumberOrder().SelectMany(field => field.Accessor.GetValue(message) switch
        {
            string text => [text],
            IMessage nested => TextsIn(nested),
            IEnumerable<string> texts => texts,
            IEnumerable<IMessage> items => items.SelectMany(TextsIn),
            _ => [],
        });
}
