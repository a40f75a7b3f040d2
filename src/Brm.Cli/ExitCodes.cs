using Google.Rpc;
using Grpc.Core;

namespace Brm.Cli;

/// <summary>The one table from failures to exit codes and one-line messages.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Other = 1;
    public const int Usage = 2;
    public const int NotFound = 3;
    public const int Conflict = 4;
    public const int Refused = 5;
    public const int Permission = 6;

    public static int For(StatusCode status) => status switch
    {
        StatusCode.InvalidArgument => Usage,
        StatusCode.NotFound => NotFound,
        StatusCode.AlreadyExists or StatusCode.Aborted => Conflict,
        StatusCode.FailedPrecondition or StatusCode.ResourceExhausted => Refused,
        StatusCode.PermissionDenied or StatusCode.Unauthenticated => Permission,
        _ => Other,
    };

    /// <summary>One line: the status's meaning, then each bad field (from google.rpc.BadRequest) or the rule.</summary>
    public static string Describe(RpcException error)
    {
        var kind = error.StatusCode switch
        {
            StatusCode.InvalidArgument => "invalid",
            StatusCode.NotFound => "not found",
            StatusCode.AlreadyExists => "already exists",
            StatusCode.Aborted => "conflict (someone changed it first; read it again)",
            StatusCode.FailedPrecondition => "refused",
            StatusCode.ResourceExhausted => "limit reached",
            StatusCode.PermissionDenied => "permission denied",
            StatusCode.Unauthenticated => "not signed in (run `brm login`)",
            StatusCode.Unavailable => "service unavailable",
            _ => error.StatusCode.ToString(),
        };
        var violations = error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations;
        if (violations is { Count: > 0 })
        {
            return $"{kind}: " + string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}"));
        }

        return string.IsNullOrWhiteSpace(error.Status.Detail) ? kind : $"{kind}: {error.Status.Detail}";
    }
}

/// <summary>A failure found on the client side (an unknown department code, an ambiguous name, a bad value).</summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);

    public static CliException NotFound(string message) => new(ExitCodes.NotFound, message);
}
