using FluentValidation;
using Google.Protobuf.WellKnownTypes;

namespace Brm.Api.Infrastructure;

/// <summary>Times and calendar dates between brm.v1 and the domain, and their validation rules.</summary>
public static class ProtoTime
{
    public static Timestamp ToProto(this DateTimeOffset value) => Timestamp.FromDateTimeOffset(value);

    public static Timestamp? ToProto(this DateTimeOffset? value) => value is { } v ? Timestamp.FromDateTimeOffset(v) : null;

    public static V1.Date ToProto(this DateOnly value) => new() { Year = value.Year, Month = value.Month, Day = value.Day };

    public static DateOnly ToDomain(this V1.Date value) => new(value.Year, value.Month, value.Day);

    /// <summary>A time as the service keeps it: to the microsecond, PostgreSQL's precision.</summary>
    public static DateTimeOffset ToDomain(this Timestamp value) => value.ToDateTimeOffset().ToMicroseconds();

    /// <summary>
    /// Drops what is finer than a microsecond, so that a time stored in a document and the same time in an
    /// indexed column (PostgreSQL keeps microseconds) are equal, which keyset paging relies on.
    /// </summary>
    public static DateTimeOffset ToMicroseconds(this DateTimeOffset value) => value.AddTicks(-(value.Ticks % TimeSpan.TicksPerMicrosecond));

    /// <summary>A date that is set and exists (1900-9999).</summary>
    public static IRuleBuilderOptions<T, V1.Date?> ValidDate<T>(this IRuleBuilder<T, V1.Date?> rule) =>
        rule.NotNull().WithMessage("{PropertyName} is required")
            .Must(d => d is null || IsValid(d)).WithMessage("{PropertyName} must be a valid date between 1900-01-01 and 9999-12-31");

    /// <summary>A timestamp that is set and within 1900-9999.</summary>
    public static IRuleBuilderOptions<T, Timestamp?> ValidTimestamp<T>(this IRuleBuilder<T, Timestamp?> rule) =>
        rule.NotNull().WithMessage("{PropertyName} is required")
            .Must(t => t is null || (t.Seconds >= MinSeconds && t.Seconds <= MaxSeconds && t.Nanos is >= 0 and < 1_000_000_000))
            .WithMessage("{PropertyName} must be a valid time between 1900 and 9999");

    private static readonly long MinSeconds = new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
    private static readonly long MaxSeconds = new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero).ToUnixTimeSeconds();

    private static bool IsValid(V1.Date d) =>
        d.Year is >= 1900 and <= 9999 && d.Month is >= 1 and <= 12 && d.Day >= 1 && d.Day <= DateTime.DaysInMonth(d.Year, d.Month);
}
