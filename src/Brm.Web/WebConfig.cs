using System.Text.Json;

namespace Brm.Web;

/// <summary>
/// How to sign in to the service that served the app (<c>GET /web/config.json</c>, read before the app starts):
/// development sign-in, and the issuer's sign-in when one is configured.
/// </summary>
public sealed record WebConfig(bool DevSignIn, OidcClient? Oidc)
{
    public static readonly WebConfig None = new(false, null);
}

/// <summary>
/// The app as a public client of the issuer: the code flow with PKCE, and the token claims the service reads the
/// caller's name and roles from.
/// </summary>
public sealed record OidcClient(string Authority, string ClientId, string Scope, string ResponseType, string DisplayName, string NameClaim,
    IReadOnlyList<string> RoleClaims)
{
    /// <summary>
    /// The caller an access token names, read from the claims the service reads (the token is checked by the service,
    /// not here: this only shows what the service will act on); null, with the reason, when it names nobody or no role.
    /// </summary>
    public (string? Name, Role? Role, string? Problem) Caller(string accessToken)
    {
        JsonElement claims;
        try
        {
            var payload = accessToken.Split('.')[1].Replace('-', '+').Replace('_', '/');
            claims = JsonDocument.Parse(Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '='))).RootElement;
        }
        catch (Exception e) when (e is FormatException or JsonException or IndexOutOfRangeException)
        {
            return (null, null, $"The access token from {DisplayName} is not a JWT, so this service cannot accept it: ask your administrator.");
        }

        var name = claims.TryGetProperty(NameClaim, out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        if (string.IsNullOrWhiteSpace(name))
        {
            return (null, null, $"Your sign-in at {DisplayName} does not say who you are (no '{NameClaim}' claim): ask your administrator.");
        }

        var roles = RoleClaims.SelectMany(claim => claims.TryGetProperty(claim, out var value) ? Values(value) : [])
            .Select(value => Enum.GetValues<Role>().Where(r => r.ToString().ToLowerInvariant() == value).Select(r => (Role?)r).FirstOrDefault())
            .Max();
        return roles is { } role
            ? (name, role, null)
            : (name, null, $"Your sign-in at {DisplayName} gives you none of the roles admin, brm or reporter: ask your administrator for one.");
    }

    private static IEnumerable<string?> Values(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()],
        JsonValueKind.Array => value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()),
        _ => [],
    };
}
