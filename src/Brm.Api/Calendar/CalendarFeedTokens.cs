using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Brm.Api.Calendar;

/// <summary>What a calendar feed's address says: whose feed (its stream id), and of which generation.</summary>
public sealed record CalendarFeedToken(Guid FeedId, long Generation);

/// <summary>
/// The token of a calendar feed's address: the feed's id and the generation (25 bytes), sealed (encrypted and
/// authenticated) by ASP.NET Core Data Protection under its own purpose, with the key ring in the service's database, as
/// feedback links are (<see cref="Feedback.Links.FeedbackLinkTokens"/>): opaque (no name in the URL), tamper-evident,
/// verified by any node. It does not expire: it works while its generation is the feed's active one
/// (<see cref="Domain.Calendar.CalendarFeed.Opens"/>), so issuing a new address or revoking stops it, durably.
/// </summary>
public sealed class CalendarFeedTokens(IDataProtectionProvider protection)
{
    /// <summary>The format's version: a later format takes a new purpose.</summary>
    public const string Purpose = "brm.calendar-feed.v1";

    private const byte Version = 1;

    private const int Length = 25;

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    public string Write(CalendarFeedToken token)
    {
        var plain = new byte[Length];
        plain[0] = Version;
        token.FeedId.TryWriteBytes(plain.AsSpan(1), bigEndian: true, out _);
        BinaryPrimitives.WriteInt64BigEndian(plain.AsSpan(17), token.Generation);
        return Base64Url.EncodeToString(_protector.Protect(plain));
    }

    /// <summary>The token's feed and generation; null when this service did not issue it (altered, truncated, or sealed with a key it does not hold).</summary>
    public CalendarFeedToken? Read(string token)
    {
        if (token.Length is 0 or > 512)
        {
            return null;
        }

        try
        {
            var plain = _protector.Unprotect(Base64Url.DecodeFromChars(token));
            return plain is [Version, ..] && plain.Length == Length
                ? new CalendarFeedToken(new Guid(plain.AsSpan(1, 16), bigEndian: true), BinaryPrimitives.ReadInt64BigEndian(plain.AsSpan(17)))
                : null;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }
    }
}
