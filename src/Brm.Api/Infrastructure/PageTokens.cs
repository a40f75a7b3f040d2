using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;

namespace Brm.Api.Infrastructure;

/// <summary>A position in a list ordered by a key (text, or a time: see <see cref="Of"/>), then id.</summary>
public sealed record PageCursor(string Key, Guid Id)
{
    /// <summary>A position in a list ordered by a time, then id.</summary>
    public static PageCursor Of(DateTimeOffset key, Guid id) => new(key.ToString("O", CultureInfo.InvariantCulture), id);

    /// <summary>The time of a cursor made by <see cref="Of"/>; anything else is INVALID_ARGUMENT on page_token.</summary>
    public DateTimeOffset TimeKey() =>
        DateTimeOffset.TryParseExact(Key, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var key)
            ? key
            : throw PageTokens.Invalid("page_token is not a token this service issued");
}

/// <summary>
/// AIP-158 paging: page sizes and opaque page tokens. A token carries the last item's position and a
/// fingerprint of the filters it was issued for, so it cannot be replayed against other filters.
/// </summary>
public static class PageTokens
{
    public const int DefaultSize = 50;
    public const int MaxSize = 500;

    public static int Size(int requested) => requested == 0 ? DefaultSize : requested;

    public static IRuleBuilderOptions<T, int> PageSize<T>(this IRuleBuilder<T, int> rule) =>
        rule.InclusiveBetween(0, MaxSize).WithMessage($"{{PropertyName}} must be between 0 and {MaxSize} (0 means {DefaultSize})");

    public static string Encode(PageCursor cursor, string filters) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Token(cursor.Key, cursor.Id, Fingerprint(filters))));

    public static PageCursor? Decode(string token, string filters)
    {
        if (token.Length == 0)
        {
            return null;
        }

        Token? decoded;
        try
        {
            decoded = JsonSerializer.Deserialize<Token>(Base64Url.DecodeFromChars(token));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw Invalid("page_token is not a token this service issued");
        }

        return decoded is null ? throw Invalid("page_token is not a token this service issued")
            : decoded.F != Fingerprint(filters) ? throw Invalid("page_token was issued for other filters; keep the filters of the first page")
            : new PageCursor(decoded.K, decoded.I);
    }

    internal static ValidationException Invalid(string message) => new([new ValidationFailure("page_token", message)]);

    private static string Fingerprint(string filters) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(filters)))[..16];

    private sealed record Token(string K, Guid I, string F);
}
