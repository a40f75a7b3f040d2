using System.Buffers;
using System.Collections.Frozen;
using System.IO.Compression;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using BadRequest = Google.Rpc.BadRequest;
using Code = Google.Rpc.Code;

namespace Brm.Api.Infrastructure;

/// <summary>
/// Refuses, with INVALID_ARGUMENT, a gRPC call of ours (brm.v1, and health's Check) whose body is not one message of
/// the RPC's request type: random bytes, a message cut short, a wrong wire type, a second message or stray bytes after
/// the first, the compressed flag without a compression named in <c>grpc-encoding</c>. gRPC parses the request before
/// any interceptor runs, so <see cref="ErrorInterceptor"/> never sees such a failure and grpc-dotnet would answer
/// UNKNOWN or INTERNAL. This reads the body ahead of gRPC without consuming it (gRPC then reads the same bytes) and
/// parses the message once; a message larger than the receive limit, or compressed other than with gzip, is left to
/// gRPC, which refuses it itself (RESOURCE_EXHAUSTED, UNIMPLEMENTED). It runs after authentication, so a caller
/// without a valid token never gets this far.
/// </summary>
public sealed class MalformedRequests(RequestDelegate next, ILogger<MalformedRequests> logger)
{
    private const int HeaderLength = 5; // compressed flag (1 byte) + message length (4 bytes, big-endian)

    /// <summary>The route ("/brm.v1.RelationshipService/RegisterDepartment") and request type of each RPC of ours taking one message.</summary>
    private static readonly FrozenDictionary<string, MessageDescriptor> Requests = BrmRpcs.All
        .Concat(Grpc.Health.V1.Health.Descriptor.Methods)
        .Where(m => !m.IsClientStreaming)
        .ToFrozenDictionary(BrmRpcs.Route, m => m.InputType, StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        if (TrailersOnly.IsGrpc(context.Request)
            && Requests.TryGetValue(context.Request.Path.Value ?? "", out var type)
            && await ProblemAsync(context.Request, type, context.RequestAborted) is { } problem)
        {
            logger.LogDebug("{Path} refused before gRPC: {Problem}", context.Request.Path, problem);
            Refuse(context.Response, type, problem);
            return;
        }

        await next(context);
    }

    /// <summary>What is wrong with the first message of the body, or null when it parses (or is gRPC's to judge).</summary>
    private static async Task<string?> ProblemAsync(HttpRequest request, MessageDescriptor type, CancellationToken ct)
    {
        var reader = request.BodyReader;
        var buffer = (await reader.ReadAtLeastAsync(HeaderLength, ct)).Buffer;
        if (buffer.Length < HeaderLength)
        {
            reader.AdvanceTo(buffer.Start);
            return "the request holds no complete gRPC message";
        }

        var header = buffer.Slice(0, HeaderLength).ToArray();
        var compressed = header[0];
        var length = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
        var encoding = request.Headers["grpc-encoding"].ToString();
        reader.AdvanceTo(buffer.Start); // nothing consumed, nothing examined: gRPC reads the same bytes
        if (compressed > 1)
        {
            return "the request's compressed flag is neither 0 nor 1";
        }

        if (compressed == 1 && encoding is "" or "identity")
        {
            return "the request's compressed flag is set but grpc-encoding names no compression";
        }

        var gzip = compressed == 1 && encoding == "gzip";
        if (length > Limits.MaxRequestBytes || (compressed == 1 && !gzip))
        {
            return null;
        }

        // One byte past the message: the body of a call with one request message ends with it.
        var end = HeaderLength + length;
        buffer = (await reader.ReadAtLeastAsync((int)end + 1, ct)).Buffer;
        try
        {
            return buffer.Length < end ? $"the request message is cut short: {buffer.Length - HeaderLength} of {length} bytes"
                : buffer.Length > end ? "the request carries bytes after its message: a call of this RPC sends exactly one message"
                : Problem(type, buffer.Slice(HeaderLength, length), gzip);
        }
        finally
        {
            reader.AdvanceTo(buffer.Start);
        }
    }

    private static string? Problem(MessageDescriptor type, ReadOnlySequence<byte> message, bool gzip)
    {
        try
        {
            if (gzip)
            {
                if (Gunzip(message) is not { } unzipped)
                {
                    return null; // larger than the receive limit once unzipped: gRPC says RESOURCE_EXHAUSTED
                }

                message = unzipped;
            }

            type.Parser.ParseFrom(message);
            return null;
        }
        catch (InvalidProtocolBufferException e)
        {
            return $"the request is not a valid {type.FullName} message: {e.Message}";
        }
        catch (InvalidDataException)
        {
            return "the request is marked gzip but is not gzip data";
        }
    }

    /// <summary>The unzipped message, or null past the receive limit.</summary>
    private static ReadOnlySequence<byte>? Gunzip(ReadOnlySequence<byte> message)
    {
        using var gzip = new GZipStream(new MemoryStream(message.ToArray()), CompressionMode.Decompress);
        var limit = Limits.MaxRequestBytes + 1;
        var output = new byte[limit];
        var total = 0;
        int read;
        while (total < limit && (read = gzip.Read(output, total, limit - total)) > 0)
        {
            total += read;
        }

        return total < limit ? new ReadOnlySequence<byte>(output, 0, total) : null;
    }

    /// <summary>A trailers-only gRPC answer: INVALID_ARGUMENT, with a google.rpc.BadRequest naming the request.</summary>
    private static void Refuse(HttpResponse response, MessageDescriptor type, string problem)
    {
        var status = new Google.Rpc.Status { Code = (int)Code.InvalidArgument, Message = problem };
        var badRequest = new BadRequest();
        badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = type.Name, Description = problem });
        status.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(badRequest));
        TrailersOnly.Write(response, status);
    }
}
