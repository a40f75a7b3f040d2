using System.Security.Claims;
using System.Security.Cryptography;
using Brm.Api.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Brm.Api.Security;

/// <summary>
/// Development tokens: HMAC-signed with a random key kept in the data folder (<c>dev-signing-key</c>, mode 0600),
/// created on first use. The service accepts them in the local-PostgreSQL mode, and with a connection string only
/// when <c>Auth:AllowDevTokens</c> is true. <c>dotnet run --project src/Brm.Api -- dev-token</c> prints one.
/// </summary>
public sealed class DevTokens(string dataDirectory)
{
    public const string Issuer = "brm-dev";
    public const string Audience = "brm";
    public const string KeyFileName = "dev-signing-key";

    private readonly Lazy<SymmetricSecurityKey> _key = new(() => LoadOrCreateKey(Path.Combine(dataDirectory, KeyFileName)));

    /// <summary>The file holding the key.</summary>
    public string KeyFile => Path.Combine(dataDirectory, KeyFileName);

    public SecurityKey SigningKey => _key.Value;

    /// <summary>A token for <paramref name="name"/> in <paramref name="role"/>, with the claims <c>dotnet user-jwts</c> writes.</summary>
    public string Issue(string name, Role role, TimeSpan lifetime)
    {
        var now = DateTime.UtcNow; // wall time, as token validation uses
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.UniqueName, name),
                new Claim(JwtRegisteredClaimNames.Sub, name),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")[..8]),
                new Claim("role", Caller.ClaimValue(role)),
            ]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(_key.Value, SecurityAlgorithms.HmacSha256),
        });
    }

    private static SymmetricSecurityKey LoadOrCreateKey(string path)
    {
        if (!File.Exists(path))
        {
            LocalPostgres.CreatePrivateDirectory(Path.GetDirectoryName(path)!);
            var draft = $"{path}.{Guid.NewGuid():N}";
            LocalPostgres.WritePrivateFile(draft, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            try
            {
                File.Move(draft, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(draft); // another process created it first: theirs is the key
            }
        }

        return new SymmetricSecurityKey(Convert.FromBase64String(File.ReadAllText(path).Trim())) { KeyId = Issuer };
    }
}
