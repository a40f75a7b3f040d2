using System.Globalization;
using System.Text;
using Google.Protobuf;

namespace Brm.Api.Infrastructure;

/// <summary>
/// A gRPC answer written by middleware, before gRPC reads the request: HTTP 200 with no message, the status in the
/// headers (a "trailers-only" response), its details in <c>grpc-status-details-bin</c> as gRPC clients read them.
/// </summary>
public static class TrailersOnly
{
    /// <summary>True for a gRPC call (not an HTTP/JSON route).</summary>
    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;

    public static void Write(HttpResponse response, Google.Rpc.Status status)
    {
        status.Message = Printable(status.Message);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = status.Code.ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = status.Message;
        response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray()).TrimEnd('=');
    }

    // grpc-message is percent-encoded ASCII: keep the message's printable ASCII, without '%'.
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
