using Brm.Api.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Brm.Api.Security;

/// <summary>The service's own authentication settings (section <c>Auth</c>); token validation itself is configured the ASP.NET way.</summary>
public sealed class AuthSettings
{
    public const string Section = "Auth";

    /// <summary>Accept development tokens whatever the environment and database (never on by default).</summary>
    public bool AllowDevTokens { get; set; }

    /// <summary>The claim holding the caller's name, when the issuer does not use the standard one (e.g. <c>preferred_username</c>).</summary>
    public string? NameClaimType { get; set; }

    /// <summary>The claim holding the caller's roles, when the issuer does not use the standard one (e.g. <c>roles</c>).</summary>
    public string? RoleClaimType { get; set; }
}

/// <summary>
/// Bearer-token authentication, in one place. Validation settings come from standard ASP.NET configuration,
/// <c>Authentication:Schemes:Bearer</c>: <c>ValidIssuer</c>, <c>ValidAudiences</c> and <c>SigningKeys</c> (the shape
/// <c>dotnet user-jwts</c> writes), or an OIDC <c>Authority</c> plus <c>ValidAudiences</c>. On top of it: issuer,
/// audience, lifetime and signature are always checked, and development tokens (<see cref="DevTokens"/>) are
/// accepted only as <see cref="AcceptsDevTokens"/> says.
/// </summary>
public static class Authentication
{
    /// <summary>
    /// Development tokens are accepted when <c>Auth:AllowDevTokens</c> is true, or in the Development environment
    /// (as <c>dotnet run</c> sets it, from launchSettings.json) in the local-PostgreSQL mode. A production host whose
    /// connection string is missing or misspelt runs in the Production environment, so it refuses them.
    /// </summary>
    public static bool AcceptsDevTokens(IHostEnvironment environment, IConfiguration configuration, AuthSettings settings) =>
        settings.AllowDevTokens || (environment.IsDevelopment() && !BrmHost.UsesConnectionString(configuration));

    /// <summary>The token claim the caller's name is read from: <c>Auth:NameClaimType</c>, else <c>unique_name</c>.</summary>
    public static string NameClaim(AuthSettings settings) => settings.NameClaimType ?? JwtRegisteredClaimNames.UniqueName;

    /// <summary>
    /// The token claims the caller's roles are read from: <c>Auth:RoleClaimType</c>, else the two the handler maps to
    /// the standard role claim, <c>role</c> and <c>roles</c>.
    /// </summary>
    public static IReadOnlyList<string> RoleClaims(AuthSettings settings) => settings.RoleClaimType is { } claim ? [claim] : ["role", "roles"];

    /// <summary>Wires token validation; returns false, having said why in one line, when the development key may not be used.</summary>
    public static bool AddBrmAuthentication(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(AuthSettings.Section).Get<AuthSettings>() ?? new AuthSettings();
        builder.Services.Configure<AuthSettings>(builder.Configuration.GetSection(AuthSettings.Section));
        if (AcceptsDevTokens(builder.Environment, builder.Configuration, settings))
        {
            try
            {
                builder.Services.AddSingleton(new DevTokens(BrmHost.DataDirectory(builder.Configuration)));
            }
            catch (DevKeyException e)
            {
                Console.Error.WriteLine(e.Message);
                return false;
            }
        }

        builder.Services.AddSingleton<CallerAuthentication>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .PostConfigure<IServiceProvider>((options, services) =>
            {
                var validation = options.TokenValidationParameters;
                validation.ValidateIssuer = true;
                validation.ValidateAudience = true;
                validation.ValidateLifetime = true;
                validation.RequireExpirationTime = true;
                validation.RequireSignedTokens = true;
                validation.ValidateIssuerSigningKey = true;
                if (settings.NameClaimType is not null || settings.RoleClaimType is not null)
                {
                    // A named claim is the token's own name: the handler must not rename it first (it would turn
                    // "roles" or "unique_name" into a long ClaimTypes name that the named one no longer matches).
                    options.MapInboundClaims = false;
                    validation.NameClaimType = NameClaim(settings);
                    validation.RoleClaimType = settings.RoleClaimType ?? "role";
                }

                if (services.GetService<DevTokens>() is { } dev)
                {
                    validation.ValidIssuers = [.. validation.ValidIssuers ?? [], DevTokens.Issuer];
                    validation.ValidAudiences = [.. validation.ValidAudiences ?? [], DevTokens.Audience];
                    validation.IssuerSigningKeys = [.. validation.IssuerSigningKeys ?? [], dev.SigningKey];
                }
            });
        builder.Services.AddHostedService<AuthenticationReport>();
        return true;
    }
}

/// <summary>Says at start-up which tokens the service accepts; warns when it accepts none, and when it accepts development tokens.</summary>
internal sealed class AuthenticationReport(
    IOptionsMonitor<JwtBearerOptions> bearer, ILogger<AuthenticationReport> logger, IServiceProvider services, IHostEnvironment environment,
    IOptions<AuthSettings> settings) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = bearer.Get(JwtBearerDefaults.AuthenticationScheme);
        var validation = options.TokenValidationParameters;
        var configured = !string.IsNullOrEmpty(options.Authority) || !string.IsNullOrEmpty(options.MetadataAddress)
            || validation.IssuerSigningKeys?.Any() == true;
        if (!configured)
        {
            logger.LogWarning(
                "No bearer-token issuer is configured, so every brm.v1 call will be UNAUTHENTICATED: set Authentication:Schemes:Bearer "
                + "(ValidIssuer, ValidAudiences, SigningKeys, or Authority) or, for development, Auth:AllowDevTokens=true");
            return Task.CompletedTask;
        }

        logger.LogInformation("Accepting bearer tokens from {Issuers}{Authority}", string.Join(", ", validation.ValidIssuers ?? []),
            string.IsNullOrEmpty(options.Authority) ? "" : $" and {options.Authority}");
        if (services.GetService<DevTokens>() is { } dev)
        {
            logger.LogWarning(
                "Development tokens are accepted (environment {Environment}, Auth:AllowDevTokens={AllowDevTokens}): whoever reads {KeyFile} can call as "
                + "any role; `dotnet run --project src/Brm.Api -- dev-token --role brm --name alice` prints one. Never on a production host",
                environment.EnvironmentName, settings.Value.AllowDevTokens, dev.KeyFile);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
