using System.Security.Cryptography;
using System.Text;

namespace Brm.Domain.Outreach;

/// <summary>
/// When and where one BRM's weekly digest goes: a day and an hour in their time zone, an address, or that they opted
/// out. One stream per BRM (<see cref="IdFor"/>); until the BRM sets them, <see cref="DefaultFor"/> is in force.
/// </summary>
public sealed record DigestPreferences(
    Guid Id,
    string Manager,
    string? Email,
    DayOfWeek Day,
    int Hour,
    string TimeZone,
    bool OptedOut,
    string? SetBy,
    DateTimeOffset? SetAt,
    long Version) : IEventSourced<DigestPreferences>
{
    private static readonly Guid Namespace = new("3f0c2a8e-71d4-4b6e-9a51-5d2e8c07b913");

    /// <summary>The stream of <paramref name="manager"/>'s preferences: the same id for the same name, always.</summary>
    public static Guid IdFor(string manager) => DerivedId("preferences", manager);

    /// <summary>Monday 08:00 UTC, to the BRM's name when it is an email address.</summary>
    public static DigestPreferences DefaultFor(string manager) =>
        new(IdFor(manager), manager, null, DayOfWeek.Monday, 8, "UTC", false, null, null, 0);

    /// <summary>Where the digest goes: the address set, else the BRM's name when it is one; null when there is none.</summary>
    public string? Address => Email ?? (EmailAddress.IsValid(Manager) ? Manager : null);

    /// <summary>True when a digest goes at all: not opted out, and an address to send it to.</summary>
    public bool Sends => !OptedOut && Address is not null;

    public DigestPreferences WithVersion(long version) => this with { Version = version };

    public static DigestPreferences Fold(DigestPreferences? state, object @event) => @event switch
    {
        DigestPreferencesSet e => new DigestPreferences(IdFor(e.Manager), e.Manager, e.Email, e.Day, e.Hour, e.TimeZone, e.OptedOut, e.SetBy, e.SetAt,
            (state?.Version ?? 0) + 1),
        _ => state ?? throw new InvalidOperationException($"A digest preferences stream cannot start with {@event.GetType().Name}."),
    };

    /// <summary>An id derived from a kind and a key (SHA-256, so the same inputs always give the same id).</summary>
    public static Guid DerivedId(string kind, string key)
    {
        var hash = SHA256.HashData([.. Namespace.ToByteArray(), .. Encoding.UTF8.GetBytes($"{kind}\n{key}")]);
        return new Guid(hash.AsSpan(0, 16));
    }
}

/// <summary>A BRM (or an admin for them) sets the digest's day, hour, time zone and address, or opts out.</summary>
public sealed record SetDigestPreferences(
    string Manager, string? Email, DayOfWeek Day, int Hour, string TimeZone, bool OptedOut, string By, DateTimeOffset At);

/// <summary>Pure decisions on a BRM's digest preferences.</summary>
public static class DigestPreferencesDecider
{
    public static IReadOnlyList<object> Decide(SetDigestPreferences command, DigestPreferences? state)
    {
        // Setting what is in force again changes nothing; the first setting always starts the stream.
        return state is not null && (state.Email, state.Day, state.Hour, state.TimeZone, state.OptedOut)
            == (command.Email, command.Day, command.Hour, command.TimeZone, command.OptedOut)
            ? []
            : [new DigestPreferencesSet(command.Manager, command.Email, command.Day, command.Hour, command.TimeZone, command.OptedOut, command.By, command.At)];
    }
}

/// <summary>
/// When digests go. A BRM's digest of a week goes at their day and hour of that week (weeks start on Monday, in their
/// time zone), or as soon after as the service runs, within <see cref="Grace"/>; a digest missed for longer is skipped
/// (the next week's agenda supersedes it). At most one per BRM per week: its stream id is derived from both
/// (<see cref="DigestId"/>), so a second start of it fails.
/// </summary>
public static class DigestSchedule
{
    /// <summary>How late a week's digest may still go.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromHours(12);

    /// <summary>The stream of <paramref name="manager"/>'s digest of the week starting <paramref name="weekOf"/>.</summary>
    public static Guid DigestId(string manager, DateOnly weekOf) => DigestPreferences.DerivedId($"digest {weekOf:yyyy-MM-dd}", manager);

    /// <summary>The IANA time zone of that name, or null when there is none.</summary>
    public static TimeZoneInfo? Zone(string name) =>
        name is { Length: > 0 and <= 64 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '+' or '-') && !name.StartsWith('/')
        && TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone)
            ? zone
            : null;

    /// <summary>The Monday (in the BRM's time zone) of the week whose digest is due at <paramref name="now"/>, or null when none is.</summary>
    public static DateOnly? DueWeek(DigestPreferences preferences, DateTimeOffset now)
    {
        if (!preferences.Sends || Zone(preferences.TimeZone) is not { } zone)
        {
            return null;
        }

        var monday = MondayOf(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime));
        foreach (var week in new[] { monday, monday.AddDays(-7) })
        {
            var at = ScheduledAt(preferences, zone, week);
            if (at <= now && now < at + Grace)
            {
                return week;
            }
        }

        return null;
    }

    /// <summary>The next time a digest is scheduled after <paramref name="now"/>, or null when none will go.</summary>
    public static DateTimeOffset? Next(DigestPreferences preferences, DateTimeOffset now)
    {
        if (!preferences.Sends || Zone(preferences.TimeZone) is not { } zone)
        {
            return null;
        }

        var monday = MondayOf(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime));
        var at = ScheduledAt(preferences, zone, monday);
        return at > now ? at : ScheduledAt(preferences, zone, monday.AddDays(7));
    }

    public static DateOnly MondayOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>The BRM's day and hour of the week starting <paramref name="monday"/>, as an instant (a skipped hour moves on by one).</summary>
    private static DateTimeOffset ScheduledAt(DigestPreferences preferences, TimeZoneInfo zone, DateOnly monday)
    {
        var local = monday.AddDays(((int)preferences.Day + 6) % 7).ToDateTime(new TimeOnly(preferences.Hour, 0));
        if (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }
}

/// <summary>Stores <see cref="DigestPreferences"/> inline, one document per BRM who set them.</summary>
public sealed partial class DigestPreferencesProjection() : FoldProjection<DigestPreferences>([typeof(DigestPreferencesSet)]);
