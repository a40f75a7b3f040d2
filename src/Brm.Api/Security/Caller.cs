using Grpc.Core;

namespace Brm.Api.Security;

/// <summary>The roles a token can carry (its <c>role</c> claims), weakest first; a token with several acts as the strongest.</summary>
public enum Role
{
    /// <summary>Every read, report and the feed; no change.</summary>
    Reporter = 1,

    /// <summary>Every read; changes only to the relationships they manage, and to what belongs to those.</summary>
    Brm = 2,

    /// <summary>Everything.</summary>
    Admin = 3,
}

/// <summary>Who is calling, from a validated bearer token: its name (the actor of every change) and its role.</summary>
public sealed record Caller(string Name, Role Role)
{
    /// <summary>The caller of a brm.v1 call, as <see cref="AccessInterceptor"/> authenticated it.</summary>
    public static Caller Of(ServerCallContext context) =>
        context.UserState.TryGetValue(typeof(Caller), out var caller)
            ? (Caller)caller
            : throw new InvalidOperationException($"{context.Method} ran without an authenticated caller: is AccessInterceptor registered?");

    internal void AttachTo(ServerCallContext context) => context.UserState[typeof(Caller)] = this;

    /// <summary>The claim value of each role, as tokens carry it.</summary>
    public static string ClaimValue(Role role) => role.ToString().ToLowerInvariant();
}
