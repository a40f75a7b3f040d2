using Brm.Domain.CommunicationPlans;
using Brm.Domain.Outreach;

namespace Brm.Domain.Tests;

/// <summary>When a BRM's digest is due, in their time zone, and what it says.</summary>
public sealed class DigestSpecs
{
    private static DigestPreferences Preferences(DayOfWeek day, int hour, string zone, string manager = "jo@it.example") =>
        DigestPreferences.Fold(null, new DigestPreferencesSet(manager, null, day, hour, zone, false, manager, DateTimeOffset.UnixEpoch));

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    // Monday 08:00 UTC: due from 08:00 for 12 hours, not before, not after.
    [InlineData("UTC", 1, 8, 11, 2, 7, 59, null)]
    [InlineData("UTC", 1, 8, 11, 2, 8, 0, "2026-11-02")]
    [InlineData("UTC", 1, 8, 11, 2, 19, 59, "2026-11-02")]
    [InlineData("UTC", 1, 8, 11, 2, 20, 0, null)]
    // Sunday 23:00 in London (UTC in November) is still due early on Monday: the week that ended.
    [InlineData("Europe/London", 0, 23, 11, 9, 2, 0, "2026-11-02")]
    // Friday 17:00 in New York is 22:00 UTC in November (EST) and 21:00 UTC in October (EDT).
    [InlineData("America/New_York", 5, 17, 11, 6, 22, 0, "2026-11-02")]
    [InlineData("America/New_York", 5, 17, 11, 6, 21, 59, null)]
    [InlineData("America/New_York", 5, 17, 10, 23, 21, 0, "2026-10-19")]
    public void A_digest_is_due_from_the_brms_hour_in_their_zone_for_twelve_hours(
        string zone, int day, int hour, int month, int date, int utcHour, int utcMinute, string? week)
    {
        var due = DigestSchedule.DueWeek(Preferences((DayOfWeek)day, hour, zone), Utc(month, date, utcHour, utcMinute));

        Assert.Equal(week is null ? null : DateOnly.Parse(week, System.Globalization.CultureInfo.InvariantCulture), due);
    }

    [Fact]
    public void An_hour_the_clocks_skip_moves_on_by_one()
    {
        // Sunday 29 March 2026: London skips from 01:00 to 02:00; a digest at 01:00 goes at 02:00 BST (01:00 UTC).
        var preferences = Preferences(DayOfWeek.Sunday, 1, "Europe/London");

        Assert.Equal(Utc(3, 29, 1), DigestSchedule.Next(preferences, Utc(3, 28, 12)));
    }

    [Fact]
    public void Opted_out_or_without_an_address_no_digest_is_due_or_next()
    {
        var optedOut = Preferences(DayOfWeek.Monday, 8, "UTC") with { OptedOut = true };
        var nameless = DigestPreferences.DefaultFor("jo");

        Assert.Null(DigestSchedule.DueWeek(optedOut, Utc(11, 2, 9)));
        Assert.Null(DigestSchedule.Next(optedOut, Utc(11, 2, 9)));
        Assert.Null(DigestSchedule.Next(nameless, Utc(11, 2, 9)));
        Assert.Equal("jo@it.example", DigestPreferences.DefaultFor("jo@it.example").Address);
    }

    [Fact]
    public void One_digest_id_per_brm_and_week()
    {
        var week = new DateOnly(2026, 11, 2);

        Assert.Equal(DigestSchedule.DigestId("jo", week), DigestSchedule.DigestId("jo", week));
        Assert.NotEqual(DigestSchedule.DigestId("jo", week), DigestSchedule.DigestId("jo", week.AddDays(7)));
        Assert.NotEqual(DigestSchedule.DigestId("jo", week), DigestSchedule.DigestId("al", week));
        Assert.NotEqual(DigestSchedule.DigestId("jo", week), DigestPreferences.IdFor("jo"));
    }

    [Fact]
    public void Setting_the_preferences_in_force_again_changes_nothing()
    {
        var command = new SetDigestPreferences("jo", null, DayOfWeek.Monday, 8, "UTC", false, "jo", DateTimeOffset.UnixEpoch);
        var state = DigestPreferences.Fold(null, Assert.Single(DigestPreferencesDecider.Decide(command, null)));

        Assert.Empty(DigestPreferencesDecider.Decide(command with { At = DateTimeOffset.UnixEpoch.AddDays(1) }, state));
        Assert.Single(DigestPreferencesDecider.Decide(command with { Hour = 9 }, state));
    }

    [Fact]
    public void The_digest_puts_untold_declines_first_then_overdue_then_the_week_and_escapes_the_record()
    {
        var now = Utc(11, 2, 9);
        AgendaEntry Entry(AgendaEntryKind kind, string what, bool overdue, bool untold = false, AgendaAction action = AgendaAction.DeliverCommitment) =>
            new(kind, Guid.NewGuid(), "Pay_roll", Guid.NewGuid(), what, now, now, DateOnly.FromDateTime(now.UtcDateTime), overdue, action, untold);

        var digest = DigestContent.Compose("jo", new DateOnly(2026, 11, 2),
        [
            Entry(AgendaEntryKind.Feedback, "Admin rights", overdue: true, untold: true, AgendaAction.RespondToFeedback),
            Entry(AgendaEntryKind.Commitment, "Fix <b>it</b>", overdue: true),
            Entry(AgendaEntryKind.Commitment, "Renew", overdue: false),
        ]);

        Assert.Equal((3, 1), (digest.Entries, digest.UntoldDeclines));
        Assert.Equal("Your BRM week of 2 November 2026: 3 entries, 1 decline to explain, 1 overdue", digest.Subject);
        var body = digest.BodyMarkdown;
        Assert.True(body.IndexOf("Admin rights", StringComparison.Ordinal) < body.IndexOf("## Overdue", StringComparison.Ordinal));
        Assert.True(body.IndexOf("Fix", StringComparison.Ordinal) < body.IndexOf("## Due this week", StringComparison.Ordinal));
        Assert.Contains("Fix \\<b\\>it\\</b\\>", body, StringComparison.Ordinal);
        Assert.Contains("**Pay\\_roll**", body, StringComparison.Ordinal);
        Assert.Contains("tell them why", body, StringComparison.Ordinal);
    }
}
