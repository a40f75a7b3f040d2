using Brm.V1;
using Google.Protobuf.WellKnownTypes;

namespace Brm.Web;

/// <summary>Calendar days between the API's <see cref="Date"/> and the screens' <see cref="DateOnly"/>, judged in UTC as the service judges them.</summary>
public static class Days
{
    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public static Date ToDate(DateOnly day) => new() { Year = day.Year, Month = day.Month, Day = day.Day };

    /// <summary>The request's date, or none (the service names the missing field).</summary>
    public static Date? ToDate(DateOnly? day) => day is { } d ? ToDate(d) : null;

    public static DateOnly? ToDay(Date? date) => date is { Year: > 0, Month: > 0, Day: > 0 } d ? new DateOnly(d.Year, d.Month, d.Day) : null;

    /// <summary>A day chosen as when something happened: none (the service's "now") for today or no day, else noon UTC that day.</summary>
    public static Timestamp? Moment(DateOnly? day) =>
        day is { } d && d != Today ? Timestamp.FromDateTimeOffset(new DateTimeOffset(d.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero)) : null;
}
