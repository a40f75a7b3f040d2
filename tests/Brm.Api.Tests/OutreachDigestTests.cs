using Brm.Api.Outreach;
using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.OutreachDeliveryTests;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

/// <summary>The service with weekly digests on, looking for due digests every 300 ms, mailing a real SMTP server.</summary>
public sealed class DigestFixture : MailFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
        [.. base.Settings(), new("Outreach:Digests", "true"), new("Outreach:DigestInterval", "00:00:00.300")];

    /// <summary>How many digest ticks have run so far.</summary>
    public async Task<long> DigestTicksAsync()
    {
        await using var session = Store.QuerySession();
        return (await session.LoadAsync<DigestClock>(DigestClock.SingleId))?.Runs ?? 0;
    }
}

/// <summary>
/// Each BRM's weekly digest: preferences (defaults, set, validated, owned), the preview (untold declines first, then
/// what is overdue, every text escaped) and the sending (once per week at the BRM's hour, to their address, never to
/// one who opted out or has no address, never twice).
/// </summary>
public sealed class OutreachDigestTests(DigestFixture api) : IClassFixture<DigestFixture>
{
    /// <summary>Monday 2 November 2026, 09:30 UTC.</summary>
    private static readonly DateTimeOffset MondayMorning = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Until_set_a_brm_named_by_address_gets_it_monday_at_eight_utc_and_one_without_an_address_gets_none()
    {
        api.Clock.Set(MondayMorning);
        var named = await Preferences("dana.defaults@it.example");
        Assert.Equal(("dana.defaults@it.example", Weekday.Monday, 8, "UTC", false), (named.Email, named.Day, named.Hour, named.TimeZone, named.OptedOut));
        Assert.Equal(new DateTimeOffset(2026, 11, 9, 8, 0, 0, TimeSpan.Zero), named.NextDigestAt.ToDateTimeOffset());
        Assert.Null(named.UpdatedAt);

        var nameless = await Preferences("dana.defaults");
        Assert.Equal("", nameless.Email);
        Assert.Null(nameless.NextDigestAt);
    }

    [Fact]
    public async Task A_brm_sets_day_hour_zone_and_address_setting_them_again_changes_nothing_and_opting_out_stops_them()
    {
        api.Clock.Set(MondayMorning);
        const string brm = "erin.prefs";
        var mine = new OutreachService.OutreachServiceClient(api.ChannelAs(brm, Role.Brm));
        var set = new SetDigestPreferencesRequest
        {
            Manager = brm, Email = "erin@it.example", Day = Weekday.Friday, Hour = 17, TimeZone = "America/New_York",
        };

        var first = await mine.SetDigestPreferencesAsync(set);
        Assert.Equal(1, first.Version);
        Assert.Equal(("erin@it.example", Weekday.Friday, 17, "America/New_York"), (first.Preferences.Email, first.Preferences.Day, first.Preferences.Hour, first.Preferences.TimeZone));
        // Friday 6 November, 17:00 in New York (EST, UTC-5).
        Assert.Equal(new DateTimeOffset(2026, 11, 6, 22, 0, 0, TimeSpan.Zero), first.Preferences.NextDigestAt.ToDateTimeOffset());
        Assert.Equal(MondayMorning, first.Preferences.UpdatedAt.ToDateTimeOffset());

        Assert.Equal(1, (await mine.SetDigestPreferencesAsync(set)).Version);
        Assert.Equal(1, await PreferencesVersionAsync(brm));

        set.OptedOut = true;
        var optedOut = await mine.SetDigestPreferencesAsync(set);
        Assert.Equal((2L, true), (optedOut.Version, optedOut.Preferences.OptedOut));
        Assert.Null(optedOut.Preferences.NextDigestAt);
        Assert.Equal(optedOut.Preferences, await Preferences(brm));

        var other = new OutreachService.OutreachServiceClient(api.ChannelAs("someone.else", Role.Brm));
        set.OptedOut = false;
        await FailsWith(StatusCode.PermissionDenied, other.SetDigestPreferencesAsync(set));
    }

