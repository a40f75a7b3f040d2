using System.Globalization;
using System.Net;
using System.Text.Json;
using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.CommitmentBuilders;
using static Brm.Api.Tests.Support.MeetingBuilders;

namespace Brm.Api.Tests;

/// <summary>
/// The service on real Kestrel ports (gRPC on HTTP/2, the web endpoint on HTTP/1.1), mailing a real SMTP server, calendar
/// addresses pointing at a public base (<see cref="FeedBase"/>; the tests fetch the same path from the web endpoint).
/// </summary>
public class CalendarFixture : IAsyncLifetime
{
    public const string FeedBase = "https://brm.example";

    public const string Admin = "admin.calendar";

    private WebAppHost _app = null!;

    public SmtpSink Smtp { get; private set; } = null!;

    public IDocumentStore Store => _app.Host.Services.GetRequiredService<IDocumentStore>();

    public async Task InitializeAsync()
    {
        Smtp = await SmtpSink.StartAsync();
        _app = await WebAppHost.StartAsync([
            .. MailFixture.MailSettings(Smtp, Enumerable.Repeat("00:00:00.500", 20)).Select(s => (s.Key, s.Value)),
            ("Calendar:FeedBaseUrl", FeedBase),
            .. Settings(),
        ]);
    }

    /// <summary>Settings on top of this fixture's own.</summary>
    protected virtual IEnumerable<(string Key, string Value)> Settings() => [];

    /// <summary>A gRPC channel over TCP (HTTP/2) calling as <paramref name="name"/>.</summary>
    public GrpcChannel As(string name, Role role) => _app.Host.ChannelAs(name, role, _app.Grpc);

    public GrpcChannel AsAdmin => As(Admin, Role.Admin);

    /// <summary>GET of a feed address, at the web endpoint (HTTP/1.1, no redirects followed, no cookies).</summary>
    public async Task<(HttpStatusCode Status, HttpResponseMessage Response, byte[] Body)> FetchAsync(string url)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var response = await http.GetAsync($"{_app.Web}{new Uri(url).AbsolutePath}");
        return (response.StatusCode, response, await response.Content.ReadAsByteArrayAsync());
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>
/// A BRM's calendar feed over real HTTP, read by an independent parser (Python's icalendar): what it holds (their
/// departments' meetings, commitments due, communications due, feedback to answer; nobody else's), and its secret,
/// revocable address (410 once revoked or replaced, 404 for one the service never issued).
/// </summary>
public sealed class CalendarFeedTests(CalendarFixture api) : IClassFixture<CalendarFixture>
{
    [Fact]
    public async Task The_feed_holds_the_brms_meetings_commitments_communications_and_feedback_and_nobody_elses()
    {
        var brm = PlanBuilders.UniqueManager();
        var other = PlanBuilders.UniqueManager();
        var admin = api.AsAdmin;
        var relationships = new RelationshipService.RelationshipServiceClient(admin);
        var meetings = new MeetingService.MeetingServiceClient(admin);
        var commitments = new CommitmentService.CommitmentServiceClient(admin);
        var plans = new CommunicationPlanService.CommunicationPlanServiceClient(admin);
        var feedback = new FeedbackService.FeedbackServiceClient(admin);
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);

