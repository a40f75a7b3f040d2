using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Brm.Api.Infrastructure;

/// <summary>
/// The server's deadline for every unary brm.v1 gRPC call: <see cref="Limits.MaxCallDuration"/>, or the client's
/// deadline (<c>grpc-timeout</c>) when it is shorter. gRPC then enforces it as a client deadline: the call's
/// cancellation token fires (the mutation's <c>SaveChangesAsync</c> is cancelled, its transaction rolled back) and the
/// answer is DEADLINE_EXCEEDED. Server streams (the feed) are exempt: they have their idle limit instead.
/// </summary>
public sealed class CallDeadline(RequestDelegate next, IOptions<Limits> limits)
{
    private const string TimeoutHeader = "grpc-timeout";

    private static readonly FrozenSet<string> Unary = BrmRpcs.All
        .Where(m => !m.IsClientStreaming && !m.IsServerStreaming)
        .Select(BrmRpcs.Route)
        .ToFrozenSet(StringComparer.Ordinal);

    public Task InvokeAsync(HttpContext context)
    {
        var max = limits.Value.MaxCallDuration;
        if (TrailersOnly.IsGrpc(context.Request) && Unary.Contains(context.Request.Path.Value ?? "")
            && !(Decode(context.Request.Headers[TimeoutHeader].ToString()) <= max))
        {
            context.Request.Headers[TimeoutHeader] = Encode(max);
        }

        return next(context);
    }

    /// <summary>A <c>grpc-timeout</c> value (at most 8 digits and a unit), or null when it is not one.</summary>
    private static TimeSpan? Decode(string value)
    {
        if (value.Length is < 2 or > 9
            || !long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }

        return value[^1] switch
        {
            'H' => TimeSpan.FromHours(amount),
            'M' => TimeSpan.FromMinutes(amount),
            'S' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMilliseconds(amount),
            'u' => TimeSpan.FromMicroseconds(amount),
            'n' => TimeSpan.FromTicks(amount / 100),
            _ => null,
        };
    }

    private static string Encode(TimeSpan timeout) =>
        timeout.TotalMilliseconds < 100_000_000
            ? $"{(long)Math.Ceiling(timeout.TotalMilliseconds)}m"
            : $"{Math.Min((long)Math.Ceiling(timeout.TotalSeconds), 99_999_999)}S";
}