    [Theory]
    [InlineData("hour", 24, "UTC", "", Weekday.Monday)]
    [InlineData("hour", -1, "UTC", "", Weekday.Monday)]
    [InlineData("time_zone", 8, "Mars/Olympus_Mons", "", Weekday.Monday)]
    [InlineData("time_zone", 8, "../../etc/passwd", "", Weekday.Monday)]
    [InlineData("time_zone", 8, "", "", Weekday.Monday)]
    [InlineData("email", 8, "UTC", "not an address", Weekday.Monday)]
    [InlineData("day", 8, "UTC", "", Weekday.Unspecified)]
    [InlineData("day", 8, "UTC", "", (Weekday)99)]
    public async Task Bad_preferences_are_invalid_argument_on_their_field_and_change_nothing(string field, int hour, string zone, string email, Weekday day)
    {
        var failure = await FailsWith(StatusCode.InvalidArgument, api.Outreach.SetDigestPreferencesAsync(new SetDigestPreferencesRequest
        {
            Manager = "frank.invalid", Email = email, Day = day, Hour = hour, TimeZone = zone,
        }));

        Assert.Equal([field], failure.ViolatedFields());
        Assert.Equal(0, await PreferencesVersionAsync("frank.invalid"));
    }

    [Fact]
    public async Task The_preview_puts_untold_declines_first_then_what_is_overdue_and_escapes_the_record()
    {
        const string brm = "gail.preview@it.example";
        var (_, declined, overdue) = await AgendaOfAsync(brm, "Payroll <script>alert(1)</script>");
        api.Clock.Set(MondayMorning);

        var preview = await api.Outreach.PreviewDigestAsync(new PreviewDigestRequest { Manager = brm });
        var agenda = await api.Plans.GetAgendaAsync(new GetAgendaRequest { Manager = brm });
        Assert.Equal(3, agenda.Entries.Count);

        Assert.Equal((3, 1), (preview.Entries, preview.UntoldDeclines));
        Assert.Equal("Your BRM week of 2 November 2026: 3 entries, 1 decline to explain, 1 overdue", preview.Subject);
        var tell = preview.BodyMarkdown.IndexOf("## Tell the business why", StringComparison.Ordinal);
        var late = preview.BodyMarkdown.IndexOf("## Overdue", StringComparison.Ordinal);
        Assert.True(tell > 0 && late > tell, preview.BodyMarkdown);
        Assert.Contains(declined, preview.BodyMarkdown[tell..late], StringComparison.Ordinal);
        Assert.Contains("Payroll \\<script\\>alert(1)\\</script\\>", preview.BodyMarkdown[late..], StringComparison.Ordinal);
        Assert.Contains(overdue, preview.BodyMarkdown[late..], StringComparison.Ordinal);
        Assert.Contains("## Due this week", preview.BodyMarkdown[late..], StringComparison.Ordinal);
        Assert.Contains("Renew the VPN certificate (due 2026-11-04)", preview.BodyMarkdown[late..], StringComparison.Ordinal);
        Assert.DoesNotContain("<script", preview.BodyHtml, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", preview.BodyHtml, StringComparison.Ordinal);

        var empty = await api.Outreach.PreviewDigestAsync(new PreviewDigestRequest { Manager = "nobody.manages.anything" });
        Assert.Equal((0, "Your BRM week of 2 November 2026: nothing due"), (empty.Entries, empty.Subject));
    }

    [Fact]
    public async Task At_the_brms_hour_the_digest_goes_once_to_their_address_and_not_to_those_who_opted_out()
    {
        const string brm = "hana.sends@it.example", optedOut = "ivan.optedout@it.example";
        api.Clock.Set(MondayMorning.AddDays(-10)); // nothing of theirs is due until the clock comes back to Monday
        // Set before they manage anything (so the defaults never apply): due from 09:00 on Monday (London is on UTC in
        // November), which is when their agendas are complete.
        await api.Outreach.SetDigestPreferencesAsync(new SetDigestPreferencesRequest
        {
            Manager = optedOut, Day = Weekday.Monday, Hour = 9, TimeZone = "UTC", OptedOut = true,
        });
        await api.Outreach.SetDigestPreferencesAsync(new SetDigestPreferencesRequest
        {
            Manager = brm, Email = "hana.home@it.example", Day = Weekday.Monday, Hour = 9, TimeZone = "Europe/London",
        });
        await AgendaOfAsync(optedOut, "Payroll");
        await AgendaOfAsync(brm, "Payroll");
        api.Clock.Set(MondayMorning);

        await Until(() => Task.FromResult(To(api.Smtp, "hana.home@it.example").Count > 0));
        var ticks = await api.DigestTicksAsync();
        await Until(async () => await api.DigestTicksAsync() >= ticks + 3);

        var (message, _) = Assert.Single(To(api.Smtp, "hana.home@it.example"));
        Assert.Equal("Your BRM week of 2 November 2026: 3 entries, 1 decline to explain, 1 overdue", message.Subject);
        Assert.Contains("## Tell the business why", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Tell the business why</h2>", message.HtmlBody, StringComparison.Ordinal);
        var id = Brm.Domain.Outreach.DigestSchedule.DigestId(brm, new DateOnly(2026, 11, 2));
        Assert.StartsWith($"{id:N}.", message.MessageId, StringComparison.Ordinal);
        Assert.Empty(To(api.Smtp, optedOut));

        await using var session = api.Store.QuerySession();
        var sent = Assert.IsType<Brm.Domain.Outreach.DigestSent>(Assert.Single(await session.Events.FetchStreamAsync(id)).Data);
        Assert.Equal((brm, "hana.home@it.example", 3, 1, message.MessageId), (sent.Manager, sent.Email, sent.Entries, sent.UntoldDeclines, sent.MessageId));
    }

    /// <summary>The version of the BRM's preferences stream (0: none). Counted per stream: digests go out while the tests run.</summary>
    private async Task<long> PreferencesVersionAsync(string manager)
    {
        await using var session = api.Store.QuerySession();
        return (await session.Events.FetchStreamStateAsync(Brm.Domain.Outreach.DigestPreferences.IdFor(manager)))?.Version ?? 0;
    }

    private async Task<V1.DigestPreferences> Preferences(string manager) =>
        (await api.Outreach.GetDigestPreferencesAsync(new GetDigestPreferencesRequest { Manager = manager })).Preferences;

    private static List<(MimeKit.MimeMessage Message, IReadOnlyList<string> Recipients)> To(SmtpSink smtp, string address) =>
        [.. smtp.Messages().Where(m => m.Recipients.Contains(address))];

    /// <summary>
    /// A department of <paramref name="brm"/>'s with, on Monday morning, a decline the business was not told of, a
    /// commitment overdue since Friday, and one due on Wednesday: three agenda entries. The record is made ten days
    /// earlier, when none of it is due, and the clock is left there: the caller moves it to Monday once all is recorded.
    /// </summary>
    private async Task<(string Department, string Declined, string Overdue)> AgendaOfAsync(string brm, string department)
    {
        api.Clock.Set(MondayMorning.AddDays(-10));
        var relationship = await api.Relationships.RegisterAsync(department, brm);
        var stakeholder = await api.Relationships.AddStakeholderAsync(Stakeholder(relationship, "Kim Lee", StakeholderLevel.Manager));
        const string overdue = "Fix the *month-end* report";
        await api.Commitments.MakeCommitmentAsync(CommitmentBuilders.Commitment(relationship, overdue, new DateOnly(2026, 10, 30)));
        await api.Commitments.MakeCommitmentAsync(CommitmentBuilders.Commitment(relationship, "Renew the VPN certificate", new DateOnly(2026, 11, 4)));
        var feedback = await api.Feedback.SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            RelationshipId = relationship.Id, FromStakeholderId = stakeholder.StakeholderId, Channel = Channel.Email, Comment = "Give us admin rights on laptops",
        });
        await api.Feedback.AcknowledgeFeedbackAsync(new AcknowledgeFeedbackRequest { FeedbackId = feedback.Feedback.Id });
        await api.Feedback.DeclineFeedbackAsync(new DeclineFeedbackRequest
        {
            FeedbackId = feedback.Feedback.Id, Reason = "Admin rights would break the security baseline we agreed with audit.",
        });
        return (department, "Give us admin rights on laptops", "Fix the \\*month-end\\* report");
    }
}