        var finance = await relationships.RegisterAsync("Finance", brm);
        var ana = (await relationships.AddStakeholderAsync(Stakeholder(finance, "Ana \"Annie\" Ortiz", StakeholderLevel.Manager, $"ana.{finance.Code}@finance.example"))).StakeholderId;
        var ben = (await relationships.AddStakeholderAsync(Stakeholder(finance, "Ben Li", StakeholderLevel.Staff))).StakeholderId;
        var start = new DateTimeOffset(now.UtcDateTime.Date.AddDays(3).AddHours(9).AddMinutes(30), TimeSpan.Zero);
        var review = (await meetings.ScheduleMeetingAsync(new ScheduleMeetingRequest
        {
            RelationshipId = finance.Id, Kind = MeetingKind.ServiceReview, Topic = "Quarterly service review, with numbers; and more",
            Start = At(start), DurationMinutes = 45, Organiser = brm, Location = "Room 4.12, Finance floor", InvitedStakeholderIds = { ana, ben },
        })).Meeting;
        var dropped = (await meetings.ScheduleMeetingAsync(new ScheduleMeetingRequest
        {
            RelationshipId = finance.Id, Kind = MeetingKind.CoffeeChat, Topic = "Coffee", Start = At(start.AddDays(1)), DurationMinutes = 15, Organiser = brm,
        })).Meeting;
        await meetings.CancelMeetingAsync(new CancelMeetingRequest { MeetingId = dropped.Id, Reason = "Ana is away" });
        var due = (await commitments.MakeCommitmentAsync(Commitment(finance, "Fix the month-end report", today.AddDays(5)))).Commitment;
        var done = (await commitments.MakeCommitmentAsync(Commitment(finance, "Order laptops", today.AddDays(6)))).Commitment;
        await commitments.DeliverCommitmentAsync(new DeliverCommitmentRequest { CommitmentId = done.Id });
        var item = await plans.AddPlanItemAsync(PlanBuilders.Item(finance.Id, "Monthly IT update", Cadence.Monthly, Channel.Email, today));
        var given = (await feedback.SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            RelationshipId = finance.Id, FromStakeholderId = ana, Channel = Channel.Email, Rating = 2, Comment = "The VPN drops every afternoon",
        })).Feedback;
        await feedback.AcknowledgeFeedbackAsync(new AcknowledgeFeedbackRequest { FeedbackId = given.Id });
        await feedback.DeclineFeedbackAsync(new DeclineFeedbackRequest { FeedbackId = given.Id, Reason = FeedbackBuilders.BudgetReason });

        // Another BRM's department: none of it is in the feed.
        var legal = await relationships.RegisterAsync("Legal", other);
        var theirs = (await meetings.ScheduleMeetingAsync(new ScheduleMeetingRequest
        {
            RelationshipId = legal.Id, Kind = MeetingKind.Workshop, Topic = "Contracts", Start = At(start), DurationMinutes = 60, Organiser = other,
        })).Meeting;
        var theirCommitment = (await commitments.MakeCommitmentAsync(Commitment(legal, "Archive contracts", today.AddDays(5)))).Commitment;

        var issued = await new OutreachService.OutreachServiceClient(api.As(brm, Role.Brm)).IssueCalendarFeedAsync(new IssueCalendarFeedRequest { Manager = brm });
        Assert.Equal((true, 1L), (issued.Feed.Active, issued.Version));
        Assert.StartsWith($"{CalendarFixture.FeedBase}/calendar/", issued.Feed.Url, StringComparison.Ordinal);
        Assert.EndsWith(".ics", issued.Feed.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(brm, issued.Feed.Url, StringComparison.OrdinalIgnoreCase); // the token is opaque

        var (status, response, body) = await api.FetchAsync(issued.Feed.Url);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/calendar; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.True(response.Headers.CacheControl is { NoStore: true, Private: true }, $"Cache-Control: {response.Headers.CacheControl}");
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());

        var calendar = await IcsReader.ReadAsync(body);
        Assert.Equal("2.0", calendar.GetProperty("properties").GetProperty("VERSION").GetString());
        Assert.False(calendar.GetProperty("properties").TryGetProperty("METHOD", out _)); // a feed, not a scheduling message
        var events = calendar.EventsByUid();
        Assert.Equal(
            new[] { $"meeting-{review.Id}", $"meeting-{dropped.Id}", $"commitment-{due.Id}", $"communication-{item.PlanItemId}", $"feedback-{given.Id}" }
                .Select(uid => $"{uid}@brm-crm").Order(),
            events.Keys.Order());
        Assert.DoesNotContain(events.Keys, uid => uid.Contains(theirs.Id, StringComparison.Ordinal) || uid.Contains(theirCommitment.Id, StringComparison.Ordinal));

        var meeting = events[$"meeting-{review.Id}@brm-crm"];
        Assert.Equal("Quarterly service review, with numbers; and more (Finance)", meeting.Text("SUMMARY"));
        Assert.Equal(start.ToString("yyyy-MM-ddTHH:mm:ss+00:00", CultureInfo.InvariantCulture), meeting.GetProperty("DTSTART").GetProperty("value").GetString());
        Assert.Equal(start.AddMinutes(45).ToString("yyyy-MM-ddTHH:mm:ss+00:00", CultureInfo.InvariantCulture), meeting.GetProperty("DTEND").GetProperty("value").GetString());
        Assert.Equal(("Room 4.12, Finance floor", "CONFIRMED", "0"), (meeting.Text("LOCATION"), meeting.Text("STATUS"), meeting.Text("SEQUENCE")));
        Assert.True(meeting.TryGetProperty("DTSTAMP", out _));
        // Only those invited whose address the department records: Ana (her quotes made safe), not Ben.
        Assert.Equal([($"mailto:ana.{finance.Code}@finance.example", "Ana 'Annie' Ortiz")], meeting.Attendees());

        var cancelled = events[$"meeting-{dropped.Id}@brm-crm"];
        Assert.Equal(("CANCELLED", "1"), (cancelled.Text("STATUS"), cancelled.Text("SEQUENCE")));

        var commitment = events[$"commitment-{due.Id}@brm-crm"];
        Assert.Equal((today.AddDays(5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), true),
            (commitment.GetProperty("DTSTART").GetProperty("value").GetString(), commitment.GetProperty("DTSTART").GetProperty("date").GetBoolean()));
        Assert.Equal("Due: Fix the month-end report (Finance)", commitment.Text("SUMMARY"));
        Assert.Equal("TRANSPARENT", commitment.Text("TRANSP"));

        var communication = events[$"communication-{item.PlanItemId}@brm-crm"];
        var nextDue = item.Plan.Items.Single().NextDueOn;
        Assert.Equal(new DateOnly(nextDue.Year, nextDue.Month, nextDue.Day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            communication.GetProperty("DTSTART").GetProperty("value").GetString());
        Assert.Equal("Send: Monthly IT update (Finance)", communication.Text("SUMMARY"));

        var answer = events[$"feedback-{given.Id}@brm-crm"];
        Assert.Equal("Feedback: Declined, not yet told (Finance)", answer.Text("SUMMARY"));
        Assert.DoesNotContain("VPN", answer.Text("DESCRIPTION"), StringComparison.Ordinal); // the comment stays in the service
        Assert.DoesNotContain("VPN", System.Text.Encoding.UTF8.GetString(body), StringComparison.Ordinal);

        // A move replaces the entry (same UID, a higher SEQUENCE), it does not add one.
        await meetings.RescheduleMeetingAsync(new RescheduleMeetingRequest { MeetingId = review.Id, Start = At(start.AddHours(2)), Reason = "clash" });
        var moved = (await IcsReader.ReadAsync((await api.FetchAsync(issued.Feed.Url)).Body)).EventsByUid();
        Assert.Equal(events.Count, moved.Count);
        Assert.Equal("1", moved[$"meeting-{review.Id}@brm-crm"].Text("SEQUENCE"));
        Assert.Equal(start.AddHours(2).ToString("yyyy-MM-ddTHH:mm:ss+00:00", CultureInfo.InvariantCulture),
            moved[$"meeting-{review.Id}@brm-crm"].GetProperty("DTSTART").GetProperty("value").GetString());
    }

    [Fact]
    public async Task A_revoked_or_replaced_address_is_gone_a_new_one_works_and_one_never_issued_is_not_found()
    {
        var brm = PlanBuilders.UniqueManager();
        await new RelationshipService.RelationshipServiceClient(api.AsAdmin).RegisterAsync("Sales", brm);
        var outreach = new OutreachService.OutreachServiceClient(api.As(brm, Role.Brm));
        Assert.Equal((false, "", 0L), Feed(await outreach.GetCalendarFeedAsync(new GetCalendarFeedRequest { Manager = brm })));

        var first = (await outreach.IssueCalendarFeedAsync(new IssueCalendarFeedRequest { Manager = brm, RequestId = Guid.NewGuid().ToString() })).Feed.Url;
        Assert.Equal(HttpStatusCode.OK, (await api.FetchAsync(first)).Status);
        var again = (await outreach.GetCalendarFeedAsync(new GetCalendarFeedRequest { Manager = brm })).Feed;
        Assert.Equal(HttpStatusCode.OK, (await api.FetchAsync(again.Url)).Status); // every address of the generation in force works

        // A new address replaces the old one.
        var second = (await outreach.IssueCalendarFeedAsync(new IssueCalendarFeedRequest { Manager = brm, ExpectedVersion = 1 })).Feed.Url;
        Assert.Equal(HttpStatusCode.Gone, (await api.FetchAsync(first)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.FetchAsync(second)).Status);

        // Revoked: no address works, and the answer says so.
        var revoked = await outreach.RevokeCalendarFeedAsync(new RevokeCalendarFeedRequest { Manager = brm });
        Assert.Equal((false, "", 3L), (revoked.Feed.Active, revoked.Feed.Url, revoked.Version));
        Assert.NotNull(revoked.Feed.RevokedAt);
        var gone = await api.FetchAsync(second);
        Assert.Equal(HttpStatusCode.Gone, gone.Status);
        Assert.True(gone.Response.Headers.CacheControl is { NoStore: true });
        Assert.Equal(3L, (await outreach.RevokeCalendarFeedAsync(new RevokeCalendarFeedRequest { Manager = brm })).Version); // again: nothing changes
        Assert.Equal((false, "", 3L), Feed(await outreach.GetCalendarFeedAsync(new GetCalendarFeedRequest { Manager = brm })));

        var third = (await outreach.IssueCalendarFeedAsync(new IssueCalendarFeedRequest { Manager = brm })).Feed.Url;
        Assert.Equal(HttpStatusCode.OK, (await api.FetchAsync(third)).Status);
        Assert.Equal([HttpStatusCode.Gone, HttpStatusCode.Gone], [(await api.FetchAsync(first)).Status, (await api.FetchAsync(second)).Status]);

        // Tokens this service never issued: altered in one character, cut short, made up.
        var token = third[(third.LastIndexOf('/') + 1)..^".ics".Length];
        var altered = $"{CalendarFixture.FeedBase}/calendar/{token[..^3]}{(token[^3] == 'A' ? 'B' : 'A')}{token[^2..]}.ics";
        foreach (var forged in new[] { altered, $"{CalendarFixture.FeedBase}/calendar/{token[..^10]}.ics", $"{CalendarFixture.FeedBase}/calendar/not-a-token.ics" })
        {
            var (status, response, _) = await api.FetchAsync(forged);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.True(response.Headers.CacheControl is { NoStore: true });
        }

        // The address is the BRM's own: another BRM (or a reporter) can neither read nor replace it.
        var stranger = new OutreachService.OutreachServiceClient(api.As(PlanBuilders.UniqueManager(), Role.Brm));
        await FailsWith(StatusCode.PermissionDenied, stranger.GetCalendarFeedAsync(new GetCalendarFeedRequest { Manager = brm }));
        await FailsWith(StatusCode.PermissionDenied, stranger.RevokeCalendarFeedAsync(new RevokeCalendarFeedRequest { Manager = brm }));
        Assert.Equal(HttpStatusCode.OK, (await api.FetchAsync(third)).Status);
        var failure = await FailsWith(StatusCode.InvalidArgument, outreach.IssueCalendarFeedAsync(new IssueCalendarFeedRequest { Manager = brm, RequestId = "x" }));
        Assert.Equal(["request_id"], failure.ViolatedFields());
    }

    private static (bool Active, string Url, long Version) Feed(GetCalendarFeedResponse response) =>
        (response.Feed.Active, response.Feed.Url, response.Feed.Version);
}

