using System.Security.Claims;
using System.Security.Cryptography;
using Brm.Api.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Brm.Api.Security;

/// <summary>
/// Development tokens: HMAC-signed with a random key kept in the data folder (<c>dev-signing-key</c>, mode 0600),
/// created on first use. A key file that another user owns, or that group or others may read, is refused
/// (<see cref="DevKeyException"/>): whoever reads it can sign a token for any role. When the service accepts them
/// is decided in <see cref="Authentication"/>. <c>dotnet run --project src/Brm.Api -- dev-token</c> prints one.
/// </summary>
public sealed class DevTokens
{
    public const string Issuer = "brm-dev";
    public const string Audience = "brm";
    public const string KeyFileName = "dev-signing-key";

    private readonly SymmetricSecurityKey _key;

    /// <summary>Loads the key of <paramref name="dataDirectory"/>, creating it if there is none.</summary>
    /// <exception cref="DevKeyException">The key file is not private to this process's user.</exception>
    public DevTokens(string dataDirectory)
    {
        KeyFile = Path.Combine(dataDirectory, KeyFileName);
        _key = LoadOrCreateKey(KeyFile);
    }

    /// <summary>The file holding the key.</summary>
    public string KeyFile { get; }

    public SecurityKey SigningKey => _key;

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
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
    }

    private static SymmetricSecurityKey LoadOrCreateKey(string path)
    {
        if (!File.Exists(path))
        {
            PrivateFiles.CreateDirectory(Path.GetDirectoryName(path)!);
            var draft = $"{path}.{Guid.NewGuid():N}";
            PrivateFiles.Write(draft, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            try
            {
                File.Move(draft, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(draft); // another process created it first: theirs is the key
            }
        }

        if (PrivateFiles.WhyNotPrivate(path) is { } problem)
        {
            throw new DevKeyException($"The development signing key is refused: {problem}.");
        }

        return new SymmetricSecurityKey(Convert.FromBase64String(File.ReadAllText(path).Trim())) { KeyId = Issuer };
    }
}

/// <summary>The development signing key may not be used; the message says why and what to do.</summary>
public sealed class DevKeyException(string message) : Exception(message);
