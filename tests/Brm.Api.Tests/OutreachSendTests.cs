using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.CommitmentBuilders;
using static Brm.Api.Tests.Support.FeedbackBuilders;
using static Brm.Api.Tests.Support.MeetingBuilders;
using static Brm.Api.Tests.Support.PlanBuilders;
using Events = Brm.Domain.Outreach;

namespace Brm.Api.Tests;

/// <summary>
/// SendUpdate, GetUpdate and ListUpdates through the real service: the update recorded with its effects in one
/// transaction (the plan kept, commitments informed, declines told), every rule that refuses it, reading, paging and
/// access. Delivery goes to the fixture's pickup folder; OutreachDeliveryTests exercises it through a real SMTP server.
/// </summary>
public sealed class OutreachSendTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Subject = "Finance and IT, October";
    private const string Body = "# October\n\nThe **month-end report** is fixed.\n\n- The expense tool moves to 30 November.\n";

    /// <summary>
    /// Finance on 30 October 2026: managed by its own BRM; Ana and Ben have email addresses, Cleo has none; a monthly
    /// email update since 1 October; a commitment delivered, one renegotiated with its reason, one open, one the business
    /// does not see; feedback from Ana declined with its reason and not yet told.
    /// </summary>
    private sealed record Finance(
        Department Department, string Brm, string PlanItemId, string Delivered, string Renegotiated, string Open, string Hidden, string Declined)
    {
        public string Id => Department.Id;

        public UpdateFact[] Facts =>
        [
            new() { Kind = UpdateFactKind.CommitmentDelivered, Id = Delivered },
            new() { Kind = UpdateFactKind.CommitmentRenegotiated, Id = Renegotiated },
            new() { Kind = UpdateFactKind.CommitmentComingDue, Id = Open },
            new() { Kind = UpdateFactKind.FeedbackDeclined, Id = Declined },
        ];

        public SendUpdateRequest Send(params UpdateFact[] facts) => new()
        {
            RelationshipId = Id, PlanItemId = PlanItemId, Subject = Subject, BodyMarkdown = Body,
            Period = new Period { From = Day(new DateOnly(2026, 10, 1)), To = Day(new DateOnly(2026, 10, 30)) },
            Facts = { facts },
        };
    }

    private async Task<Finance> FinanceAsync()
    {
        var brm = UniqueManager();
        api.Clock.Set(On(2026, 10, 1));
        var relationship = await api.Relationships.RegisterAsync("Finance", brm);
        var ids = new Dictionary<string, string>();
        foreach (var (name, email) in new[] { ("Ana", "ana@finance.example"), ("Ben", "ben@finance.example"), ("Cleo", "") })
        {
            ids[name] = (await api.Relationships.AddStakeholderAsync(Stakeholder(relationship, name, StakeholderLevel.Staff, email))).StakeholderId;
        }

        var department = new Department(relationship, ids);
        var item = await api.Plans.AddPlanItemAsync(Item(department.Id, "IT update", Cadence.Monthly, Channel.Email, new DateOnly(2026, 10, 1)));
        var delivered = await MakeAsync(relationship, "Month-end report fix");
        var renegotiated = await MakeAsync(relationship, "New expense tool");
        var open = await MakeAsync(relationship, "Faster VPN");
        var hidden = await api.Commitments.MakeCommitmentAsync(
            new MakeCommitmentRequest(Commitment(relationship, "Internal clean-up", new DateOnly(2026, 10, 20))) { VisibleToBusiness = false });
        var laptops = await api.Feedback.SubmitAsync(Give(department, "Ana", "A second laptop for everyone, please"));
        await api.Feedback.AcknowledgeAsync(laptops);
        await api.Feedback.DeclineAsync(laptops);

        api.Clock.Set(On(2026, 10, 15));
        await api.Commitments.DeliverCommitmentAsync(new DeliverCommitmentRequest { CommitmentId = delivered, Note = "fixed" });
        await api.Commitments.DeliverCommitmentAsync(new DeliverCommitmentRequest { CommitmentId = hidden.Commitment.Id });
        await api.Commitments.RenegotiateCommitmentAsync(new RenegotiateCommitmentRequest
        {
            CommitmentId = renegotiated, DueDate = Day(new DateOnly(2026, 11, 30)), Reason = "the supplier delivers late",
        });
        api.Clock.Set(On(2026, 10, 30));
        return new Finance(department, brm, item.PlanItemId, delivered, renegotiated, open, hidden.Commitment.Id, laptops.Id);
    }

    private async Task<string> MakeAsync(Relationship relationship, string title) =>
        (await api.Commitments.MakeCommitmentAsync(Commitment(relationship, title, new DateOnly(2026, 10, 20)))).Commitment.Id;

    private OutreachService.OutreachServiceClient OutreachAs(string name, Role role) => new(api.ChannelAs(name, role));

    [Fact]
    public async Task Sending_records_the_exact_update_keeps_the_plan_informs_the_commitments_and_tells_the_decline()
    {
        var finance = await FinanceAsync();
        var untoldBefore = await api.Plans.GetAgendaAsync(new GetAgendaRequest { Manager = finance.Brm });
        Assert.Contains(untoldBefore.Entries, e => e.SubjectId == finance.Declined && e.UntoldDecline);
        var healthBefore = await HealthSignalsAsync(finance.Id);

        var sent = await OutreachAs(finance.Brm, Role.Brm).SendUpdateAsync(finance.Send(finance.Facts));

        // The answer: the update as sent, every delivery pending, the new stream at version 1.
        var update = sent.Update;
        Assert.Equal(1, sent.Version);
        Assert.Equal((finance.Id, finance.PlanItemId, Subject, Body, finance.Brm, At(On(2026, 10, 30)), 1L),
            (update.RelationshipId, update.PlanItemId, update.Subject, update.BodyMarkdown, update.SentBy, update.SentAt, update.Version));
        Assert.Equal(new Period { From = Day(new DateOnly(2026, 10, 1)), To = Day(new DateOnly(2026, 10, 30)) }, update.Period);
        Assert.Equal(finance.Facts, update.Facts);
        Assert.Equal(
            [(finance.Department["Ana"], "Ana", "ana@finance.example"), (finance.Department["Ben"], "Ben", "ben@finance.example")],
            update.Deliveries.Select(d => (d.Recipient.StakeholderId, d.Recipient.Name, d.Recipient.Email)));
        Assert.All(update.Deliveries, d => Assert.Equal((DeliveryStatus.Pending, "", 0), (d.Status, d.MessageId, d.Attempts)));
        Assert.Contains("<strong>month-end report</strong>", update.BodyHtml, StringComparison.Ordinal);

        // Delivered after the commit: to each recipient, with its own Message-Id.
        var delivered = await api.DeliveredAsync(update.Id);
        Assert.Equal((update.Subject, update.BodyMarkdown, update.Facts, 3L), (delivered.Subject, delivered.BodyMarkdown, delivered.Facts, delivered.Version));
        Assert.Equal(update.Deliveries.Select(d => d.Recipient), delivered.Deliveries.Select(d => d.Recipient));
        Assert.All(delivered.Deliveries, d => Assert.Equal((DeliveryStatus.Delivered, 1), (d.Status, d.Attempts)));
        Assert.Equal(2, delivered.Deliveries.Select(d => d.MessageId).Where(id => id.Length > 0).Distinct().Count());

        // The timeline says what was sent, to whom and when, and each delivery.
        await api.WaitForProjectionsAsync();
        var timeline = (await api.Reporting.GetTimelineAsync(new GetTimelineRequest { RelationshipId = finance.Id })).Entries;
        Assert.Contains(timeline, e => e.Summary == $"Sent the update \"{Subject}\" to Ana, Ben (2 recipients)" && e.OccurredAt == update.SentAt);
        Assert.Contains(timeline, e => e.Summary == "Delivered the update to ana@finance.example");

        // As of the moment it was sent (the test's clock stands still: delivered in the same instant): the update and
        // its deliveries; a moment before: nothing sent.
        GetRelationshipAsOfResponse AsOf(DateTimeOffset at) =>
            api.Reporting.GetRelationshipAsOf(new GetRelationshipAsOfRequest { RelationshipId = finance.Id, AsOf = At(at) });
        var then = Assert.Single(AsOf(update.SentAt.ToDateTimeOffset()).UpdatesSent);
        Assert.Equal((update.Id, Subject, ""), (then.Id, then.Subject, then.BodyHtml));
        Assert.Equal(delivered.Deliveries, then.Deliveries);
        Assert.Empty(AsOf(update.SentAt.ToDateTimeOffset().AddSeconds(-1)).UpdatesSent);

        // The event: the exact content and recipients.
        await using (var session = api.Store.QuerySession())
        {
            var stored = Assert.IsType<Events.UpdateSent>((await session.Events.FetchStreamAsync(Guid.Parse(update.Id)))[0].Data);
            Assert.Equal((Subject, Body, new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 30)), (stored.Subject, stored.BodyMarkdown, stored.PeriodFrom, stored.PeriodTo));
            Assert.Equal(["ana@finance.example", "ben@finance.example"], stored.Recipients.Select(r => r.Email));
            Assert.Equal(finance.Facts.Select(f => ((int)f.Kind, Guid.Parse(f.Id))), stored.Facts.Select(f => ((int)f.Kind, f.Id)));
            Assert.Equal(Guid.Parse(update.CommunicationId), stored.CommunicationId);
        }

        // The plan: the communication recorded against the item, and its period kept on time.
        var plan = (await api.Plans.GetPlanAsync(new GetPlanRequest { RelationshipId = finance.Id })).Plan;
        var communication = Assert.Single(plan.RecentCommunications);
        Assert.Equal((update.CommunicationId, finance.PlanItemId, Channel.Email, Subject, "", update.SentAt),
            (communication.Id, communication.PlanItemId, communication.Channel, communication.Summary, communication.Link, communication.DeliveredAt));
        api.Clock.Set(On(2026, 11, 20));
        var item = (await api.Plans.GetPlanAsync(new GetPlanRequest { RelationshipId = finance.Id })).Plan.Items.Single();
        Assert.Equal(PeriodOutcome.OnTime, Assert.Single(item.RecentPeriods).Outcome);
        Assert.Equal((1, 0, 0), (item.Adherence.OnTime, item.Adherence.Late, item.Adherence.Missed));

        // The commitments reported delivered and renegotiated are informed; the one coming due has nothing to tell.
        string[] recipients = [finance.Department["Ana"], finance.Department["Ben"]];
        foreach (var (id, outcome) in new[] { (finance.Delivered, CommitmentOutcome.Delivered), (finance.Renegotiated, CommitmentOutcome.Renegotiated) })
        {
            var commitment = (await api.Commitments.GetCommitmentAsync(new GetCommitmentRequest { CommitmentId = id })).Commitment;
            Assert.True(commitment.OutcomeTold);
            var told = commitment.History[^1];
            Assert.Equal((CommitmentChangeKind.BusinessInformed, outcome, Channel.Email, $"Told in the update: {Subject}", finance.Brm, update.SentAt),
                (told.Kind, told.Outcome, told.Channel, told.Text, told.By, told.At));
            Assert.Equal(recipients, told.StakeholderIds);
        }

        var open = (await api.Commitments.GetCommitmentAsync(new GetCommitmentRequest { CommitmentId = finance.Open })).Commitment;
        Assert.DoesNotContain(open.History, h => h.Kind == CommitmentChangeKind.BusinessInformed);

        // The decline is told, its reason the response: the loop is closed and the agenda no longer shows it.
        var feedback = (await api.Feedback.GetFeedbackAsync(new GetFeedbackRequest { FeedbackId = finance.Declined })).Feedback;
        Assert.True(feedback.LoopClosed);
        Assert.Equal((BudgetReason, Channel.Email, update.SentAt), (feedback.Response.Text, feedback.Response.Channel, feedback.Response.SentAt));
        Assert.Equal(recipients, feedback.Response.StakeholderIds);
        var agenda = await api.Plans.GetAgendaAsync(new GetAgendaRequest { Manager = finance.Brm });
        Assert.DoesNotContain(agenda.Entries, e => e.SubjectId == finance.Declined);

        // Health moves with it: the decline is no longer untold, the loop is closed, the plan is kept.
        var healthAfter = await HealthSignalsAsync(finance.Id);
        Assert.True(healthAfter["declines_not_told"] > healthBefore["declines_not_told"], $"{healthBefore["declines_not_told"]} -> {healthAfter["declines_not_told"]}");
        Assert.True(healthAfter["feedback_loops_closed"] > healthBefore["feedback_loops_closed"], $"{healthBefore["feedback_loops_closed"]} -> {healthAfter["feedback_loops_closed"]}");
        Assert.Equal(1.0, healthAfter["plan_adherence"]);
    }

    private async Task<Dictionary<string, double>> HealthSignalsAsync(string relationshipId)
    {
        var health = await api.Reporting.GetRelationshipHealthAsync(new GetRelationshipHealthRequest { RelationshipId = relationshipId });
        return health.Signals.ToDictionary(s => s.Name, s => s.HasScore ? s.Score : -1);
    }

    [Fact]
    public async Task Every_effect_carries_the_update_id_in_the_feed()
    {
        var finance = await FinanceAsync();

        var update = (await api.Outreach.SendUpdateAsync(finance.Send(finance.Facts))).Update;

        await api.DeliveredAsync(update.Id);
        await api.WaitForProjectionsAsync();
        using var call = api.Reporting.StreamEvents(new StreamEventsRequest { RelationshipIds = { finance.Id } }, deadline: DateTime.UtcNow.AddSeconds(30));
        var events = new List<FeedEvent>();
        await foreach (var message in call.ResponseStream.ReadAllAsync())
        {
            if (message.ItemCase == StreamEventsResponse.ItemOneofCase.Event)
            {
                events.Add(message.Event);
            }
        }

        // The two deliveries follow the update's transaction, each its own.
        Assert.Equal(["update_delivered", "update_delivered"], events.TakeLast(2).Select(e => e.EventType));
        Assert.All(events.TakeLast(2), e => Assert.Equal(update.Id, e.Payload.UpdateDelivered.UpdateId));
        events.RemoveRange(events.Count - 2, 2);

        // The update's transaction: the last five events before, in whatever order the streams were written.
        var sent = events.TakeLast(5).OrderBy(e => e.EventType, StringComparer.Ordinal).ToList();
        Assert.Equal(
            ["business_informed", "business_informed", "communication_delivered", "feedback_response_sent", "update_sent"],
            sent.Select(e => e.EventType));
        var updateSent = sent[4].Payload.UpdateSent;
        Assert.Equal((update.Id, Subject, Body, 2, 4), (updateSent.UpdateId, updateSent.Subject, updateSent.BodyMarkdown, updateSent.Recipients.Count, updateSent.Facts.Count));
        Assert.Equal(
            [update.Id, update.Id, update.Id, update.Id],
            [
                sent[0].Payload.BusinessInformed.UpdateId, sent[1].Payload.BusinessInformed.UpdateId,
                sent[2].Payload.CommunicationDelivered.UpdateId, sent[3].Payload.FeedbackResponseSent.UpdateId,
            ]);
        Assert.Equal([finance.Delivered, finance.Renegotiated], sent.Take(2).Select(e => e.Payload.BusinessInformed.CommitmentId).Order());
        Assert.All(sent, e => Assert.Equal(sent[0].CorrelationId, e.CorrelationId));
        Assert.DoesNotContain(events.SkipLast(5), e => e.EventType is "update_sent" or "business_informed" or "feedback_response_sent");
    }

    [Fact]
    public async Task A_repeated_request_id_returns_the_first_answer_and_appends_nothing()
    {
        var finance = await FinanceAsync();
        var request = finance.Send(finance.Facts);
        request.RequestId = Guid.NewGuid().ToString();

        var first = await api.Outreach.SendUpdateAsync(request);
        await api.DeliveredAsync(first.Update.Id);
        var events = await api.EventCountAsync();
        api.Clock.Advance(TimeSpan.FromMinutes(5));
        var again = await api.Outreach.SendUpdateAsync(request);

        Assert.Equal(first, again);
        Assert.Equal(events, await api.EventCountAsync());
        var list = await api.Outreach.ListUpdatesAsync(new ListUpdatesRequest { RelationshipId = finance.Id });
        Assert.Equal([first.Update.Id], list.Updates.Select(u => u.Id));
    }

    [Fact]
    public async Task Facts_already_told_change_nothing_but_the_update_still_goes()
    {
        var finance = await FinanceAsync();
        await api.Commitments.RecordBusinessInformedAsync(new RecordBusinessInformedRequest
        {
            CommitmentId = finance.Delivered, Channel = Channel.FaceToFace, Message = "Told Ana at the coffee machine",
            StakeholderIds = { finance.Department["Ana"] },
        });
        await api.Feedback.RespondAsync(new V1.Feedback { Id = finance.Declined }, BudgetReason, finance.Department["Ana"]);
        var before = await api.EventCountAsync();

        var update = (await api.Outreach.SendUpdateAsync(finance.Send(
            new UpdateFact { Kind = UpdateFactKind.CommitmentDelivered, Id = finance.Delivered },
            new UpdateFact { Kind = UpdateFactKind.FeedbackDeclined, Id = finance.Declined }))).Update;

        await api.DeliveredAsync(update.Id);
        Assert.Equal(before + 2 + 2, await api.EventCountAsync()); // UpdateSent and CommunicationDelivered only, then the two deliveries
        var delivered = (await api.Commitments.GetCommitmentAsync(new GetCommitmentRequest { CommitmentId = finance.Delivered })).Commitment;
        Assert.Single(delivered.History, h => h.Kind == CommitmentChangeKind.BusinessInformed);
        Assert.Equal(2, update.Facts.Count);
    }

    [Fact]
    public async Task Meetings_information_needs_and_feedback_acted_on_are_reported_and_change_nothing_else()
    {
        var finance = await FinanceAsync();
        var conversation = (await api.Meetings.LogConversationAsync(Conversation(finance.Department, On(2026, 10, 20), "Ana"))).Meeting;
        var need = await api.Relationships.RecordInformationNeedAsync(new RecordInformationNeedRequest
        {
            RelationshipId = finance.Id, Description = "Outages that hit month-end", Priority = Priority.High,
        });
        var wish = await api.Feedback.SubmitAsync(Give(finance.Department, "Ben", "Please fix the VPN"));
        await api.Feedback.AcknowledgeAsync(wish);
        await api.Feedback.ActionFeedbackAsync(new ActionFeedbackRequest { FeedbackId = wish.Id, CommitmentId = finance.Open });
        UpdateFact[] facts =
        [
            new() { Kind = UpdateFactKind.Meeting, Id = conversation.Id },
            new() { Kind = UpdateFactKind.InformationNeed, Id = need.InformationNeedId },
            new() { Kind = UpdateFactKind.FeedbackActioned, Id = wish.Id },
        ];
        var before = await api.EventCountAsync();

        var update = (await api.Outreach.SendUpdateAsync(finance.Send(facts))).Update;

        Assert.Equal(facts, update.Facts);
        await api.DeliveredAsync(update.Id);
        Assert.Equal(before + 2 + 2, await api.EventCountAsync()); // UpdateSent and CommunicationDelivered only, then the two deliveries
        Assert.False((await api.Feedback.GetFeedbackAsync(new GetFeedbackRequest { FeedbackId = wish.Id })).Feedback.LoopClosed);
    }

    [Fact]
    public async Task Stakeholders_and_addresses_named_are_the_recipients_one_per_address()
    {
        var finance = await FinanceAsync();
        var request = finance.Send();
        request.StakeholderIds.Add(finance.Department["Ana"]);
        request.Addresses.Add("ANA@finance.example");
        request.Addresses.Add("board@finance.example");

        var update = (await api.Outreach.SendUpdateAsync(request)).Update;

        Assert.Equal(
            [(finance.Department["Ana"], "ana@finance.example"), ("", "board@finance.example")],
            update.Deliveries.Select(d => (d.Recipient.StakeholderId, d.Recipient.Email)));
    }

    [Fact]
    public async Task No_period_is_the_month_ending_today()
    {
        var finance = await FinanceAsync();
        var request = finance.Send();
        request.Period = null;

        var update = (await api.Outreach.SendUpdateAsync(request)).Update;

        Assert.Equal(new Period { From = Day(new DateOnly(2026, 10, 1)), To = Day(new DateOnly(2026, 10, 30)) }, update.Period);
    }

    public static TheoryData<string> Refusals() =>
    [
        "archived", "unknown plan item", "retired plan item", "period ending after today", "foreign fact", "wrong kind of fact",
        "fact the business does not see", "unknown fact", "stakeholder without an email", "erased stakeholder", "unknown stakeholder",
        "no recipients", "bad address", "subject of two lines", "period starting after it ends", "plan item not started",
        "meeting not held", "fact naming another kind of thing",
    ];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_update_writes_nothing_and_says_why(string refusal)
    {
        var finance = await FinanceAsync();
        var request = finance.Send(finance.Facts);
        var (status, says) = (StatusCode.FailedPrecondition, "");
        switch (refusal)
        {
            case "archived":
                await api.Relationships.ArchiveRelationshipAsync(new ArchiveRelationshipRequest { RelationshipId = finance.Id, Reason = "merged" });
                says = "archived";
                break;
            case "unknown plan item":
                request.PlanItemId = Guid.NewGuid().ToString();
                (status, says) = (StatusCode.NotFound, request.PlanItemId);
                break;
            case "retired plan item":
                await api.Plans.RetirePlanItemAsync(new RetirePlanItemRequest { RelationshipId = finance.Id, PlanItemId = finance.PlanItemId, Reason = "intranet" });
                says = "retired";
                break;
            case "plan item not started":
                var later = await api.Plans.AddPlanItemAsync(Item(finance.Id, "Quarterly review", Cadence.Quarterly, Channel.Email, new DateOnly(2026, 12, 1)));
                request.PlanItemId = later.PlanItemId;
                says = "2026-12-01";
                break;
            case "period ending after today":
                request.Period.To = Day(new DateOnly(2026, 10, 31));
                says = "after today";
                break;
            case "foreign fact":
                var other = await api.Relationships.RegisterAsync("Legal");
                var foreign = (await api.Commitments.MakeCommitmentAsync(Commitment(other, "Contract archive", new DateOnly(2026, 11, 20)))).Commitment.Id;
                request.Facts.Add(new UpdateFact { Kind = UpdateFactKind.CommitmentComingDue, Id = foreign });
                says = $"commitment {foreign} belongs to another relationship";
                break;
            case "wrong kind of fact":
                request.Facts.Add(new UpdateFact { Kind = UpdateFactKind.CommitmentDelivered, Id = finance.Open });
                says = $"commitment {finance.Open} is open, not delivered";
                break;
            case "fact the business does not see":
                request.Facts.Add(new UpdateFact { Kind = UpdateFactKind.CommitmentDelivered, Id = finance.Hidden });
                says = $"commitment {finance.Hidden} is not visible to the business";
                break;
            case "meeting not held":
                var meeting = (await api.Meetings.ScheduleMeetingAsync(Schedule(finance.Department, On(2026, 11, 3), "Ana"))).Meeting;
                request.Facts.Add(new UpdateFact { Kind = UpdateFactKind.Meeting, Id = meeting.Id });
                says = $"meeting {meeting.Id} is scheduled, not held";
                break;
            case "fact naming another kind of thing":
                request.Facts.Add(new UpdateFact { Kind = UpdateFactKind.CommitmentDelivered, Id = finance.Declined });
                (status, says) = (StatusCode.NotFound, $"commitment {finance.Declined}");
                break;
            case "unknown fact":
                var unknown = Guid.NewGuid().ToString();
                request.Facts.Add(new UpdateFact { Kind = UpdateFactKind.FeedbackDeclined, Id = unknown });
                (status, says) = (StatusCode.NotFound, unknown);
                break;
            case "stakeholder without an email":
                request.StakeholderIds.Add(finance.Department["Ana"]);
                request.StakeholderIds.Add(finance.Department["Cleo"]);
                says = $"stakeholder {finance.Department["Cleo"]} (Cleo) has no email address";
                break;
            case "erased stakeholder":
                await api.Relationships.EraseStakeholderPersonalDataAsync(new EraseStakeholderPersonalDataRequest
                {
                    RelationshipId = finance.Id, StakeholderId = finance.Department["Ben"],
                });
                request.StakeholderIds.Add(finance.Department["Ben"]);
                says = $"stakeholder {finance.Department["Ben"]} was erased";
                break;
            case "unknown stakeholder":
                var nobody = Guid.NewGuid().ToString();
                request.StakeholderIds.Add(nobody);
                (status, says) = (StatusCode.NotFound, nobody);
                break;
            case "no recipients":
                var chat = await api.Plans.AddPlanItemAsync(Item(finance.Id, "Outages", Cadence.Weekly, Channel.Chat, new DateOnly(2026, 10, 30)));
                request.PlanItemId = chat.PlanItemId;
                says = "at least one recipient";
                break;
            case "bad address":
                request.Addresses.Add("not an address");
                (status, says) = (StatusCode.InvalidArgument, "addresses[0]");
                break;
            case "subject of two lines":
                request.Subject = "October\nand November";
                (status, says) = (StatusCode.InvalidArgument, "subject");
                break;
            case "period starting after it ends":
                request.Period.From = Day(new DateOnly(2026, 10, 30));
                request.Period.To = Day(new DateOnly(2026, 10, 1));
                (status, says) = (StatusCode.InvalidArgument, "period");
                break;
        }

        var before = await api.EventCountAsync();

        var failure = await FailsWith(status, api.Outreach.SendUpdateAsync(request));

        if (status == StatusCode.InvalidArgument)
        {
            Assert.Equal([says], failure.ViolatedFields());
        }
        else
        {
            Assert.Contains(says, failure.Status.Detail, StringComparison.Ordinal);
        }

        Assert.Equal(before, await api.EventCountAsync());
        Assert.Empty((await api.Outreach.ListUpdatesAsync(new ListUpdatesRequest { RelationshipId = finance.Id })).Updates);
    }

    [Fact]
    public async Task Updates_list_newest_first_page_by_page_without_their_html()
    {
        var finance = await FinanceAsync();
        var sent = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            var request = finance.Send();
            request.Subject = $"Update {i}";
            sent.Add((await api.Outreach.SendUpdateAsync(request)).Update.Id);
            api.Clock.Advance(TimeSpan.FromHours(1));
        }

        var first = await api.Outreach.ListUpdatesAsync(new ListUpdatesRequest { RelationshipId = finance.Id, PageSize = 2 });
        var second = await api.Outreach.ListUpdatesAsync(
            new ListUpdatesRequest { RelationshipId = finance.Id, PageSize = 2, PageToken = first.NextPageToken });

        Assert.Equal(["Update 3", "Update 2"], first.Updates.Select(u => u.Subject));
        Assert.Equal(["Update 1"], second.Updates.Select(u => u.Subject));
        Assert.Equal("", second.NextPageToken);
        Assert.Equal(Enumerable.Reverse(sent), first.Updates.Concat(second.Updates).Select(u => u.Id));
        Assert.All(first.Updates.Concat(second.Updates), u => Assert.Equal(("", Body), (u.BodyHtml, u.BodyMarkdown)));
        var other = await api.Relationships.RegisterAsync("Legal");
        Assert.Empty((await api.Outreach.ListUpdatesAsync(new ListUpdatesRequest { RelationshipId = other.Id })).Updates);
        await FailsWith(StatusCode.NotFound, api.Outreach.ListUpdatesAsync(new ListUpdatesRequest { RelationshipId = Guid.NewGuid().ToString() }));
        var wrongList = await FailsWith(StatusCode.InvalidArgument, api.Outreach.ListUpdatesAsync(
            new ListUpdatesRequest { RelationshipId = other.Id, PageSize = 2, PageToken = first.NextPageToken }));
        Assert.Equal(["page_token"], wrongList.ViolatedFields());
    }

    [Fact]
    public async Task An_unknown_update_or_another_kind_of_id_is_not_found()
    {
        var finance = await FinanceAsync();

        await FailsWith(StatusCode.NotFound, api.Outreach.GetUpdateAsync(new GetUpdateRequest { UpdateId = Guid.NewGuid().ToString() }));
        await FailsWith(StatusCode.NotFound, api.Outreach.GetUpdateAsync(new GetUpdateRequest { UpdateId = finance.Delivered }));
        await FailsWith(StatusCode.NotFound, api.Outreach.GetUpdateAsync(new GetUpdateRequest { UpdateId = finance.Id }));
        var bad = await FailsWith(StatusCode.InvalidArgument, api.Outreach.GetUpdateAsync(new GetUpdateRequest { UpdateId = "update-1" }));
        Assert.Equal(["update_id"], bad.ViolatedFields());
    }

    [Fact]
    public async Task Only_the_departments_brm_or_an_admin_sends_and_a_reporter_reads()
    {
        var finance = await FinanceAsync();
        var before = await api.EventCountAsync();

        await FailsWith(StatusCode.PermissionDenied, OutreachAs("brm.of.legal", Role.Brm).SendUpdateAsync(finance.Send()));
        await FailsWith(StatusCode.PermissionDenied, OutreachAs("reporter.tests", Role.Reporter).SendUpdateAsync(finance.Send()));
        Assert.Equal(before, await api.EventCountAsync());

        var sent = (await api.Outreach.SendUpdateAsync(finance.Send())).Update;
        var update = await api.DeliveredAsync(sent.Id);
        var reporter = OutreachAs("reporter.tests", Role.Reporter);
        Assert.Equal(update, (await reporter.GetUpdateAsync(new GetUpdateRequest { UpdateId = update.Id })).Update);
        var listed = await reporter.ListUpdatesAsync(new ListUpdatesRequest { RelationshipId = finance.Id });
        Assert.Equal([update.Id], listed.Updates.Select(u => u.Id));
        Assert.Equal(ApiFixture.AdminName, update.SentBy);
    }

    [Fact]
    public async Task Events_stored_before_updates_existed_load_without_an_update_id()
    {
        var serializer = api.Store.Options.Serializer();
        const string Stored = """
            {"CommitmentId":"0b3c1c5e-5d0a-4a39-9f0e-1f7f6a0c2b11","RelationshipId":"5d1e4f70-2a8b-4c59-8a3e-6b2d9c0f1a22","Outcome":"Delivered",
             "Channel":"Email","StakeholderIds":[],"Message":"done","InformedBy":"brm.jane","InformedAt":"2026-10-01T09:00:00+00:00"}
            """;

        var informed = serializer.FromJson<Brm.Domain.Commitments.BusinessInformed>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Stored)));

        Assert.Equal(("done", (Guid?)null), (informed.Message, informed.UpdateId));
        var again = serializer.FromJson<Brm.Domain.Commitments.BusinessInformed>(
            new MemoryStream(System.Text.Encoding.UTF8.GetBytes(serializer.ToJson(informed with { UpdateId = Guid.Empty }))));
        Assert.Equal(Guid.Empty, again.UpdateId);
    }
}
