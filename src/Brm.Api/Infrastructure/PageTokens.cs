using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using FluentValidation;
using FluentValidation.Results;
using Grpc.Core;
using Microsoft.AspNetCore.DataProtection;

namespace Brm.Api.Infrastructure;

/// <summary>
/// A position in a list ordered by a key, then id: the last item of a page. The key is one of the types a
/// <see cref="PageCursors"/> token can carry: <see cref="long"/>, <see cref="DateOnly"/>, <see cref="DateTimeOffset"/>
/// (an instant, read back in UTC) or <see cref="string"/>.
/// </summary>
public readonly record struct PageCursor<TKey>(TKey Key, Guid Id)
    where TKey : notnull;

/// <summary>AIP-158 paging: page sizes, and the error of a page token this service did not issue for the request.</summary>
public static class PageTokens
{
    public const int DefaultSize = 50;
    public const int MaxSize = 500;

    public static int Size(int requested) => requested == 0 ? DefaultSize : requested;

    public static IRuleBuilderOptions<T, int> PageSize<T>(this IRuleBuilder<T, int> rule) =>
        rule.InclusiveBetween(0, MaxSize).WithMessage($"{{PropertyName}} must be between 0 and {MaxSize} (0 means {DefaultSize})");

    internal static ValidationException Invalid() => new([new ValidationFailure("page_token",
        "page_token is not a token this service issued for this RPC and these filters: send the next_page_token of the previous page, with the same filters")]);
}

/// <summary>
/// Opaque, tamper-evident page tokens: a <see cref="PageCursor{TKey}"/> in a few bytes (id, then key), sealed
/// (encrypted and authenticated) by ASP.NET Core Data Protection under the purpose <see cref="Purpose"/>, the RPC
/// and the request's filters, with keys from the service's database (<see cref="PageTokenKeys"/>), so any node
/// verifies a token another issued. A token that does not verify (altered, of another format, issued for another RPC
/// or other filters, or under a key the database does not hold) or whose contents are not that RPC's cursor is
/// INVALID_ARGUMENT on <c>page_token</c>.
/// </summary>
public sealed class PageCursors(IDataProtectionProvider protection)
{
    /// <summary>The format's version: a later format takes a new purpose, and tokens of this one stop verifying.</summary>
    public const string Purpose = "brm.page-token.v1";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    /// <summary>The token of <paramref name="cursor"/>, for the RPC of <paramref name="context"/> and <paramref name="filters"/>.</summary>
    public string Write<TKey>(PageCursor<TKey> cursor, string filters, ServerCallContext context)
        where TKey : notnull
    {
        var key = KeyBytes(cursor.Key);
        var plain = new byte[16 + key.Length];
        cursor.Id.TryWriteBytes(plain, bigEndian: true, out _);
        key.CopyTo(plain, 16);
        return Base64Url.EncodeToString(For(filters, context).Protect(plain));
    }

    /// <summary>
    /// The cursor in <paramref name="token"/>, or null for an empty token (the first page); INVALID_ARGUMENT on
    /// <c>page_token</c> unless this service issued it for the RPC of <paramref name="context"/> and <paramref name="filters"/>.
    /// </summary>
    public PageCursor<TKey>? Read<TKey>(string token, string filters, ServerCallContext context)
        where TKey : notnull
    {
        if (token.Length == 0)
        {
            return null;
        }

        byte[] plain;
        try
        {
            plain = For(filters, context).Unprotect(Base64Url.DecodeFromChars(token));
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            throw PageTokens.Invalid();
        }

        return plain.Length >= 16 && TryReadKey<TKey>(plain.AsSpan(16)) is { } key
            ? new PageCursor<TKey>((TKey)key, new Guid(plain.AsSpan(0, 16), bigEndian: true))
            : throw PageTokens.Invalid();
    }

    private IDataProtector For(string filters, ServerCallContext context) => _protector.CreateProtector(context.Method, filters);

    private static byte[] KeyBytes<TKey>(TKey key)
        where TKey : notnull => key switch
    {
        long position => BigEndian(position),
        DateOnly day => BigEndian(day.DayNumber),
        DateTimeOffset time => BigEndian(time.UtcTicks),
        string text => Encoding.UTF8.GetBytes(text), // never throws: a lone surrogate becomes U+FFFD
        _ => throw new NotSupportedException($"a page token cannot carry a key of type {typeof(TKey).Name}"),
    };

    /// <summary>The key <paramref name="bytes"/> hold as a <typeparamref name="TKey"/>, or null when they are not one.</summary>
    private static object? TryReadKey<TKey>(ReadOnlySpan<byte> bytes)
    {
        if (typeof(TKey) == typeof(long))
        {
            return bytes.Length == 8 ? BinaryPrimitives.ReadInt64BigEndian(bytes) : null;
        }

        if (typeof(TKey) == typeof(DateOnly))
        {
            return bytes.Length == 4 && BinaryPrimitives.ReadInt32BigEndian(bytes) is var day
                && day >= DateOnly.MinValue.DayNumber && day <= DateOnly.MaxValue.DayNumber
                ? DateOnly.FromDayNumber(day) : null;
        }

        if (typeof(TKey) == typeof(DateTimeOffset))
        {
            return bytes.Length == 8 && BinaryPrimitives.ReadInt64BigEndian(bytes) is var ticks
                && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
                ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
        }

        if (typeof(TKey) == typeof(string))
        {
            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }

        return null;
    }

    private static byte[] BigEndian(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] BigEndian(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }
}
