using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Brm.Api.Feedback.Links;

/// <summary>What a personal link says: whose answer to which request, until when.</summary>
public sealed record FeedbackLink(Guid FeedbackRequestId, Guid StakeholderId, DateTimeOffset ExpiresAt);

/// <summary>
/// The token of a personal feedback link: the request's id, the stakeholder's id and the expiry (41 bytes), sealed
/// (encrypted and authenticated) by ASP.NET Core Data Protection under its own purpose, with the key ring in the service's
/// database (<see cref="Infrastructure.PageTokenKeys"/>): opaque (no personal data in the URL), tamper-evident, verified
/// by any node. Data Protection makes a new key every 90 days and keeps verifying with retired keys, so links outlive a
/// rotation; revoking a key in the ring (or the request: <see cref="Domain.Feedback.FeedbackRequestRevoked"/>) stops them.
/// </summary>
public sealed class FeedbackLinkTokens(IDataProtectionProvider protection)
{
    /// <summary>The format's version: a later format takes a new purpose.</summary>
    public const string Purpose = "brm.feedback-link.v1";

    private const byte Version = 1;

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    public string Write(FeedbackLink link)
    {
        var plain = new byte[41];
        plain[0] = Version;
        link.FeedbackRequestId.TryWriteBytes(plain.AsSpan(1), bigEndian: true, out _);
        link.StakeholderId.TryWriteBytes(plain.AsSpan(17), bigEndian: true, out _);
        BinaryPrimitives.WriteInt64BigEndian(plain.AsSpan(33), link.ExpiresAt.ToUnixTimeSeconds());
        return Base64Url.EncodeToString(_protector.Protect(plain));
    }

    /// <summary>The link in <paramref name="token"/>; null when this service did not issue it (altered, truncated, or sealed with a key it does not hold).</summary>
    public FeedbackLink? Read(string token)
    {
        if (token.Length is 0 or > 512)
        {
            return null;
        }

        try
        {
            var plain = _protector.Unprotect(Base64Url.DecodeFromChars(token));
            return plain is [Version, ..] && plain.Length == 41
                ? new FeedbackLink(
                    new Guid(plain.AsSpan(1, 16), bigEndian: true), new Guid(plain.AsSpan(17, 16), bigEndian: true),
                    DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(plain.AsSpan(33))))
                : null;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }
    }
}
