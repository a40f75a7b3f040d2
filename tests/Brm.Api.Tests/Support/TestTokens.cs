using System.Security.Claims;
using System.Security.Cryptography;
using Brm.Api.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Brm.Api.Tests.Support;

/// <summary>
/// The tests' token issuer, configured the way <c>dotnet user-jwts</c> configures a service
/// (<c>Authentication:Schemes:Bearer</c>: ValidIssuer, ValidAudiences, SigningKeys), and the forgeries to try on it.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "brm-tests";
    public const string Audience = "brm";

    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    // The configuration a service needs to accept the tokens of For.
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Authentication:Schemes:Bearer:ValidIssuer"] = Issuer,
        ["Authentication:Schemes:Bearer:ValidAudiences:0"] = Audience,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Id"] = "tests",
        ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = Issuer,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(Key),
        ["Authentication:Schemes:Bearer:SigningKeys:0:Length"] = "32",
    };

    /// <summary>Makes the service under test accept the tokens of <see cref="For(string, Role?)"/>.</summary>
    public static IWebHostBuilder AcceptTestTokens(this IWebHostBuilder host)
    {
        foreach (var (key, value) in Settings)
        {
            host.UseSetting(key, value);
        }

        return host;
    }

    /// <summary>
    /// Budgets no test reaches: the load and hostile-input tests call as one admin at full speed, which is not a team of
    /// BRMs. <c>RateLimitTests</c> sets small budgets of its own (a fixture's settings come after these).
    /// </summary>
    public static IWebHostBuilder WithoutRateLimits(this IWebHostBuilder host)
    {
        foreach (var budget in (string[])["CommandsPerMinute", "ReadsPerMinute", "ReportsPerMinute", "FormRequestsPerMinute", "FormAnswersPerLinkPerMinute", "CalendarFetchesPerFeedPerMinute"])
        {
            host.UseSetting($"Limits:{budget}", "100000000");
        }

        return host;
    }

    /// <summary>A valid token for <paramref name="name"/> in <paramref name="role"/> (no role claim when null).</summary>
    public static string For(string name, Role? role) => Create(name, role, DateTime.UtcNow.AddHours(1), Credentials(Key));

    /// <summary>A valid token carrying the name and role in the claims a service configured with Auth:NameClaimType and RoleClaimType reads.</summary>
    public static string For(string name, Role role, string nameClaim, string roleClaim) =>
        Create(name, role, DateTime.UtcNow.AddHours(1), Credentials(Key), nameClaim, roleClaim);

    /// <summary>A token that expired an hour ago (well past the five minutes of clock skew allowed).</summary>
    public static string Expired(string name, Role role) => Create(name, role, DateTime.UtcNow.AddHours(-1), Credentials(Key));

    /// <summary>A token claiming the right issuer, signed with some other key.</summary>
    public static string WrongSignature(string name, Role role) =>
        Create(name, role, DateTime.UtcNow.AddHours(1), Credentials(RandomNumberGenerator.GetBytes(32)));

    /// <summary>An unsigned token: header <c>{"alg":"none"}</c>, empty signature.</summary>
    public static string Unsigned(string name, Role role) => Create(name, role, DateTime.UtcNow.AddHours(1), credentials: null);

    private static SigningCredentials Credentials(byte[] key) => new(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256);

    private static string Create(string name, Role? role, DateTime expires, SigningCredentials? credentials,
        string nameClaim = JwtRegisteredClaimNames.UniqueName, string roleClaim = "role")
    {
        var claims = new List<Claim> { new(nameClaim, name), new(JwtRegisteredClaimNames.Sub, name) };
        if (role is { } r)
        {
            claims.Add(new Claim(roleClaim, Caller.ClaimValue(r)));
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = expires.AddHours(-2),
            NotBefore = expires.AddHours(-2),
            Expires = expires,
            SigningCredentials = credentials,
        });
    }
}

/// <summary>Adds <c>authorization: Bearer &lt;token&gt;</c> to every call of a channel.</summary>
public sealed class BearerHandler(string token, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return base.SendAsync(request, cancellationToken);
    }
}
