using Brm.Domain;
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

    /// <summary>A date that is set, exists and lies in the domain's <see cref="DateRange"/>.</summary>
    public static IRuleBuilderOptions<T, V1.Date?> ValidDate<T>(this IRuleBuilder<T, V1.Date?> rule) =>
        rule.NotNull().WithMessage("{PropertyName} is required")
            .Must(d => d is null || IsValid(d)).WithMessage($"{{PropertyName}} must be a valid date between {DateRange.First:yyyy-MM-dd} and {DateRange.Last:yyyy-MM-dd}");

    /// <summary>A timestamp that is set and lies in the domain's <see cref="DateRange"/>.</summary>
    public static IRuleBuilderOptions<T, Timestamp?> ValidTimestamp<T>(this IRuleBuilder<T, Timestamp?> rule) =>
        rule.NotNull().WithMessage("{PropertyName} is required")
            .Must(t => t is null || (t.Seconds >= MinSeconds && t.Seconds < EndSeconds && t.Nanos is >= 0 and < 1_000_000_000))
            .WithMessage($"{{PropertyName}} must be a valid time in the years {DateRange.MinYear} to {DateRange.MaxYear}");

    private static readonly long MinSeconds = DateRange.FirstMoment.ToUnixTimeSeconds();
    private static readonly long EndSeconds = DateRange.EndMoment.ToUnixTimeSeconds();

    /// <summary>A date that exists and lies in the domain's <see cref="DateRange"/>.</summary>
    public static bool IsValid(V1.Date d) =>
        d.Year is >= DateRange.MinYear and <= DateRange.MaxYear && d.Month is >= 1 and <= 12 && d.Day >= 1 && d.Day <= DateTime.DaysInMonth(d.Year, d.Month);
}