/// <summary>As <see cref="CalendarFixture"/>, with each feed address fetched at most twice a minute.</summary>
public sealed class RateLimitedCalendarFixture : CalendarFixture
{
    protected override IEnumerable<(string Key, string Value)> Settings() => [("Limits:CalendarFetchesPerFeedPerMinute", "2")];
}

/// <summary>A feed's address is rate limited as a feedback link is: per address of the feed, 429 with Retry-After beyond it.</summary>
public sealed class CalendarFeedRateLimitTests(RateLimitedCalendarFixture api) : IClassFixture<RateLimitedCalendarFixture>
{
    [Fact]
    public async Task A_feed_address_fetched_too_often_is_told_when_to_come_back_and_other_feeds_are_not_held_up()
    {
        var (jo, kim) = (PlanBuilders.UniqueManager(), PlanBuilders.UniqueManager());
        var outreach = new OutreachService.OutreachServiceClient(api.AsAdmin);
        var joUrl = (await outreach.IssueCalendarFeedAsync(new IssueCalendarFeedRequest { Manager = jo })).Feed.Url;
        var kimUrl = (await outreach.IssueCalendarFeedAsync(new IssueCalendarFeedRequest { Manager = kim })).Feed.Url;

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
        {
            statuses.Add((await api.FetchAsync(joUrl)).Status);
        }

        var over = await api.FetchAsync(joUrl);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, over.Status);
        Assert.True(int.Parse(over.Response.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(HttpStatusCode.OK, (await api.FetchAsync(kimUrl)).Status);
    }
}

/// <summary>
/// Meeting invitations by email: scheduled, moved and cancelled with <c>send_invitations</c>, each stakeholder with an
/// address gets each change once, as an iCalendar part (METHOD:REQUEST, then CANCEL) that an independent parser reads.
/// </summary>
public sealed class MeetingInvitationTests(CalendarFixture api) : IClassFixture<CalendarFixture>
{
    [Fact]
    public async Task Each_attendee_with_an_address_gets_the_invitation_once_then_the_move_then_the_cancellation()
    {
        var brm = PlanBuilders.UniqueManager();
        var admin = api.AsAdmin;
        var relationships = new RelationshipService.RelationshipServiceClient(admin);
        var finance = await relationships.RegisterAsync("Finance", brm);
        var address = $"ana.{finance.Code}@finance.example";
        var ana = (await relationships.AddStakeholderAsync(Stakeholder(finance, "Ana Ortiz", StakeholderLevel.Manager, address))).StakeholderId;
        var ben = (await relationships.AddStakeholderAsync(Stakeholder(finance, "Ben Li", StakeholderLevel.Staff))).StakeholderId;
        var meetings = new MeetingService.MeetingServiceClient(api.As(brm, Role.Brm));
        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(10).AddHours(14), TimeSpan.Zero);
        var schedule = new ScheduleMeetingRequest
        {
            RequestId = Guid.NewGuid().ToString(), RelationshipId = finance.Id, Kind = MeetingKind.FaceToFace, Topic = "Roadmap for next year",
            Start = At(start), DurationMinutes = 60, Organiser = "Jane Doe", Location = "Room 2", InvitedStakeholderIds = { ana, ben }, SendInvitations = true,
        };

