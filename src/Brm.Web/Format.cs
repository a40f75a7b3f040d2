using Brm.V1;
using Google.Protobuf.WellKnownTypes;

namespace Brm.Web;

/// <summary>How the screens write times, days and the API's enums for people.</summary>
public static class Format
{
    public static string When(Timestamp? at) => at is null ? "" : at.ToDateTimeOffset().ToString("d MMM yyyy HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    public static string Day(Timestamp? at) => at is null ? "" : at.ToDateTimeOffset().ToString("ddd d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture);

    public static string Day(Date? date) => date is null ? "" : new DateOnly(date.Year, date.Month, date.Day).ToString("ddd d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture);

    public static string Ago(Timestamp? at)
    {
        if (at is null)
        {
            return "never";
        }

        var days = (int)(DateTimeOffset.UtcNow - at.ToDateTimeOffset()).TotalDays;
        return days switch
        {
            <= 0 => "today",
            1 => "yesterday",
            _ => $"{days} days ago",
        };
    }

    /// <summary>An enum value as its words: AGENDA_ENTRY_KIND_UPDATE_DELIVERY is "update delivery".</summary>
    public static string Words<T>(T value) where T : struct, System.Enum =>
        System.Text.RegularExpressions.Regex.Replace(value.ToString(), "(?<=[a-z])(?=[A-Z])", " ").ToLowerInvariant();

    public static string Kind(AgendaEntryKind kind) => kind switch
    {
        AgendaEntryKind.UpdateDelivery => "update",
        _ => Words(kind),
    };
}
