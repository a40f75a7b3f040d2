using System.Security.Claims;
using Brm.Api.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;
using Code = Google.Rpc.Code;

namespace Brm.Api.Security;

/// <summary>
/// Who is calling, from the bearer token: a valid token carrying a name (else UNAUTHENTICATED) and a role (else
/// PERMISSION_DENIED). Each refusal is written to the audit log (category <c>Brm.Audit</c>). Used twice per call, by
/// <see cref="AuthenticateFirst"/> before anything reads the body and by <see cref="AccessInterceptor"/> (which also
/// sees the HTTP/JSON routes); the bearer handler validates a token once per request and caches its answer.
/// </summary>
public sealed partial class CallerAuthentication(TimeProvider clock, ILoggerFactory loggers)
{
    public const string AuditCategory = "Brm.Audit";

    private readonly ILogger _audit = loggers.CreateLogger(AuditCategory);

    /// <summary>The caller of <paramref name="method"/>, or a <see cref="NotAuthenticatedException"/> or <see cref="PermissionDeniedException"/>.</summary>
    public async Task<Caller> AuthenticateAsync(HttpContext http, string method)
    {
        var result = await http.AuthenticateAsync(); // the default (bearer) scheme; the handler caches its answer
        var failure = !result.Succeeded ? Why(result.Failure)
            : result.Principal.Identity?.Name is not { Length: > 0 } ? "the bearer token carries no name"
            : null;
        if (failure is not null)
        {
            AuthenticationFailed(_audit, http.Connection.RemoteIpAddress?.ToString() ?? "unknown", method, failure, clock.GetUtcNow());
            throw new NotAuthenticatedException(failure);
        }

        var principal = result.Principal!;
        var name = principal.Identity!.Name!;
        if (RoleOf(principal) is not { } role)
        {
            const string noRole = "the bearer token carries none of the roles admin, brm, reporter";
            throw Denied(name, null, method, noRole);
        }

        return new Caller(name, role);
    }

    /// <summary>Logs the denial of <paramref name="method"/> to <paramref name="name"/> and returns the exception saying why.</summary>
    public PermissionDeniedException Denied(string name, Role? role, string method, string reason)
    {
        PermissionDenied(_audit, name, role, method, reason, clock.GetUtcNow());
        return new PermissionDeniedException(reason);
    }

    private static Role? RoleOf(ClaimsPrincipal principal) =>
        Enum.GetValues<Role>().Where(r => principal.IsInRole(Caller.ClaimValue(r))).Select(r => (Role?)r).Max();

    // What a client (and the audit log) may be told about a refused token: the kind of problem, never its content.
    private static string Why(Exception? failure) => failure switch
    {
        null => "no bearer token: send the header `authorization: Bearer <token>`",
        SecurityTokenExpiredException => "the bearer token has expired",
        SecurityTokenNotYetValidException => "the bearer token is not valid yet",
        SecurityTokenInvalidIssuerException => "the bearer token's issuer is not accepted",
        SecurityTokenInvalidAudienceException => "the bearer token's audience is not accepted",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the bearer token's signature is not valid",
        _ => "the bearer token is not valid",
    };

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Authentication failed: {Method} from {Remote} at {At:O} was refused: {Reason}")]
    private static partial void AuthenticationFailed(ILogger logger, string remote, string method, string reason, DateTimeOffset at);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Permission denied: {Caller} ({Role}) may not call {Method} at {At:O}: {Reason}")]
    private static partial void PermissionDenied(ILogger logger, string caller, Role? role, string method, string reason, DateTimeOffset at);
}

/// <summary>
/// Refuses a gRPC call that <see cref="AccessPolicy"/> guards and whose token does not authenticate (UNAUTHENTICATED,
/// or PERMISSION_DENIED for a token without a role) before anything reads, inflates or parses its body.
/// </summary>
public sealed class AuthenticateFirst(RequestDelegate next, CallerAuthentication authentication)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (TrailersOnly.IsGrpc(context.Request) && AccessPolicy.Guards(context.Request.Path.Value ?? ""))
        {
            try
            {
                await authentication.AuthenticateAsync(context, context.Request.Path.Value ?? "");
            }
            catch (Exception e) when (e is NotAuthenticatedException or PermissionDeniedException)
            {
                var code = e is NotAuthenticatedException ? Code.Unauthenticated : Code.PermissionDenied;
                TrailersOnly.Write(context.Response, new Google.Rpc.Status { Code = (int)code, Message = e.Message });
                return;
            }
        }

        await next(context);
    }
}
