using System.Net;
using System.Text.Json.Serialization;
using Brm.Api.Feedback.Links;
using Brm.Api.Security;

namespace Brm.Api.Hosting;

/// <summary>
/// The BRM's web app (src/Brm.Web, Blazor WebAssembly; docs/web.md): its files at <c>/</c>, gRPC-Web for its calls
/// (the same services, interceptors, tokens and errors as gRPC; no second API), and the two plain routes sign-in needs:
/// <c>GET /web/config.json</c> (how to sign in here: at the issuer of <see cref="WebOidc"/>, and/or development
/// sign-in; docs/web.md#sign-in) and, only where development tokens are accepted and only from this machine,
/// <c>POST /web/dev-sign-in</c>.
/// </summary>
public static class WebApp
{
    /// <summary>
    /// What the app's own pages may load and reach: its files, its WebAssembly, its calls to this origin and, with sign-in
    /// at an issuer, the issuer's origins (discovery, token endpoint, keys, user info).
    /// </summary>
    public static string ContentSecurityPolicy(WebOidc? oidc) =>
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
        + $"connect-src {string.Join(' ', ["'self'", .. oidc?.Origins ?? []])}; "
        + "font-src 'self'; manifest-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>How long a development sign-in lasts.</summary>
    public static readonly TimeSpan DevSignInLifetime = TimeSpan.FromHours(12);

    private static readonly string[] ApiPrefixes = ["/v1", "/brm.v1.", "/grpc.", "/openapi", "/web/", "/feedback", "/_framework"];

    /// <summary>
    /// The app's files come from the build output (static web assets) in every environment, not only Development; its
    /// sign-in at an issuer comes from <c>Web:Oidc</c>. Returns false, having said why in one line, when that cannot work.
    /// </summary>
    public static bool AddBrmWebApp(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseStaticWebAssets();

        // The build's files are served as the manifest describes them, as published files are: the precompressed copy and
        // each fingerprinted name cached for good. ASP.NET's default for a build (dotnet run) re-reads each file and
        // compresses it again per request at its fastest level (26 MiB over the wire on a cold load, not 11), so that
        // files edited after the build show at once; the app is rebuilt to change anyway.
        builder.Configuration["ReloadStaticAssetsAtRuntime"] ??= "false";
        var (oidc, error) = WebOidc.From(builder.Configuration);
        if (error is not null)
        {
            Console.Error.WriteLine(error);
            return false;
        }

        builder.Services.AddSingleton(new WebSignIn(oidc));
        return true;
    }

    /// <summary>gRPC-Web on every service; call it before anything that reads a gRPC request.</summary>
    public static void UseBrmGrpcWeb(this WebApplication app)
    {
        app.UseRouting();
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
    }

    public static void MapBrmWebApp(this WebApplication app)
    {
        var oidc = app.Services.GetRequiredService<WebSignIn>().Oidc;
        var policy = ContentSecurityPolicy(oidc);
        var index = app.Environment.WebRootFileProvider.GetFileInfo("index.html");
        app.Use(async (context, next) =>
        {
            if (IsAppPage(context.Request.Path) || context.Request.Path.StartsWithSegments("/_framework"))
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
            }

            await next(context);
        });
        // The app's files as the build's manifest lists them, each with the precompressed copy the client accepts; published,
        // each fingerprinted name (every assembly, the runtime's wasm) is cached for good (immutable), so a second load
        // revalidates only the few names without a fingerprint.
        app.MapStaticAssets();

        var devSignIn = app.Services.GetService<DevTokens>() is not null;
        var config = new WebConfig(devSignIn, oidc is null ? null : new WebConfig.OidcClient(
            oidc.Authority, oidc.ClientId, oidc.Scope, "code", oidc.DisplayName, oidc.NameClaim, oidc.RoleClaims));
        app.MapGet("/web/config.json", () => Results.Json(config));
        app.MapPost("/web/dev-sign-in", (DevSignIn request, HttpContext context, IServiceProvider services) =>
            services.GetService<DevTokens>() is { } tokens && IsLocal(context.Connection.RemoteIpAddress)
                ? SignIn(tokens, request)
                : Results.NotFound());

        // Every other GET that is not the API's, nor a file, is one of the app's screens (/agenda, /departments/finance, ...).
        // The API's unknown paths stay 404.
        app.MapFallback("{*path:nonfile}", async context =>
        {
            if (!IsAppPage(context.Request.Path) || !index.Exists)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.CacheControl = "no-cache";
            await context.Response.SendFileAsync(index, context.RequestAborted);
        }).WithMetadata(new HttpMethodMetadata(["GET", "HEAD"]));
    }

    /// <summary>A screen of the app: a path that is neither the API's nor the feedback form's nor a calendar feed's.</summary>
    public static bool IsAppPage(PathString path) =>
        !FeedbackForm.IsFormPath(path) && !Calendar.CalendarFeedEndpoint.IsFeedPath(path) && !ApiPrefixes.Any(prefix => path.Value?.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) == true);

    public sealed record DevSignIn(string? Name, string? Role);

    /// <summary>
    /// How to sign in here, as the app reads it before it starts: development sign-in, and the issuer's sign-in (absent
    /// when none is configured).
    /// </summary>
    public sealed record WebConfig(bool DevSignIn, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] WebConfig.OidcClient? Oidc)
    {
        public sealed record OidcClient(string Authority, string ClientId, string Scope, string ResponseType, string DisplayName, string NameClaim,
            IReadOnlyList<string> RoleClaims);
    }

    /// <summary>The web app's sign-in at an issuer, as configured (null: none).</summary>
    public sealed record WebSignIn(WebOidc? Oidc);

    private static IResult SignIn(DevTokens tokens, DevSignIn request)
    {
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 200 || name.Any(char.IsControl))
        {
            return Results.BadRequest(new { message = "Your name is required: 1-200 characters, no control characters.", field = "name" });
        }

        if (!Enum.TryParse<Role>(request.Role, ignoreCase: true, out var role) || !Enum.IsDefined(role) || int.TryParse(request.Role, out _))
        {
            return Results.BadRequest(new { message = "The role is one of admin, brm or reporter.", field = "role" });
        }

        var expiresAt = DateTimeOffset.UtcNow + DevSignInLifetime;
        return Results.Json(new { token = tokens.Issue(name, role, DevSignInLifetime), name, role = Caller.ClaimValue(role), expiresAt });
    }

    private static bool IsLocal(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);
}
