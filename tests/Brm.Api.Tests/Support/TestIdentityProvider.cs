using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Brm.Api.Tests.Support;

/// <summary>
/// A real OpenID Connect provider for the web app's sign-in, in the test process on a loopback port of its own:
/// OpenIddict's server (degraded mode: no database; its checks are the handlers below), with authorization, token,
/// user-info and end-session endpoints, the code flow with PKCE required, one public client (the app, whose redirect
/// URIs are under <see cref="AppOrigin"/>), ephemeral keys, and JWT access tokens for the audience <c>brm</c>. Its
/// authorization endpoint signs in <see cref="User"/> at once (no login form: the request is what is under test) and
/// keeps every request it received.
/// </summary>
internal sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "brm-web";
    public const string Audience = "brm";

    /// <summary>The claims the provider puts its user's name and roles in, as many providers do (the service is told).</summary>
    public const string NameClaim = Claims.PreferredUsername;
    public const string RoleClaim = "roles";

    private readonly WebApplication _app;

    private TestIdentityProvider(WebApplication app, string authority) => (_app, Authority) = (app, authority);

    /// <summary>The issuer, <c>http://127.0.0.1:port/</c>.</summary>
    public string Authority { get; }

    /// <summary>The app's origin: the client's redirect URIs are its /authentication/login-callback and logout-callback.</summary>
    public string AppOrigin { get; set; } = "";

    /// <summary>Who the authorization endpoint signs in: a name and roles.</summary>
    public (string Name, string[] Roles) User { get; set; } = ("olga.oidc", ["brm"]);

    /// <summary>Every authorization request the provider received, as it received it.</summary>
    public ConcurrentQueue<OpenIddictRequest> AuthorizationRequests { get; } = new();

    /// <summary>Every end-session (sign-out) request it received.</summary>
    public ConcurrentQueue<OpenIddictRequest> EndSessionRequests { get; } = new();

    /// <summary>Every grant type the token endpoint was asked for.</summary>
    public ConcurrentQueue<string?> TokenRequests { get; } = new();

    public static async Task<TestIdentityProvider> StartAsync()
    {
        TestIdentityProvider? provider = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Configuration["Kestrel:EndpointDefaults:Protocols"] = "Http1"; // not the service's appsettings.json (HTTP/2 only), beside the tests
        builder.Logging.ClearProviders();
        builder.Services.AddCors();
        builder.Services.AddOpenIddict().AddServer(options =>
        {
            options.SetAuthorizationEndpointUris("connect/authorize")
                .SetTokenEndpointUris("connect/token")
                .SetUserInfoEndpointUris("connect/userinfo")
                .SetEndSessionEndpointUris("connect/endsession");
            options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            options.RegisterScopes(Scopes.OpenId, Scopes.Profile);
            options.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            options.DisableAccessTokenEncryption(); // a JWT the service validates with the provider's published keys
            options.EnableDegradedMode();
            options.UseAspNetCore().DisableTransportSecurityRequirement();

            options.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                provider!.AuthorizationRequests.Enqueue(context.Request);
                if (context.ClientId != ClientId)
                {
                    context.Reject(Errors.InvalidClient, "unknown client");
                }
                else if (context.RedirectUri != $"{provider.AppOrigin}/authentication/login-callback")
                {
                    context.Reject(Errors.InvalidRequest, "redirect_uri is not registered for this client");
                }

                return default;
            }));
            options.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                provider!.TokenRequests.Enqueue(context.Request.GrantType);
                if (context.ClientId != ClientId)
                {
                    context.Reject(Errors.InvalidClient, "unknown client");
                }

                return default;
            }));
            options.AddEventHandler<OpenIddictServerEvents.HandleAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                var (name, roles) = provider!.User;
                var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, NameClaim, RoleClaim);
                identity.AddClaim(new Claim(Claims.Subject, name));
                identity.AddClaim(new Claim(NameClaim, name));
                identity.AddClaim(new Claim(Claims.Name, $"{name} (test provider)"));
                foreach (var role in roles)
                {
                    identity.AddClaim(new Claim(RoleClaim, role));
                }

                var principal = new ClaimsPrincipal(identity);
                principal.SetScopes(context.Request.GetScopes());
                principal.SetResources(Audience);
                foreach (var claim in principal.Claims)
                {
                    claim.SetDestinations(Destinations.AccessToken, Destinations.IdentityToken);
                }

                context.SignIn(principal);
                return default;
            }));
            options.AddEventHandler<OpenIddictServerEvents.ValidateEndSessionRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                provider!.EndSessionRequests.Enqueue(context.Request);
                if (context.PostLogoutRedirectUri is { } back && back != $"{provider.AppOrigin}/authentication/logout-callback")
                {
                    context.Reject(Errors.InvalidRequest, "post_logout_redirect_uri is not registered for this client");
                }

                return default;
            }));
            options.AddEventHandler<OpenIddictServerEvents.HandleEndSessionRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                context.SignOut();
                return default;
            }));
        });

        var app = builder.Build();
        app.UseCors(cors => cors.SetIsOriginAllowed(origin => origin == provider!.AppOrigin).AllowAnyHeader().AllowAnyMethod());
        app.UseAuthentication();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        provider = new TestIdentityProvider(app, $"{address}/");
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
