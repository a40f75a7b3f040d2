using Brm.Api.Infrastructure;
using Grpc.Core;
using Marten;

namespace Brm.Api.Security;

/// <summary>
/// Guards every call outside the open services (health, reflection) before validation and the service see it: the
/// bearer token must be valid and carry a name and a role (<see cref="CallerAuthentication"/>), and
/// <see cref="AccessPolicy"/> must name the call's request type and allow it (else PERMISSION_DENIED: fail closed).
/// A call streaming its requests (client-streaming, bidi) is allowed only by a rule that needs no request (read,
/// admin). Each refusal is written to the audit log (category <c>Brm.Audit</c>): who, what, when and why, never the
/// token nor anything from the request. The authenticated <see cref="Caller"/> is attached to the call for the write path.
/// </summary>
public sealed class AccessInterceptor(IDocumentStore store, CallerAuthentication authentication) : CheckingInterceptor
{
    protected override async Task CheckAsync<TRequest>(TRequest request, ServerCallContext context)
    {
        if (!AccessPolicy.Guards(context.Method))
        {
            return;
        }

        var caller = await authentication.AuthenticateAsync(context.GetHttpContext(), context.Method);
        var access = AccessPolicy.For(typeof(TRequest));
        var denial = access is null
            ? $"the access policy has no rule for {context.Method}"
            : await access.DenialAsync(caller, request, store, context.CancellationToken);
        if (denial is not null)
        {
            throw authentication.Denied(caller.Name, caller.Role, context.Method, denial);
        }

        caller.AttachTo(context);
    }

    protected override async Task CheckStreamAsync<TRequest>(ServerCallContext context)
    {
        if (!AccessPolicy.Guards(context.Method))
        {
            return;
        }

        var caller = await authentication.AuthenticateAsync(context.GetHttpContext(), context.Method);
        var denial = AccessPolicy.For(typeof(TRequest)) is not { NeedsRequest: false } access
            ? $"the access policy allows no stream of requests for {context.Method}"
            : await access.DenialAsync(caller, request: null, store, context.CancellationToken);
        if (denial is not null)
        {
            throw authentication.Denied(caller.Name, caller.Role, context.Method, denial);
        }

        caller.AttachTo(context);
    }
}

/// <summary>No valid bearer token: UNAUTHENTICATED, the message saying what is wrong with it.</summary>
public sealed class NotAuthenticatedException(string message) : Exception(message);

/// <summary>The caller's role or ownership does not allow the call: PERMISSION_DENIED.</summary>
public sealed class PermissionDeniedException(string message) : Exception(message);