        var twoLines = await FailsWith(StatusCode.InvalidArgument, meetings.ScheduleMeetingAsync(new ScheduleMeetingRequest(schedule)
        {
            RequestId = "", Location = "Room 2\nthen the canteen",
        }));
        Assert.Equal(["location"], twoLines.ViolatedFields());

        var scheduled = (await meetings.ScheduleMeetingAsync(schedule)).Meeting;
        Assert.Equal(scheduled, (await meetings.ScheduleMeetingAsync(schedule)).Meeting); // a retry: the first answer, nothing queued again
        var invited = await InvitationsAsync(meetings, scheduled.Id, i => i.Count == 2);
        Assert.Equal(
            [(ana, 0, false, MeetingInvitationStatus.Sent), (ben, 0, false, MeetingInvitationStatus.Failed)],
            invited.Select(i => (i.StakeholderId, i.Sequence, i.Cancellation, i.Status)));
        Assert.Contains("no email address", invited[1].FailureReason, StringComparison.Ordinal);

        var request = Assert.Single(MailsTo(address));
        Assert.Equal([address], request.Recipients);
        Assert.StartsWith("Invitation: Roadmap for next year (IT)", request.Message.Subject, StringComparison.Ordinal);
        var part = CalendarPart(request.Message);
        Assert.Equal("REQUEST", part.ContentType.Parameters["method"]);
        var invitation = await IcsReader.ReadAsync(Bytes(part));
        Assert.Equal("REQUEST", invitation.GetProperty("properties").GetProperty("METHOD").GetString());
        var vevent = Assert.Single(invitation.EventsByUid()).Value;
        Assert.Equal($"meeting-{scheduled.Id}@brm-crm", vevent.Text("UID"));
        Assert.Equal(("0", "CONFIRMED", "Room 2"), (vevent.Text("SEQUENCE"), vevent.Text("STATUS"), vevent.Text("LOCATION")));
        Assert.Equal([($"mailto:{address}", "Ana Ortiz")], vevent.Attendees()); // the recipient only: no one else's address
        Assert.Equal("mailto:brm@it.example", vevent.Text("ORGANIZER"));
        Assert.Equal(start.ToString("yyyy-MM-ddTHH:mm:ss+00:00", CultureInfo.InvariantCulture), vevent.GetProperty("DTSTART").GetProperty("value").GetString());

