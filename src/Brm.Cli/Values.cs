using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Brm.V1;
using Google.Protobuf.WellKnownTypes;

namespace Brm.Cli;

/// <summary>Reads what people type: enum names like "face-to-face", dates, times; and derives stable request ids.</summary>
public static class Values
{
    /// <summary>"face-to-face", "FACE_TO_FACE", "faceToFace" all name Channel.FaceToFace; "unspecified" names nothing.</summary>
    public static T Enum<T>(string field, string value) where T : struct, System.Enum
    {
        var key = value.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        var prefix = typeof(T).Name;
        if (key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            key = key[prefix.Length..];
        }

        if (!key.Equals("unspecified", StringComparison.OrdinalIgnoreCase) && !int.TryParse(key, out _)
            && System.Enum.TryParse<T>(key, ignoreCase: true, out var parsed))
        {
            return parsed;
        }

        throw CliException.Usage($"{field}: '{value}' is not one of {Names<T>()}");
    }

    public static string Names<T>() where T : struct, System.Enum =>
        string.Join(", ", System.Enum.GetValues<T>().Skip(1).Select(v => Output.Enum(v)));

    /// <summary>A day, yyyy-MM-dd.</summary>
    public static Date Day(string field, string value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? Day(day)
            : throw CliException.Usage($"{field}: '{value}' is not a date (yyyy-MM-dd)");

    public static Date Day(DateOnly day) => new() { Year = day.Year, Month = day.Month, Day = day.Day };

    /// <summary>A month, yyyy-MM: its first and last day, the last no later than today.</summary>
    public static (Date First, Date Last) Month(string field, string value)
    {
        if (!DateOnly.TryParseExact(value + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
        {
            throw CliException.Usage($"{field}: '{value}' is not a month (yyyy-MM)");
        }

        var last = first.AddMonths(1).AddDays(-1);
        var today = DateOnly.FromDateTime(DateTime.Now);
        return (Day(first), Day(last < today ? last : today));
    }

    /// <summary>A moment, e.g. 2026-05-04T09:30 (local time unless an offset is given) or "now".</summary>
    public static Timestamp Time(string field, string value)
    {
        if (value.Equals("now", StringComparison.OrdinalIgnoreCase))
        {
            return Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var at)
            ? Timestamp.FromDateTimeOffset(at)
            : throw CliException.Usage($"{field}: '{value}' is not a time (e.g. 2026-05-04T09:30 or 2026-05-04T09:30+02:00)");
    }

    /// <summary>A UUID (version 5 style, SHA-1 of the parts) that is the same for the same content: a rerun is a retry.</summary>
    public static string StableId(params string[] parts)
    {
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes("brm-cli\n" + string.Join('\u001f', parts)));
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
