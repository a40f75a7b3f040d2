namespace Brm.Domain.Outreach;

/// <summary>The documented limits of outreach (see outreach.proto): the validators and the composer read them here.</summary>
public static partial class OutreachLimits
{
    public const int MaxSubjectLength = 200;
    public const int MaxBodyLength = 100_000;
    public const int MaxTemplateLength = 100_000;

    /// <summary>A period starts no more than this many days before it ends.</summary>
    public const int MaxPeriodDays = 366;

    /// <summary>How many of a department's latest updates the as-of view shows.</summary>
    public const int UpdatesAsOf = 24;
}

/// <summary>A range of days, both ends included (days are counted in UTC).</summary>
public sealed record UpdatePeriod(DateOnly From, DateOnly To)
{
    /// <summary>The month ending <paramref name="today"/>: from the same day of the previous month, plus one day, to today.</summary>
    public static UpdatePeriod MonthEnding(DateOnly today) => new(today.AddMonths(-1).AddDays(1), today);

    /// <summary>How many days it spans.</summary>
    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The period of the same length that follows it.</summary>
    public UpdatePeriod Next => new(To.AddDays(1), To.AddDays(Days));

    public bool Contains(DateOnly day) => From <= day && day <= To;

    public bool Contains(DateTimeOffset moment) => Contains(DateOnly.FromDateTime(moment.UtcDateTime));

    /// <summary>The last moment of the period: the end of its last day.</summary>
    public DateTimeOffset End => new DateTimeOffset(To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddTicks(-TimeSpan.TicksPerMicrosecond);

    /// <summary>The first moment of the period.</summary>
    public DateTimeOffset Start => new(From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>What is wrong with the period as a client's, as of <paramref name="today"/>, or null when it is fine.</summary>
    public string? Problem(DateOnly today) =>
        From > To ? "period.from must not be after period.to"
        : To > today ? $"period.to must not be after today ({today:yyyy-MM-dd})"
        : To.DayNumber - From.DayNumber > OutreachLimits.MaxPeriodDays
            ? $"a period starts no more than {OutreachLimits.MaxPeriodDays} days before it ends"
            : null;
}