        // Moved: the new time, a higher SEQUENCE, the same UID.
        await meetings.RescheduleMeetingAsync(new RescheduleMeetingRequest
        {
            MeetingId = scheduled.Id, Start = At(start.AddDays(1)), Reason = "the CFO is away", SendInvitations = true,
        });
        await InvitationsAsync(meetings, scheduled.Id, i => i.All(x => x.Sequence == 1));
        var move = await EventOfAsync(MailTo(address, "Moved: "), "REQUEST");
        Assert.Equal(($"meeting-{scheduled.Id}@brm-crm", "1"), (move.Text("UID"), move.Text("SEQUENCE")));
        Assert.Equal(start.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ss+00:00", CultureInfo.InvariantCulture), move.GetProperty("DTSTART").GetProperty("value").GetString());

        // Cancelled: to whoever was sent an invitation, and nobody else.
        var cancelled = await meetings.CancelMeetingAsync(new CancelMeetingRequest { MeetingId = scheduled.Id, Reason = "Budget frozen", SendInvitations = true });
        var last = await InvitationsAsync(meetings, scheduled.Id, i => i.Any(x => x.Cancellation));
        Assert.Equal(
            [(ana, 2, true, MeetingInvitationStatus.Sent), (ben, 1, false, MeetingInvitationStatus.Failed)],
            last.Select(i => (i.StakeholderId, i.Sequence, i.Cancellation, i.Status)));
        var cancel = await EventOfAsync(MailTo(address, "Cancelled: "), "CANCEL");
        Assert.Equal(($"meeting-{scheduled.Id}@brm-crm", "2", "CANCELLED"), (cancel.Text("UID"), cancel.Text("SEQUENCE"), cancel.Text("STATUS")));

        // Never twice: three changes, three messages, each with its own Message-Id; the meeting's stream holds the three
        // changes and the five outcomes (Ana's three, Ben's two failures), the last one after the cancellation.
        var mails = MailsTo(address);
        Assert.Equal(3, mails.Count);
        Assert.Equal(3, mails.Select(m => m.Message.MessageId).Distinct().Count());
        Assert.Equal((7L, 8L), (cancelled.Version, (await meetings.GetMeetingAsync(new GetMeetingRequest { MeetingId = scheduled.Id })).Meeting.Version));
        Assert.DoesNotContain(api.Smtp.Messages(), m => m.Recipients.Any(r => r.Contains("ben", StringComparison.OrdinalIgnoreCase)));

        // Erasing Ana masks what her invitations recorded of her address (the Message-Id is derived from it).
        await new RelationshipService.RelationshipServiceClient(api.AsAdmin).EraseStakeholderPersonalDataAsync(
            new EraseStakeholderPersonalDataRequest { RelationshipId = finance.Id, StakeholderId = ana });
        await using var session = api.Store.QuerySession();
        var sent = (await session.Events.FetchStreamAsync(Guid.Parse(scheduled.Id))).Select(e => e.Data).OfType<Brm.Domain.Meetings.MeetingInvitationSent>().ToList();
        Assert.Equal(3, sent.Count);
        Assert.All(sent, e => Assert.Equal("[erased]", e.MessageId));
    }

