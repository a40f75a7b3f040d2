using System.Security.Cryptography;
using Brm.Api.Security;
using Brm.Domain;
using Brm.Domain.Idempotency;
using FluentValidation;
using FluentValidation.Results;
using Google.Protobuf;
using Grpc.Core;
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
/// Runs every mutation the same way: replay the first answer of a repeated request id (AIP-155), open one
/// session carrying the actor and correlation metadata, let the service decide and append, store the answer
/// with the events in one transaction, save.
/// </summary>
public sealed class Mutations(IDocumentStore store, TimeProvider clock, ILogger<Mutations> logger)
{
    public const string CorrelationHeader = Correlation.Header;

    public async Task<TResponse> Run<TResponse>(
        IMessage request,
        string requestId,
        ServerCallContext context,
        Func<IDocumentSession, Stamp, CancellationToken, Task<TResponse>> mutate)
        where TResponse : class, IMessage<TResponse>, new()
    {
        // One connection and one transaction, begun before the first read, for the lookup, the reads and the write: a
        // write that holds a stream it read (EventStore.LockStreamAsync) holds it until it commits. Marten commits it on save.
        for (var attempt = 1; ; attempt++)
        {
            var progress = new Progress();
            await using var connection = store.Storage.Database.CreateConnection();
            try
            {
                await connection.OpenAsync(context.CancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(context.CancellationToken);
                await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction, shouldAutoCommit: true));
                return await Run(session, progress, request, requestId, context, mutate);
            }
            catch (Exception e) when (connection.State != System.Data.ConnectionState.Open && !progress.Saving && attempt == 1)
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

    private async Task<TResponse> Run<TResponse>(
        IDocumentSession session,
        Progress progress,
        IMessage request,
        string requestId,
        ServerCallContext context,
        Func<IDocumentSession, Stamp, CancellationToken, Task<TResponse>> mutate)
        where TResponse : class, IMessage<TResponse>, new()
    {
        var ct = context.CancellationToken;
        var id = ProtoFields.OptionalId(requestId);
        var fingerprint = Convert.ToHexString(SHA256.HashData(request.ToByteArray()));
        if (id is { } known && await Replay<TResponse>(session, known, context.Method, fingerprint, ct) is { } first)
        {
            return first;
        }

        var stamp = new Stamp(Caller.Of(context).Name, clock.GetUtcNow().ToMicroseconds());
        session.LastModifiedBy = stamp.Actor;
        session.CorrelationId = Correlation.Of(context);
        session.CausationId = id?.ToString();

        try
        {
            var response = await mutate(session, stamp, ct);
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
            // after COMMIT was sent and the transaction committed nevertheless.
            if (await ReplayAfterFailure<TResponse>(id.Value, context.Method, fingerprint, ct) is { } winner)
            {
                return winner;
            }

            throw;
        }
    }

    /// <summary>
    /// <see cref="Replay{TResponse}"/> after the call failed, on a fresh session (the failed one's connection is not
    /// reused): when the database cannot be reached (the failure itself may be that), the original failure stands.
    /// </summary>
    private async Task<TResponse?> ReplayAfterFailure<TResponse>(Guid id, string operation, string fingerprint, CancellationToken ct)
        where TResponse : class, IMessage<TResponse>, new()
    {
        try
        {
            await using var lookup = store.QuerySession();
            return await Replay<TResponse>(lookup, id, operation, fingerprint, ct);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or System.Net.Sockets.SocketException or IOException or TimeoutException)
        {
            return null;
        }
    }

    private static async Task<TResponse?> Replay<TResponse>(IQuerySession session, Guid id, string operation, string fingerprint, CancellationToken ct)
        where TResponse : class, IMessage<TResponse>, new()
    {
        var processed = await session.LoadAsync<ProcessedRequest>(id, ct);
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
