using System.Security.Claims;
using Brm.Api.Infrastructure;
using Grpc.Core;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;

namespace Brm.Api.Security;

/// <summary>
/// Guards every brm.v1 call before validation and the service see it: the bearer token must be valid and carry a
/// name and a role (else UNAUTHENTICATED), and <see cref="AccessPolicy"/> must allow the call (else
/// PERMISSION_DENIED). Each refusal is written to the audit log (category <c>Brm.Audit</c>): who, what, when and
/// why, never the token nor anything from the request. The authenticated <see cref="Caller"/> is attached to the
/// call for the write path.
/// </summary>
public sealed partial class AccessInterceptor(IDocumentStore store, TimeProvider clock, ILoggerFactory loggers) : CheckingInterceptor
{
    public const string AuditCategory = "Brm.Audit";

    private readonly ILogger _audit = loggers.CreateLogger(AuditCategory);

    protected override async Task CheckAsync<TRequest>(TRequest request, ServerCallContext context)
    {
        if (!AccessPolicy.Guards(context.Method))
        {
            return;
        }

        var caller = await AuthenticateAsync(context);
        var access = AccessPolicy.For(request.GetType())
            ?? throw new InvalidOperationException($"AccessPolicy has no rule for {request.GetType().Name}: add one.");
        if (await access.DenialAsync(caller, request, store, context.CancellationToken) is { } denial)
        {
            PermissionDenied(_audit, caller.Name, caller.Role, context.Method, denial, clock.GetUtcNow());
            throw new PermissionDeniedException(denial);
        }

        caller.AttachTo(context);
    }

    private async Task<Caller> AuthenticateAsync(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var result = await http.AuthenticateAsync(); // the default (bearer) scheme; the handler caches its answer
        var failure = !result.Succeeded ? Why(result.Failure)
            : result.Principal.Identity?.Name is not { Length: > 0 } ? "the bearer token carries no name"
            : null;
        if (failure is not null)
        {
            AuthenticationFailed(_audit, http.Connection.RemoteIpAddress?.ToString() ?? "unknown", context.Method, failure, clock.GetUtcNow());
            throw new NotAuthenticatedException(failure);
        }

        var principal = result.Principal!;
        var name = principal.Identity!.Name!;
        if (RoleOf(principal) is not { } role)
        {
            const string noRole = "the bearer token carries none of the roles admin, brm, reporter";
            PermissionDenied(_audit, name, null, context.Method, noRole, clock.GetUtcNow());
            throw new PermissionDeniedException(noRole);
        }

        return new Caller(name, role);
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

/// <summary>No valid bearer token: UNAUTHENTICATED, the message saying what is wrong with it.</summary>
public sealed class NotAuthenticatedException(string message) : Exception(message);

/// <summary>The caller's role or ownership does not allow the call: PERMISSION_DENIED.</summary>
public sealed class PermissionDeniedException(string message) : Exception(message);
