using System.Buffers;
using System.Collections.Frozen;
using System.IO.Compression;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using BadRequest = Google.Rpc.BadRequest;
using Code = Google.Rpc.Code;

namespace Brm.Api.Infrastructure;

/// <summary>
/// Refuses, with INVALID_ARGUMENT, a brm.v1 gRPC call whose body is not a message of the RPC's request type (random
/// bytes, a message cut short, a wrong wire type). gRPC parses the request before any interceptor runs, so
/// <see cref="ErrorInterceptor"/> never sees such a failure and grpc-dotnet would answer UNKNOWN. This reads the first
/// message ahead of gRPC without consuming it (gRPC then reads the same bytes) and parses it once; a message larger
/// than the receive limit, or compressed other than with gzip, is left to gRPC, which refuses it itself.
/// </summary>
public sealed class MalformedRequests(RequestDelegate next, ILogger<MalformedRequests> logger)
{
    private const int HeaderLength = 5; // compressed flag (1 byte) + message length (4 bytes, big-endian)

    /// <summary>Each brm.v1 RPC's route ("/brm.v1.RelationshipService/RegisterDepartment") and its request type.</summary>
    private static readonly FrozenDictionary<string, MessageDescriptor> Requests =
        BrmRpcs.All.ToFrozenDictionary(m => $"/{m.Service.FullName}/{m.Name}", m => m.InputType, StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true
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
        var gzip = compressed == 1 && request.Headers["grpc-encoding"] == "gzip";
        reader.AdvanceTo(buffer.Start); // nothing consumed, nothing examined: gRPC reads the same bytes
        if (compressed > 1)
        {
            return "the request's compressed flag is neither 0 nor 1";
        }

        if (length > Limits.MaxRequestBytes || (compressed == 1 && !gzip))
        {
            return null;
        }

        buffer = (await reader.ReadAtLeastAsync((int)(HeaderLength + length), ct)).Buffer;
        try
        {
            return buffer.Length < HeaderLength + length
                ? $"the request message is cut short: {buffer.Length - HeaderLength} of {length} bytes"
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
        var message = Printable(problem);
        var status = new Google.Rpc.Status { Code = (int)Code.InvalidArgument, Message = message };
        var badRequest = new BadRequest();
        badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = type.Name, Description = message });
        status.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(badRequest));

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)Code.InvalidArgument).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = message;
        response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray()).TrimEnd('=');
    }

    // grpc-message is percent-encoded ASCII: keep the problem's printable ASCII, without '%'.
    private static string Printable(string text)
    {
        var printable = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            printable.Append(c is >= ' ' and <= '~' and not '%' ? c : '?');
        }

        return printable.ToString();
    }
}
