using System.Net.Sockets;
using System.Text;
using Brm.Api.Security;
using Brm.Domain;
using FluentValidation;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using JasperFx;
using JasperFx.Events;
using Npgsql;

namespace Brm.Api.Infrastructure;

/// <summary>
/// The whole error table, in one place: every exception a call raises becomes one status here. Nothing a
/// client sends may end as UNKNOWN or INTERNAL; INTERNAL is left for our own bugs, and is logged.
/// </summary>
public sealed class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw ToRpcException(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw ToRpcException(e, context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw ToRpcException(e, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw ToRpcException(e, context);
        }
    }

    private RpcException ToRpcException(Exception e, ServerCallContext context)
    {
        var status = Translate(e, context);
        if (status.Code == (int)Code.Internal)
        {
            logger.LogError(e, "Unhandled error in {Method}", context.Method);
        }
        else
        {
            logger.LogDebug(e, "{Method} failed with {Code}", context.Method, (Code)status.Code);
        }

        return status.ToRpcException();
    }

    internal static Google.Rpc.Status Translate(Exception e, ServerCallContext context)
    {
        if (e is ValidationException validation)
        {
            return InvalidArgument(validation);
        }

        switch (e)
        {
            case NotAuthenticatedException:
                return Status(Code.Unauthenticated, e.Message);
            case PermissionDeniedException:
                return Status(Code.PermissionDenied, e.Message);
            case LimitExceededException:
                return Status(Code.ResourceExhausted, e.Message);
        }

        if (e is DomainException domain)
        {
            return Status(domain.Error switch
            {
                DomainError.NotFound => Code.NotFound,
                DomainError.AlreadyExists => Code.AlreadyExists,
                DomainError.LimitExceeded => Code.ResourceExhausted,
                DomainError.VersionConflict => Code.Aborted,
                _ => Code.FailedPrecondition,
            }, domain.Message);
        }

        // Once the call is cancelled or past its deadline, whatever its cancellation broke (Npgsql reports a
        // cancelled command as a timeout or I/O error) is that cancellation, not an unavailable database.
        if (context.CancellationToken.IsCancellationRequested && Causes(e).Any(c => c is OperationCanceledException or NpgsqlException or TimeoutException or IOException))
        {
            return context.Deadline <= DateTime.UtcNow
                ? Status(Code.DeadlineExceeded, "the deadline passed before the call completed")
                : Status(Code.Cancelled, "the call was cancelled");
        }

        foreach (var cause in Causes(e))
        {
            switch (cause)
            {
                case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique:
                    return Status(Code.AlreadyExists, DuplicateMessage(unique.ConstraintName));
                case ConcurrencyException:
                    return Status(Code.Aborted,
                        "the stream changed since the expected version: read it again and retry with its current version");
                case ExistingStreamIdCollisionException:
                    return Status(Code.AlreadyExists, "a stream with this id already exists");
                case DocumentAlreadyExistsException when cause.InnerException is null:
                    return Status(Code.AlreadyExists, "this already exists");
                case PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected }:
                    return Status(Code.Aborted, "the change conflicted with a concurrent change: retry it");
                case PostgresException pg when IsUnavailable(pg.SqlState):
                case NpgsqlException { InnerException: SocketException or IOException or TimeoutException }:
                case NpgsqlException { IsTransient: true }:
                case SocketException:
                case TimeoutException:
                    return Status(Code.Unavailable, "the database cannot be reached; retry later");
            }
        }

        return Status(Code.Internal, "an internal error occurred");
    }

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Causes))
                {
                    yield return inner;
                }
            }
        }
    }

    private static bool IsUnavailable(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) // connection exceptions
        || sqlState.StartsWith("57P", StringComparison.Ordinal) // admin shutdown, crash shutdown, cannot connect now
        || sqlState == PostgresErrorCodes.TooManyConnections;

    private static string DuplicateMessage(string? constraint) => constraint switch
    {
        { } c when c.Contains("relationship_code", StringComparison.Ordinal) => "a department with this code already exists",
        _ => "this already exists",
    };

    private static Google.Rpc.Status Status(Code code, string message) => new() { Code = (int)code, Message = message };

    /// <summary>The most field violations one INVALID_ARGUMENT answer carries; its message counts the rest.</summary>
    public const int MaxViolations = 20;

    // The most UTF-8 bytes of a violation's field and description, and of the message. Twenty violations and the
    // message, base64-encoded in grpc-status-details-bin, plus the message percent-encoded (3 bytes for each byte
    // that is not printable ASCII) stay under 8 KB: far below what any HTTP/2 client accepts in its trailers.
    private const int MaxFieldBytes = 64;
    private const int MaxDescriptionBytes = 120;
    private const int MaxMessageBytes = 512;

    private static Google.Rpc.Status InvalidArgument(ValidationException validation)
    {
        var errors = validation.Errors.ToList();
        var shown = errors.Take(MaxViolations)
            .Select(f => new BadRequest.Types.FieldViolation { Field = Cut(f.PropertyName, MaxFieldBytes), Description = Cut(f.ErrorMessage, MaxDescriptionBytes) })
            .ToList();
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(shown);
        var fields = string.Join(", ", shown.Select(f => f.Field).Distinct());
        var more = errors.Count > shown.Count ? $" (and {errors.Count - shown.Count} more)" : "";
        return new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = Cut($"invalid {fields}: {string.Join("; ", shown.Select(f => f.Description))}", MaxMessageBytes - more.Length) + more,
            Details = { Any.Pack(badRequest) },
        };
    }

    /// <summary><paramref name="text"/> cut to at most <paramref name="maxBytes"/> UTF-8 bytes, whole characters only, ending in "…" when cut.</summary>
    internal static string Cut(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var budget = maxBytes - Encoding.UTF8.GetByteCount("…");
        var (length, bytes) = (0, 0);
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > budget)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            length += rune.Utf16SequenceLength;
        }

        return text[..length] + "…";
    }
}
