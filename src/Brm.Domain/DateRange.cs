namespace Brm.Domain;

/// <summary>
/// The days the domain computes with. Every date and time a client sends lies within them (the API refuses others
/// as INVALID_ARGUMENT), so that the domain's arithmetic on them never leaves what .NET's dates can hold: a plan
/// item's schedule runs a few quarters past its last period and a report looks back a few years, far inside
/// 1900-01-01 to 9999-12-31.
/// </summary>
public static class DateRange
{
    public const int MinYear = 1900;
    public const int MaxYear = 2999;

    /// <summary>The first day: <see cref="MinYear"/>-01-01.</summary>
    public static readonly DateOnly First = new(MinYear, 1, 1);

    /// <summary>The last day: <see cref="MaxYear"/>-12-31.</summary>
    public static readonly DateOnly Last = new(MaxYear, 12, 31);

    /// <summary>The first moment, <see cref="First"/> at midnight UTC.</summary>
    public static readonly DateTimeOffset FirstMoment = new(First, TimeOnly.MinValue, TimeSpan.Zero);

    /// <summary>The end of <see cref="Last"/> (exclusive): the moment after the last one.</summary>
    public static readonly DateTimeOffset EndMoment = new(Last.AddDays(1), TimeOnly.MinValue, TimeSpan.Zero);
}
