using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.CommitmentBuilders;
using static Brm.Api.Tests.Support.FeedbackBuilders;
using static Brm.Api.Tests.Support.MeetingBuilders;
using static Brm.Api.Tests.Support.PlanBuilders;

namespace Brm.Api.Tests;

/// <summary>ComposeUpdate through the real channel: what a draft reports of the record, and the requests it refuses.</summary>
public sealed class OutreachComposeTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Brm = "brm.compose";
    private const string MovedReason = "The supplier delivers the new hardware three weeks late";
    private const string CancelledReason = "The floor move was called off by facilities";

    private OutreachService.OutreachServiceClient Outreach => new(api.Channel);

    /// <summary>
    /// Finance, with everything an update can report for the month ending 2 November 2026, and what it must not: a
    /// commitment delivered before the period and one the business does not see.
    /// </summary>
    private sealed record Finance(
        Department Department, string PlanItemId, string NeedId, string Delivered, string Moved, string Cancelled, string ComingDue, string Hidden,
        string Old, string FromFeedback, string Actioned, string Declined, string Meeting, string Conversation);

    private async Task<Finance> FinanceAsync()
    {
        api.Clock.Set(On(2026, 9, 10));
        var registered = await api.Relationships.RegisterAsync("Finance", Brm);
        var fiona = await api.Relationships.AddStakeholderAsync(Stakeholder(registered, "Fiona Chief", StakeholderLevel.Executive, "fiona@example.com"));
        var department = new Department(fiona.Relationship, new Dictionary<string, string> { ["Fiona Chief"] = fiona.StakeholderId });
        await api.Relationships.RecordCommunicationPreferenceAsync(new RecordCommunicationPreferenceRequest
        {
            RelationshipId = department.Id, Channel = Channel.Email, Audience = "all staff",
        });
        var need = await api.Relationships.RecordInformationNeedAsync(new RecordInformationNeedRequest
        {
            RelationshipId = department.Id, Description = "Outages that hit month-end", Priority = Priority.High,
        });
        var item = await api.Plans.AddPlanItemAsync(new AddPlanItemRequest
        {
            RelationshipId = department.Id, StartsOn = Day(new DateOnly(2026, 9, 10)),
            Item = new PlanItemDetails
            {
                What = "Monthly IT update", InformationNeedId = need.InformationNeedId, Channel = Channel.Email, Audience = "all staff",
                Cadence = Cadence.Monthly, Owner = Brm,
            },
        });
        var old = await MakeAsync(department, "Old work", new DateOnly(2026, 9, 25));
        api.Clock.Set(On(2026, 9, 20));
        await DeliverAsync(old, On(2026, 9, 20));

        api.Clock.Set(On(2026, 10, 5));
        var delivered = await MakeAsync(department, "Expense tool", new DateOnly(2026, 10, 20));
        var moved = await MakeAsync(department, "VPN upgrade", new DateOnly(2026, 10, 30));
        var cancelled = await MakeAsync(department, "Printer move", new DateOnly(2026, 11, 30));
        var comingDue = await MakeAsync(department, "Month-end report pack", new DateOnly(2026, 11, 15));
        var hidden = await MakeAsync(department, "Internal clean-up", new DateOnly(2026, 10, 20), visible: false);
        var warned = await api.Feedback.SubmitAsync(Give(department, "Fiona Chief", "Warn us before outages"));
        await api.Feedback.AcknowledgeAsync(warned);
        var actioned = await api.Feedback.ActionWithNewAsync(warned, "Outage notices a week ahead", new DateOnly(2026, 11, 25));
        var laptops = await api.Feedback.SubmitAsync(Give(department, "Fiona Chief", "A second laptop for everyone"));
        await api.Feedback.AcknowledgeAsync(laptops);
        await api.Feedback.DeclineAsync(laptops);
        var review = Schedule(department, On(2026, 10, 15), "Fiona Chief");
        review.Topic = "Quarterly service review";
        var meeting = await api.Meetings.ScheduleMeetingAsync(review);

        api.Clock.Set(On(2026, 10, 15, 11));
        await api.Meetings.HoldMeetingAsync(Hold(meeting.Meeting, department, "Fiona Chief"));
        var conversation = await api.Meetings.LogConversationAsync(Conversation(department, On(2026, 10, 15, 10), "Fiona Chief"));

        api.Clock.Set(On(2026, 10, 18));
        await DeliverAsync(delivered, On(2026, 10, 18));
        await DeliverAsync(hidden, On(2026, 10, 18));

        api.Clock.Set(On(2026, 10, 20));
        await api.Commitments.RenegotiateCommitmentAsync(new RenegotiateCommitmentRequest
        {
            CommitmentId = moved, DueDate = Day(new DateOnly(2026, 11, 20)), Reason = MovedReason,
        });
        await api.Commitments.CancelCommitmentAsync(new CancelCommitmentRequest { CommitmentId = cancelled, Reason = CancelledReason });

        api.Clock.Set(On(2026, 11, 2));
        return new Finance(department, item.PlanItemId, need.InformationNeedId, delivered, moved, cancelled, comingDue, hidden, old,
            actioned.Commitment.Id, warned.Id, laptops.Id, meeting.Meeting.Id, conversation.Meeting.Id);
    }

    private async Task<string> MakeAsync(Department department, string title, DateOnly due, bool visible = true)
    {
        var request = Commitment(department.Relationship, title, due);
        request.VisibleToBusiness = visible;
        return (await api.Commitments.MakeCommitmentAsync(request)).Commitment.Id;
    }

    private async Task DeliverAsync(string commitmentId, DateTimeOffset at) =>
        await api.Commitments.DeliverCommitmentAsync(new DeliverCommitmentRequest { CommitmentId = commitmentId, DeliveredAt = At(at) });

    private static ComposeUpdateRequest Compose(string relationshipId, DateOnly? from = null, DateOnly? to = null, string planItemId = "") => new()
    {
        RelationshipId = relationshipId,
        PlanItemId = planItemId,
        Period = from is { } f && to is { } t ? new Period { From = Day(f), To = Day(t) } : null,
    };

    [Fact]
    public async Task A_draft_reports_exactly_what_the_business_may_see_of_the_month_ending_today()
    {
        var finance = await FinanceAsync();

        var draft = (await new OutreachService.OutreachServiceClient(api.ChannelAs(Brm, Role.Brm))
            .ComposeUpdateAsync(Compose(finance.Department.Id, planItemId: finance.PlanItemId))).Draft;

        Assert.Equal((Day(new DateOnly(2026, 10, 3)), Day(new DateOnly(2026, 11, 2))), (draft.Period.From, draft.Period.To));
        Assert.Equal(
            new[]
            {
                (UpdateFactKind.CommitmentDelivered, finance.Delivered),
                (UpdateFactKind.CommitmentRenegotiated, finance.Moved),
                (UpdateFactKind.CommitmentCancelled, finance.Cancelled),
                (UpdateFactKind.CommitmentComingDue, finance.ComingDue),
                (UpdateFactKind.CommitmentComingDue, finance.Moved),
                (UpdateFactKind.CommitmentComingDue, finance.FromFeedback),
                (UpdateFactKind.FeedbackActioned, finance.Actioned),
                (UpdateFactKind.FeedbackDeclined, finance.Declined),
                (UpdateFactKind.Meeting, finance.Meeting), // held at its start, 9:00
                (UpdateFactKind.Meeting, finance.Conversation), // 10:00
                (UpdateFactKind.InformationNeed, finance.NeedId),
            },
            draft.Facts.Select(f => (f.Kind, f.Id)));
        Assert.Equal("IT update for Finance: 3 October to 2 November 2026", draft.Subject);
        var body = draft.BodyMarkdown;
        Assert.Contains("- Expense tool: done on time", body, StringComparison.Ordinal);
        Assert.Contains($"- VPN upgrade: now due 20 November (was 30 October). {MovedReason}", body, StringComparison.Ordinal);
        Assert.Contains($"- Printer move: {CancelledReason}", body, StringComparison.Ordinal);
        Assert.Contains("You told us: “Warn us before outages”. We are on it: Outage notices a week ahead, due 25 November.", body, StringComparison.Ordinal);
        Assert.Contains($"You asked: “A second laptop for everyone”. We can't do this: {BudgetReason}", body, StringComparison.Ordinal);
        Assert.Contains("- Month-end report pack, due 15 November", body, StringComparison.Ordinal);
        Assert.Contains("We met twice: Quarterly service review (15 October), coffee chat (15 October).", body, StringComparison.Ordinal);
        Assert.Contains("Outages that hit month-end", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Internal clean-up", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Old work", body, StringComparison.Ordinal);
        Assert.Contains("<li>Expense tool: done on time</li>", draft.BodyHtml, StringComparison.Ordinal);
        Assert.Equal(1, draft.TemplateVersion);
        Assert.Equal(finance.PlanItemId, draft.PlanItemId);
        var recipient = Assert.Single(draft.DefaultRecipients);
        Assert.Equal((finance.Department["Fiona Chief"], "Fiona Chief", "fiona@example.com"), (recipient.StakeholderId, recipient.Name, recipient.Email));
    }

    [Fact]
    public async Task A_given_period_reports_that_period_and_the_record_as_it_stood_at_its_end()
    {
        var finance = await FinanceAsync();

        var september = (await Outreach.ComposeUpdateAsync(Compose(finance.Department.Id, new DateOnly(2026, 9, 1), new DateOnly(2026, 9, 30)))).Draft;

        Assert.Equal(
            [(UpdateFactKind.CommitmentDelivered, finance.Old)],
            september.Facts.Select(f => (f.Kind, f.Id)));
        Assert.Empty(september.PlanItemId);
        Assert.Contains("Old work", september.BodyMarkdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markup_in_the_record_prints_literally_and_never_becomes_html()
    {
        api.Clock.Set(On(2026, 11, 1));
        var department = await api.Relationships.RegisterAsync("R&D <Lab>", Brm);
        var title = "*x* <script>alert('owned')</script> [click](javascript:alert(1)) <img src=x onerror=alert(1)>";
        var made = await api.Commitments.MakeCommitmentAsync(Commitment(department, title, new DateOnly(2026, 11, 1)));
        await DeliverAsync(made.Commitment.Id, On(2026, 11, 1));
        api.Clock.Set(On(2026, 11, 2));

        var draft = (await Outreach.ComposeUpdateAsync(Compose(department.Id))).Draft;

        Assert.DoesNotContain("<script", draft.BodyHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", draft.BodyHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<em>", draft.BodyHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("href", draft.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("*x* &lt;script&gt;alert('owned')&lt;/script&gt; [click](javascript:alert(1)) &lt;img src=x onerror=alert(1)&gt;", draft.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("R&amp;D &lt;Lab&gt;", draft.BodyHtml, StringComparison.Ordinal);
        Assert.Contains(@"\*x\* \<script\>", draft.BodyMarkdown, StringComparison.Ordinal);
        Assert.Equal("IT update for R&D <Lab>: 3 October to 2 November 2026", draft.Subject);
    }

    public static TheoryData<string, string, string> BadPeriods() => new()
    {
        { "2026-11-01", "2026-11-03", "period.to" }, // ends after today (2 November)
        { "2026-11-02", "2026-11-01", "period.from" }, // starts after it ends
        { "2025-10-31", "2026-11-02", "period.from" }, // 367 days before it ends
        { "2026-02-30", "2026-03-01", "period.from" }, // no such day
        { "1899-12-31", "1900-01-01", "period.from" }, // outside the days the service computes with
    };

    [Theory]
    [MemberData(nameof(BadPeriods))]
    public async Task A_bad_period_is_invalid_argument_naming_the_field(string from, string to, string field)
    {
        api.Clock.Set(On(2026, 11, 2));
        var department = await api.Relationships.RegisterAsync("Finance", Brm);
        var request = new ComposeUpdateRequest { RelationshipId = department.Id, Period = new Period { From = Parse(from), To = Parse(to) } };

        var failure = await FailsWith(StatusCode.InvalidArgument, Outreach.ComposeUpdateAsync(request));

        Assert.Equal([field], failure.ViolatedFields());
    }

    [Fact]
    public async Task A_period_of_366_days_ending_today_is_fine()
    {
        api.Clock.Set(On(2026, 11, 2));
        var department = await api.Relationships.RegisterAsync("Finance", Brm);

        var draft = (await Outreach.ComposeUpdateAsync(Compose(department.Id, new DateOnly(2025, 11, 1), new DateOnly(2026, 11, 2)))).Draft;

        Assert.Equal(Day(new DateOnly(2025, 11, 1)), draft.Period.From);
        Assert.Empty(draft.Facts);
        Assert.Contains("quiet period", draft.BodyMarkdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plan_item_must_be_an_active_item_of_the_departments_plan()
    {
        api.Clock.Set(On(2026, 11, 2));
        var department = await api.Relationships.RegisterAsync("Finance", Brm);
        var other = await api.Relationships.RegisterAsync("HR", Brm);
        var item = await api.Plans.AddPlanItemAsync(Item(department.Id, "IT update", Cadence.Monthly, Channel.Email, new DateOnly(2026, 11, 2)));
        var othersItem = await api.Plans.AddPlanItemAsync(Item(other.Id, "HR update", Cadence.Monthly, Channel.Email, new DateOnly(2026, 11, 2)));
        await api.Plans.RetirePlanItemAsync(new RetirePlanItemRequest { RelationshipId = department.Id, PlanItemId = item.PlanItemId, Reason = "replaced" });

        await FailsWith(StatusCode.NotFound, Outreach.ComposeUpdateAsync(Compose(department.Id, planItemId: othersItem.PlanItemId)));
        await FailsWith(StatusCode.NotFound, Outreach.ComposeUpdateAsync(Compose(department.Id, planItemId: Guid.NewGuid().ToString())));
        var retired = await FailsWith(StatusCode.FailedPrecondition, Outreach.ComposeUpdateAsync(Compose(department.Id, planItemId: item.PlanItemId)));
        Assert.Contains("retired", retired.Status.Detail, StringComparison.Ordinal);
        await FailsWith(StatusCode.NotFound, Outreach.ComposeUpdateAsync(Compose(Guid.NewGuid().ToString())));
        Assert.Equal(["plan_item_id"], (await FailsWith(StatusCode.InvalidArgument, Outreach.ComposeUpdateAsync(Compose(department.Id, planItemId: "nope")))).ViolatedFields());
    }

    [Fact]
    public async Task An_archived_department_can_still_be_composed_for_and_nothing_is_written()
    {
        api.Clock.Set(On(2026, 11, 2));
        var department = await api.Relationships.RegisterAsync("Finance", Brm);
        await api.Relationships.ArchiveRelationshipAsync(new ArchiveRelationshipRequest { RelationshipId = department.Id, Reason = "merged into Operations" });
        var events = await api.EventCountAsync();

        var draft = (await Outreach.ComposeUpdateAsync(Compose(department.Id))).Draft;

        Assert.Equal(department.Id, draft.RelationshipId);
        Assert.Equal(events, await api.EventCountAsync());
    }

    private static Date Parse(string day)
    {
        var parts = day.Split('-').Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new Date { Year = parts[0], Month = parts[1], Day = parts[2] };
    }
}

/// <summary>The organisation's update template through the real channel: versions, validation on save, who may set it. One fixture of its own: it changes the template every other test would compose with.</summary>
public sealed class OutreachTemplateTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private OutreachService.OutreachServiceClient Outreach => new(api.Channel);

    private static SetUpdateTemplateRequest Template(string subject, string source, long? expected = null)
    {
        var request = new SetUpdateTemplateRequest { Subject = subject, Source = source };
        if (expected is { } version)
        {
            request.ExpectedVersion = version;
        }

        return request;
    }

    [Fact]
    public async Task Set_templates_are_versions_the_default_being_1_and_compose_uses_the_one_in_force()
    {
        api.Clock.Set(On(2026, 11, 2));
        var department = await api.Relationships.RegisterAsync("Finance", "brm.template");
        var shipped = (await Outreach.GetUpdateTemplateAsync(new GetUpdateTemplateRequest { Version = 1 })).Template;
        Assert.Equal((1, ""), (shipped.Version, shipped.SetBy));
        Assert.Null(shipped.SetAt);
        Assert.Contains("{{ department.name }}", shipped.Subject, StringComparison.Ordinal);
        var before = (await Outreach.GetUpdateTemplateAsync(new GetUpdateTemplateRequest())).Template.Version; // 1 unless another test of the class set one

        var second = await Outreach.SetUpdateTemplateAsync(Template("News for {{ department.name }}", "Dear {{ department.name }},\n\nv2", expected: before));
        api.Clock.Advance(TimeSpan.FromHours(1));
        var third = await Outreach.SetUpdateTemplateAsync(Template("More news for {{ department.name }}", "Dear {{ department.name }}: v3", expected: before + 1));
        var draft = (await Outreach.ComposeUpdateAsync(new ComposeUpdateRequest { RelationshipId = department.Id })).Draft;

        Assert.Equal((before + 1, before + 1L, ApiFixture.AdminName), (second.Template.Version, second.Version, second.Template.SetBy));
        Assert.Equal((before + 2, before + 2L), (third.Template.Version, third.Version));
        Assert.Equal((before + 2, "More news for Finance", "Dear Finance: v3\n"), (draft.TemplateVersion, draft.Subject, draft.BodyMarkdown));
        Assert.Equal(third.Template, (await Outreach.GetUpdateTemplateAsync(new GetUpdateTemplateRequest())).Template);
        Assert.Equal(second.Template, (await Outreach.GetUpdateTemplateAsync(new GetUpdateTemplateRequest { Version = before + 1 })).Template);
        Assert.Equal(shipped, (await Outreach.GetUpdateTemplateAsync(new GetUpdateTemplateRequest { Version = 1 })).Template);
        await FailsWith(StatusCode.NotFound, Outreach.GetUpdateTemplateAsync(new GetUpdateTemplateRequest { Version = before + 3 }));
        Assert.Equal(["version"], (await FailsWith(StatusCode.InvalidArgument, Outreach.GetUpdateTemplateAsync(new GetUpdateTemplateRequest { Version = -1 }))).ViolatedFields());

        var events = await api.EventCountAsync();
        await FailsWith(StatusCode.Aborted, Outreach.SetUpdateTemplateAsync(Template("Stale", "based on v2", expected: before + 1)));
        var same = await Outreach.SetUpdateTemplateAsync(Template("More news for {{ department.name }}", "Dear {{ department.name }}: v3"));
        Assert.Equal(third.Template, same.Template); // the one in force again: nothing changes
        Assert.Equal(events, await api.EventCountAsync());
    }

    [Fact]
    public async Task A_template_in_force_that_fails_on_a_departments_record_makes_compose_a_failed_precondition()
    {
        api.Clock.Set(On(2026, 11, 2));
        var department = await api.Relationships.RegisterAsync("Finance", "brm.template");
        foreach (var title in new[] { "One", "Two", "Three" })
        {
            var made = await api.Commitments.MakeCommitmentAsync(CommitmentBuilders.Commitment(department, title, new DateOnly(2026, 11, 2)));
            await api.Commitments.DeliverCommitmentAsync(new DeliverCommitmentRequest { CommitmentId = made.Commitment.Id });
        }

        // The samples deliver two commitments and none: this one renders them, and fails on three.
        var set = await Outreach.SetUpdateTemplateAsync(Template("Update", "{% if delivered.size == 3 %}{{ 1 | divided_by: 0 }}{% endif %}Hello"));
        var failure = await FailsWith(StatusCode.FailedPrecondition, Outreach.ComposeUpdateAsync(new ComposeUpdateRequest { RelationshipId = department.Id }));

        Assert.Contains($"version {set.Template.Version}", failure.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("divided by 0", failure.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Update", "Hello\n\n{% if %}\n", "source", "line 3, column 6")]
    [InlineData("Update", "Hello\n  {{ department.name | }}", "source", "line 2, column 23")]
    [InlineData("Update {{ x | }}", "Hello", "subject", "line 1, column 14")]
    [InlineData("Update", "{% for c in delivered %}{{ c.title }}", "source", "endfor")]
    public async Task A_template_that_does_not_parse_is_invalid_argument_with_the_line_and_column(string subject, string source, string field, string says)
    {
        var events = await api.EventCountAsync();

        var failure = await FailsWith(StatusCode.InvalidArgument, Outreach.SetUpdateTemplateAsync(Template(subject, source)));

        Assert.Equal([field], failure.ViolatedFields());
        Assert.Contains(says, failure.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(events, await api.EventCountAsync());
    }

    [Theory]
    [InlineData("{{ 1 | divided_by: 0 }}")]
    [InlineData("{{ 100 | divided_by: delivered.size }}")] // fails on the empty sample
    [InlineData("{{ department.name | shout }}")]
    [InlineData("{% include 'header' %}")]
    [InlineData("{% for i in (1..1000000) %}{{ i }}{% endfor %}")]
    public async Task A_template_that_fails_when_it_renders_is_invalid_argument(string source)
    {
        var failure = await FailsWith(StatusCode.InvalidArgument, Outreach.SetUpdateTemplateAsync(Template("Update", source)));

        Assert.Equal(["source"], failure.ViolatedFields());
        Assert.Contains("does not render", failure.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "Hello", "subject")]
    [InlineData("Two\nlines", "Hello", "subject")]
    [InlineData("Update", " \n ", "source")]
    public async Task A_template_without_a_subject_or_a_body_is_invalid_argument(string subject, string source, string field) =>
        Assert.Contains(field, (await FailsWith(StatusCode.InvalidArgument, Outreach.SetUpdateTemplateAsync(Template(subject, source)))).ViolatedFields());

    [Fact]
    public async Task Limits_on_subject_and_source_are_enforced()
    {
        var longSubject = await FailsWith(StatusCode.InvalidArgument, Outreach.SetUpdateTemplateAsync(Template(new string('s', 201), "Hello")));
        var longSource = await FailsWith(StatusCode.InvalidArgument, Outreach.SetUpdateTemplateAsync(Template("Update", new string('s', 100_001))));

        Assert.Equal(["subject"], longSubject.ViolatedFields());
        Assert.Equal(["source"], longSource.ViolatedFields());
    }

    [Fact]
    public async Task Only_an_admin_sets_the_template_and_everyone_reads_it()
    {
        var events = await api.EventCountAsync();
        var brm = new OutreachService.OutreachServiceClient(api.ChannelAs("brm.someone", Role.Brm));
        var reporter = new OutreachService.OutreachServiceClient(api.ChannelAs("reporter.someone", Role.Reporter));

        await FailsWith(StatusCode.PermissionDenied, brm.SetUpdateTemplateAsync(Template("Mine", "Hello {{ department.name }}")));
        await FailsWith(StatusCode.PermissionDenied, reporter.SetUpdateTemplateAsync(Template("Mine", "Hello {{ department.name }}")));

        Assert.Equal(events, await api.EventCountAsync());
        Assert.True((await brm.GetUpdateTemplateAsync(new GetUpdateTemplateRequest())).Template.Version >= 1);
        Assert.True((await reporter.GetUpdateTemplateAsync(new GetUpdateTemplateRequest { Version = 1 })).Template.Version == 1);
    }
}