    private IReadOnlyList<(MimeKit.MimeMessage Message, IReadOnlyList<string> Recipients)> MailsTo(string address) =>
        [.. api.Smtp.Messages().Where(m => m.Recipients.Contains(address))];

    private MimeKit.MimeMessage MailTo(string address, string subjectPrefix) =>
        Assert.Single(MailsTo(address), m => m.Message.Subject?.StartsWith(subjectPrefix, StringComparison.Ordinal) == true).Message;

    private static MimeKit.TextPart CalendarPart(MimeKit.MimeMessage message) =>
        message.BodyParts.OfType<MimeKit.TextPart>().Single(p => p.ContentType.IsMimeType("text", "calendar"));

    /// <summary>The part's content as sent, decoded from its transfer encoding (MimeKit's Text would turn CRLF into LF).</summary>
    private static byte[] Bytes(MimeKit.TextPart part)
    {
        using var content = new MemoryStream();
        part.Content!.DecodeTo(content);
        return content.ToArray();
    }

    private static async Task<JsonElement> EventOfAsync(MimeKit.MimeMessage message, string method)
    {
        var part = CalendarPart(message);
        Assert.Equal(method, part.ContentType.Parameters["method"]);
        var calendar = await IcsReader.ReadAsync(Bytes(part));
        Assert.Equal(method, calendar.GetProperty("properties").GetProperty("METHOD").GetString());
        return Assert.Single(calendar.EventsByUid()).Value;
    }

    /// <summary>The meeting's recorded invitations once <paramref name="done"/> holds of them (they are sent after the call, in the background).</summary>
    private static async Task<IReadOnlyList<MeetingInvitation>> InvitationsAsync(
        MeetingService.MeetingServiceClient meetings, string meetingId, Func<IReadOnlyList<MeetingInvitation>, bool> done)
    {
        IReadOnlyList<MeetingInvitation> invitations = [];
        await OutreachDeliveryTests.Until(async () =>
        {
            invitations = [.. (await meetings.GetMeetingAsync(new GetMeetingRequest { MeetingId = meetingId })).Meeting.Invitations];
            return invitations.Count > 0 && done(invitations);
        });
        return invitations;
    }
}
