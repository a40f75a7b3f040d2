using Brm.Api.Security;

namespace Brm.Api.Hosting;

/// <summary>
/// The web app's OpenID Connect client (section <c>Web:Oidc</c>): with a client id, the app signs people in at the
/// issuer (authorization code with PKCE, in the browser) and calls with the access token it gets there. The issuer is
/// the service's own (<c>Authentication:Schemes:Bearer:Authority</c>) unless <c>Web:Oidc:Authority</c> names another.
/// </summary>
public sealed class WebOidcSettings
{
    public const string Section = "Web:Oidc";

    /// <summary>The app's client id at the issuer (a public client: no secret). Unset: no sign-in at an issuer.</summary>
    public string? ClientId { get; set; }

    /// <summary>The issuer the app signs in at; defaults to the issuer whose tokens the service accepts.</summary>
    public string? Authority { get; set; }

    /// <summary>The scopes the app asks for, separated by spaces (add the one that gets an access token for this service, where the issuer needs it).</summary>
    public string Scope { get; set; } = "openid profile";

    /// <summary>The issuer's name on the sign-in button ("Sign in with ..."); defaults to the authority's host.</summary>
    public string? DisplayName { get; set; }

    /// <summary>Further origins the app must reach, when the issuer's token endpoint or keys are not on the authority's origin.</summary>
    public string[] ConnectOrigins { get; set; } = [];
}

/// <summary>
/// The web app's sign-in at an issuer, as <c>/web/config.json</c> tells the app: where, as which client, with which
/// scopes (always the code flow, with PKCE), and the claims the service reads the caller's name and roles from, so
/// that the app shows what the service will act on.
/// </summary>
public sealed record WebOidc(string Authority, string ClientId, string Scope, string DisplayName, string NameClaim, IReadOnlyList<string> RoleClaims,
    IReadOnlyList<string> Origins)
{
    /// <summary>The issuer's sign-in from configuration: null without a client id; a one-line error when it cannot work.</summary>
    public static (WebOidc? Oidc, string? Error) From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(WebOidcSettings.Section).Get<WebOidcSettings>() ?? new WebOidcSettings();
        if (string.IsNullOrWhiteSpace(settings.ClientId))
        {
            return (null, null);
        }

        var authority = settings.Authority is { Length: > 0 } own ? own : configuration["Authentication:Schemes:Bearer:Authority"];
        if (string.IsNullOrWhiteSpace(authority))
        {
            return (null, "Web:Oidc:ClientId is set but no issuer is: set Authentication:Schemes:Bearer:Authority (the issuer whose tokens the "
                + "service accepts) or Web:Oidc:Authority");
        }

        if (Origin(authority) is not { } origin)
        {
            return (null, $"Web:Oidc: the issuer '{authority}' is not an https address (http only on this machine's loopback, for tests)");
        }

        var origins = new List<string> { origin };
        foreach (var extra in settings.ConnectOrigins)
        {
            if (Origin(extra) is not { } more)
            {
                return (null, $"Web:Oidc:ConnectOrigins: '{extra}' is not an https address (http only on this machine's loopback, for tests)");
            }

            origins.Add(more);
        }

        var auth = configuration.GetSection(AuthSettings.Section).Get<AuthSettings>() ?? new AuthSettings();
        var scope = string.Join(' ', settings.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return (new WebOidc(authority, settings.ClientId.Trim(), scope.Length == 0 ? "openid" : scope,
            settings.DisplayName is { Length: > 0 } name ? name : new Uri(authority).Host,
            Authentication.NameClaim(auth), Authentication.RoleClaims(auth), [.. origins.Distinct()]), null);
    }

    // The scheme, host and port of an https address, or of an http one on a loopback host; null for anything else.
    private static string? Origin(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
}
