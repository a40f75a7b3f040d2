using System.Text;
using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.Domain;
using Brm.Domain.Idempotency;
using Brm.V1;
using Grpc.Core;
using Marten;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.MeetingBuilders;
using RelationshipDocument = Brm.Domain.Relationships.Relationship;
using StakeholderPersonalDataErased = Brm.Domain.Relationships.StakeholderPersonalDataErased;
using Priority = Brm.V1.Priority;
using StakeholderLevel = Brm.V1.StakeholderLevel;
using Channel = Brm.V1.Channel;

namespace Brm.Api.Tests;

/// <summary>EraseStakeholderPersonalData: the person's data is gone from every table, while counts and history add up.</summary>
public sealed class ErasureTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly RelationshipService.RelationshipServiceClient _admin = api.Relationships;

    [Fact]
    public async Task After_erasure_no_table_holds_the_persons_data_while_counts_and_history_add_up()
    {
        var owner = "brm.owner." + Guid.NewGuid().ToString("N")[..6];
        var brm = api.RelationshipsAs(owner, Role.Brm);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        string[] alicesData =
        [
            $"Alice Quartermaine {suffix}", $"alice.q.{suffix}@example.com", $"Head of Treasury Operations {suffix}",
            $"Alice Q. Smythe {suffix}", $"a.smythe.{suffix}@example.com", $"Treasury Director {suffix}",
        ];
        string[] carolsData = [$"Carol Danvers {suffix}", $"Carol Danvers {suffix} left for Contoso"];
        var bobsName = $"Bob Jones {suffix}";

        var finance = await _admin.RegisterAsync("Finance", owner);
        var addAlice = new AddStakeholderRequest(Stakeholder(finance, alicesData[0], StakeholderLevel.Executive, alicesData[1]))
        {
            Title = alicesData[2], RequestId = Guid.NewGuid().ToString(),
        };
        var alice = (await brm.AddStakeholderAsync(addAlice)).StakeholderId;
        await brm.AddStakeholderAsync(Stakeholder(finance, bobsName, StakeholderLevel.Staff));
        var carol = (await brm.AddStakeholderAsync(Stakeholder(finance, carolsData[0], StakeholderLevel.Manager))).StakeholderId;
        await brm.UpdateStakeholderAsync(new UpdateStakeholderRequest
        {
            RelationshipId = finance.Id, StakeholderId = alice, Name = alicesData[3], Email = alicesData[4], Title = alicesData[5],
            RequestId = Guid.NewGuid().ToString(),
        });
        await brm.RecordInformationNeedAsync(new RecordInformationNeedRequest
        {
            RelationshipId = finance.Id, Description = "quarterly cost report", Priority = Priority.High, RaisedByStakeholderId = alice,
        });
        await brm.RemoveStakeholderAsync(new RemoveStakeholderRequest { RelationshipId = finance.Id, StakeholderId = carol, Reason = carolsData[1] });
        var before = await ReadAsync(finance.Id);
        var historyBefore = await HistoryAsync(finance.Id);
        var eventsBefore = await api.EventCountAsync();
        await api.WaitForProjectionsAsync();
        foreach (var text in alicesData.Concat(carolsData))
        {
            Assert.NotEmpty(await Sweep(text)); // the sweep finds what is there
        }

        var erase = new EraseStakeholderPersonalDataRequest { RelationshipId = finance.Id, StakeholderId = alice, RequestId = Guid.NewGuid().ToString() };
        var erased = await _admin.EraseStakeholderPersonalDataAsync(erase);
        await _admin.EraseStakeholderPersonalDataAsync(new EraseStakeholderPersonalDataRequest { RelationshipId = finance.Id, StakeholderId = carol });

        // Alice stays, as a placeholder: counts, levels and the need she raised add up.
        var placeholder = erased.Relationship.Stakeholders.Single(s => s.Id == alice);
        Assert.Equal(("erased stakeholder", "", "", true, StakeholderLevel.Executive), (placeholder.Name, placeholder.Title, placeholder.Email, placeholder.Erased, placeholder.Level));
        var after = await ReadAsync(finance.Id);
        Assert.Equal(before.StakeholderCounts, after.StakeholderCounts);
        Assert.Equal(alice, Assert.Single(after.InformationNeeds).RaisedByStakeholderId);
        Assert.Equal(before.Version + 2, after.Version);

        // History: the same events by the same people, plus the two erasures, by the admin; and replaying the masked
        // stream rebuilds the very document the service serves.
        Assert.Equal(eventsBefore + 2, await api.EventCountAsync());
        var historyAfter = await HistoryAsync(finance.Id);
        Assert.Equal(
            [.. historyBefore, (nameof(StakeholderPersonalDataErased), ApiFixture.AdminName), (nameof(StakeholderPersonalDataErased), ApiFixture.AdminName)],
            historyAfter);
        await api.Store.Advanced.RebuildSingleStreamAsync<RelationshipDocument>(Guid.Parse(finance.Id));
        Assert.Equal(after, await ReadAsync(finance.Id));

        // The timeline (async) has a line for every event, the erasures included, and names nobody erased.
        await api.WaitForProjectionsAsync();
        var timeline = await api.Reporting.GetTimelineAsync(new GetTimelineRequest { RelationshipId = finance.Id });
        Assert.Equal(historyAfter.Count, timeline.Entries.Count);
        Assert.Equal("Erased a stakeholder's personal data", timeline.Entries[0].Summary);

        // No table, no event and no stored answer holds any of it; Bob's name, never erased, is still found.
        await AssertNowhereAsync(alicesData.Concat(carolsData));
        Assert.Contains($"{BrmDomain.Schema}.mt_events", await Sweep(bobsName));
        Assert.Contains($"{BrmDomain.Schema}.mt_doc_relationship", await Sweep(bobsName));
        Assert.Contains($"{BrmDomain.Schema}.mt_doc_timelineentry", await Sweep(bobsName));
        Assert.Contains($"{BrmDomain.Schema}.mt_doc_processedrequest (answers)", await Sweep(bobsName));

        // Retries: the erasure's own answer is repeated; an answer that quoted Alice is not, and nothing is appended.
        Assert.Equal(erased, await _admin.EraseStakeholderPersonalDataAsync(erase));
        var eventsNow = await api.EventCountAsync();
        var refused = await FailsWith(StatusCode.FailedPrecondition, brm.AddStakeholderAsync(addAlice));
        Assert.Contains("erased", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(eventsNow, await api.EventCountAsync());
    }

    [Fact]
    public async Task Words_said_in_a_conversation_with_the_person_alone_are_erased_and_a_group_meetings_points_stay()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var quote = $"The month-end close takes us three days {suffix}";
        var groupPoint = $"Expense approvals are slow {suffix}";
        var finance = await api.DepartmentAsync("Finance", [("Dora Quote", StakeholderLevel.Staff), ("Eli Group", StakeholderLevel.Staff)]);
        var alone = await api.Meetings.LogConversationAsync(new LogConversationRequest(Conversation(finance, null, "Dora Quote"))
        {
            RequestId = Guid.NewGuid().ToString(),
            Conversation = { BusinessRaised = { new RaisedPoint { Text = quote, Kind = RaisedPointKind.Concern } } },
        });
        var group = await api.Meetings.LogConversationAsync(new LogConversationRequest(Conversation(finance, null, "Dora Quote", "Eli Group"))
        {
            Conversation = { BusinessRaised = { new RaisedPoint { Text = groupPoint } } },
        });

        await _admin.EraseStakeholderPersonalDataAsync(
            new EraseStakeholderPersonalDataRequest { RelationshipId = finance.Id, StakeholderId = finance["Dora Quote"] });
        await api.WaitForProjectionsAsync();

        var aloneNow = (await api.Meetings.GetMeetingAsync(new GetMeetingRequest { MeetingId = alone.Meeting.Id })).Meeting;
        var point = Assert.Single(aloneNow.Conversation.BusinessRaised);
        Assert.Equal(("[erased]", RaisedPointKind.Concern), (point.Text, point.Kind));
        Assert.Equal(alone.Meeting.Version, aloneNow.Version);
        var groupNow = (await api.Meetings.GetMeetingAsync(new GetMeetingRequest { MeetingId = group.Meeting.Id })).Meeting;
        Assert.Equal(groupPoint, Assert.Single(groupNow.Conversation.BusinessRaised).Text);
        var coverage = await api.Meetings.GetStakeholderCoverageAsync(new GetStakeholderCoverageRequest { RelationshipId = finance.Id });
        Assert.Equal(2, coverage.Levels.Staff.Contacted); // the erased person still counts as contacted
        await AssertNowhereAsync([quote, "Dora Quote"]);
        Assert.Contains($"{BrmDomain.Schema}.mt_doc_meeting", await Sweep(groupPoint));
    }

    [Fact]
    public async Task Feedback_given_under_the_persons_name_loses_its_words_and_anonymous_feedback_keeps_them()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var named = $"My team waits days for a new laptop {suffix}";
        var anonymous = $"Nobody reads the IT newsletter {suffix}";
        var finance = await api.DepartmentAsync("Finance", [("Fay Named", StakeholderLevel.Staff)]);
        var given = await api.Feedback.SubmitFeedbackAsync(new SubmitFeedbackRequest(FeedbackBuilders.Give(finance, "Fay Named", named, rating: 2))
        {
            RequestId = Guid.NewGuid().ToString(),
        });
        var unnamed = await api.Feedback.SubmitAsync(FeedbackBuilders.Give(finance, null, anonymous));

        await _admin.EraseStakeholderPersonalDataAsync(
            new EraseStakeholderPersonalDataRequest { RelationshipId = finance.Id, StakeholderId = finance["Fay Named"] });
        await api.WaitForProjectionsAsync();

        var now = (await api.Feedback.GetFeedbackAsync(new GetFeedbackRequest { FeedbackId = given.Feedback.Id })).Feedback;
        Assert.Equal(("[erased]", 2, finance["Fay Named"], given.Version), (now.Comment, now.Rating, now.FromStakeholderId, now.Version));
        Assert.Equal(anonymous, (await api.Feedback.GetFeedbackAsync(new GetFeedbackRequest { FeedbackId = unnamed.Id })).Feedback.Comment);
        await AssertNowhereAsync([named, "Fay Named"]);
        Assert.Contains($"{BrmDomain.Schema}.mt_doc_feedbackitem", await Sweep(anonymous));
    }

    [Fact]
    public async Task An_update_sent_to_the_person_and_quoting_them_loses_their_name_address_and_words_and_stays_delivered()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (name, email, comment) = ($"Ana Lopez {suffix}", $"ana.{suffix}@finance.example", $"Payroll exports break every Friday {suffix}");
        var finance = await _admin.RegisterAsync("Finance", ApiFixture.AdminName);
        var ana = (await _admin.AddStakeholderAsync(Stakeholder(finance, name, StakeholderLevel.Manager, email))).StakeholderId;
        var item = await api.Plans.AddPlanItemAsync(PlanBuilders.Item(finance.Id, "IT update", Cadence.Monthly, Channel.Email, DateOnly.FromDateTime(api.Clock.GetUtcNow().UtcDateTime)));
        var feedback = await api.Feedback.SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            RelationshipId = finance.Id, FromStakeholderId = ana, Channel = Channel.Email, Comment = comment,
        });
        await api.Feedback.AcknowledgeFeedbackAsync(new AcknowledgeFeedbackRequest { FeedbackId = feedback.Feedback.Id });
        await api.Feedback.DeclineFeedbackAsync(new DeclineFeedbackRequest
        {
            FeedbackId = feedback.Feedback.Id, Reason = "The export job belongs to the vendor and its contract ends in March.",
        });
        var promise = await api.Commitments.MakeCommitmentAsync(CommitmentBuilders.Commitment(finance, "Faster payroll exports",
            DateOnly.FromDateTime(api.Clock.GetUtcNow().UtcDateTime).AddDays(10)));
        await api.Commitments.DeliverCommitmentAsync(new DeliverCommitmentRequest { CommitmentId = promise.Commitment.Id });
        var draft = (await api.Outreach.ComposeUpdateAsync(new ComposeUpdateRequest { RelationshipId = finance.Id, PlanItemId = item.PlanItemId })).Draft;
        Assert.Contains(comment, draft.BodyMarkdown, StringComparison.Ordinal);
        Assert.Contains(draft.Facts, f => f.Kind == UpdateFactKind.CommitmentDelivered && f.Id == promise.Commitment.Id);
        var sent = await api.Outreach.SendUpdateAsync(new SendUpdateRequest
        {
            RelationshipId = finance.Id, PlanItemId = item.PlanItemId, Subject = $"Finance and IT: for {name}", BodyMarkdown = $"Dear {name},\n\n{draft.BodyMarkdown}",
            Facts = { draft.Facts }, StakeholderIds = { ana }, Addresses = { "cfo@finance.example" },
        });
        var delivered = await api.DeliveredAsync(sent.Update.Id);
        Assert.All(delivered.Deliveries, d => Assert.Equal(DeliveryStatus.Delivered, d.Status));

        await _admin.EraseStakeholderPersonalDataAsync(new EraseStakeholderPersonalDataRequest { RelationshipId = finance.Id, StakeholderId = ana });
        await api.WaitForProjectionsAsync();

        var update = (await api.Outreach.GetUpdateAsync(new GetUpdateRequest { UpdateId = sent.Update.Id })).Update;
        Assert.Equal("Finance and IT: for [erased]", update.Subject);
        Assert.StartsWith("Dear [erased],", update.BodyMarkdown, StringComparison.Ordinal);
        Assert.Contains("“[erased]”", update.BodyMarkdown, StringComparison.Ordinal);
        Assert.Equal(
            [("erased stakeholder", $"erased-{ana}@erased.invalid", DeliveryStatus.Delivered), ("", "cfo@finance.example", DeliveryStatus.Delivered)],
            update.Deliveries.Select(d => (d.Recipient.Name, d.Recipient.Email, d.Status)));
        var told = (await api.Commitments.GetCommitmentAsync(new GetCommitmentRequest { CommitmentId = promise.Commitment.Id })).Commitment.History[^1];
        Assert.Equal((CommitmentChangeKind.BusinessInformed, "Told in the update: Finance and IT: for [erased]"), (told.Kind, told.Text));
        await AssertNowhereAsync([name, email, comment]);
        Assert.Contains($"{BrmDomain.Schema}.mt_doc_update", await Sweep("cfo@finance.example"));

        // Erasing again finds nothing left to mask: the update's events and document stay as they are.
        var masked = await StoredAsync(sent.Update.Id);
        await _admin.EraseStakeholderPersonalDataAsync(new EraseStakeholderPersonalDataRequest { RelationshipId = finance.Id, StakeholderId = ana });
        Assert.Equal(masked, await StoredAsync(sent.Update.Id));
    }

    [Fact]
    public async Task An_archived_relationship_still_erases_and_an_erased_stakeholder_cannot_be_updated()
    {
        var finance = await _admin.RegisterAsync("Finance");
        var alice = (await _admin.AddStakeholderAsync(Stakeholder(finance, "Alice Archived", StakeholderLevel.Staff))).StakeholderId;
        var erase = new EraseStakeholderPersonalDataRequest { RelationshipId = finance.Id, StakeholderId = alice };

        await _admin.ArchiveRelationshipAsync(new ArchiveRelationshipRequest { RelationshipId = finance.Id, Reason = "merged" });
        var erased = await _admin.EraseStakeholderPersonalDataAsync(erase);
        var again = await _admin.EraseStakeholderPersonalDataAsync(erase);

        Assert.True(erased.Relationship.Stakeholders.Single().Erased);
        Assert.Equal(erased.Version, again.Version);
        await api.WaitForProjectionsAsync();
        await AssertNowhereAsync(["Alice Archived"]);

        var live = await _admin.RegisterAsync("Legal");
        var bob = (await _admin.AddStakeholderAsync(Stakeholder(live, "Bob Live", StakeholderLevel.Staff))).StakeholderId;
        await _admin.EraseStakeholderPersonalDataAsync(new EraseStakeholderPersonalDataRequest { RelationshipId = live.Id, StakeholderId = bob });
        await FailsWith(StatusCode.FailedPrecondition, _admin.UpdateStakeholderAsync(new UpdateStakeholderRequest
        {
            RelationshipId = live.Id, StakeholderId = bob, Name = "Bob Live",
        }));
    }

    [Fact]
    public async Task Erasing_a_person_leaves_the_stored_answers_that_do_not_quote_them_repeatable()
    {
        // Their title, "e", is in nearly every answer's bytes; only the answers that carry their id quoted them.
        var finance = await _admin.RegisterAsync("Finance");
        var register = new RegisterDepartmentRequest { Code = UniqueCode(), Name = "Legal", RequestId = Guid.NewGuid().ToString() };
        var registered = await _admin.RegisterDepartmentAsync(register);
        var add = new AddStakeholderRequest(Stakeholder(finance, "Ed", StakeholderLevel.Staff)) { Title = "e", RequestId = Guid.NewGuid().ToString() };
        var ed = (await _admin.AddStakeholderAsync(add)).StakeholderId;

        await _admin.EraseStakeholderPersonalDataAsync(new EraseStakeholderPersonalDataRequest { RelationshipId = finance.Id, StakeholderId = ed });

        Assert.Equal(registered, await _admin.RegisterDepartmentAsync(register));
        await FailsWith(StatusCode.FailedPrecondition, _admin.AddStakeholderAsync(add));
    }

    [Fact]
    public async Task Erasure_racing_writers_on_the_same_person_leaves_no_trace_of_them()
    {
        // Eight writers quote the person (their words in a conversation with them alone, their feedback, a meeting that
        // invites them, each with a request_id so the answer is stored) while the erasure runs. A write that read the
        // person before the erasure either commits before it (and is erased with the rest) or is refused.
        const int writers = 8;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var name = $"Xena Racer {suffix}";
        var finance = await api.DepartmentAsync("Finance", [(name, StakeholderLevel.Staff)]);
        var written = 0;
        var underWay = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var erasure = underWay.Task.ContinueWith(
            _ => _admin.EraseStakeholderPersonalDataAsync(
                new EraseStakeholderPersonalDataRequest { RelationshipId = finance.Id, StakeholderId = finance[name] }).ResponseAsync,
            TaskScheduler.Default).Unwrap();

        async Task Write(int writer)
        {
            for (var i = 0; !erasure.IsCompleted; i++)
            {
                var words = $"{suffix} said {writer}.{i}";
                Task call = (writer % 3) switch
                {
                    0 => api.Meetings.LogConversationAsync(new LogConversationRequest(Conversation(finance, null, name))
                    {
                        RequestId = Guid.NewGuid().ToString(),
                        Conversation = { BusinessRaised = { new RaisedPoint { Text = words, Kind = RaisedPointKind.Concern } } },
                    }).ResponseAsync,
                    1 => api.Feedback.SubmitFeedbackAsync(new SubmitFeedbackRequest(FeedbackBuilders.Give(finance, name, words, rating: 3))
                    {
                        RequestId = Guid.NewGuid().ToString(),
                    }).ResponseAsync,
                    _ => api.Meetings.ScheduleMeetingAsync(new ScheduleMeetingRequest(Schedule(finance, api.Clock.GetUtcNow().AddDays(3), name))
                    {
                        RequestId = Guid.NewGuid().ToString(),
                    }).ResponseAsync,
                };
                try
                {
                    await call;
                    if (Interlocked.Increment(ref written) == 2 * writers)
                    {
                        underWay.TrySetResult();
                    }
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Aborted or StatusCode.FailedPrecondition or StatusCode.NotFound)
                {
                    // refused: the erasure won
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, writers).Select(Write));
        await erasure;
        await api.WaitForProjectionsAsync();

        Assert.True(written >= 2 * writers);
        await AssertNowhereAsync([suffix]);
    }

    [Fact]
    public async Task An_unknown_stakeholder_is_not_found()
    {
        var finance = await _admin.RegisterAsync("Finance");

        await FailsWith(StatusCode.NotFound, _admin.EraseStakeholderPersonalDataAsync(new EraseStakeholderPersonalDataRequest
        {
            RelationshipId = finance.Id, StakeholderId = Guid.NewGuid().ToString(),
        }));
    }

    private async Task AssertNowhereAsync(IEnumerable<string> texts)
    {
        foreach (var text in texts)
        {
            var holders = await Sweep(text);
            Assert.True(holders.Count == 0, $"'{text}' is still in {string.Join(", ", holders)}");
        }
    }

    /// <summary>The update's events and its document, as stored.</summary>
    private async Task<IReadOnlyList<string>> StoredAsync(string updateId)
    {
        await using var session = api.Store.QuerySession();
        return await session.QueryAsync<string>(
            $"select t from (select seq_id as n, data::text as t from {BrmDomain.Schema}.mt_events where stream_id = ? "
            + $"union all select 0, data::text from {BrmDomain.Schema}.mt_doc_update where id = ?) as x order by n",
            Guid.Parse(updateId), Guid.Parse(updateId));
    }

    private async Task<V1.Relationship> ReadAsync(string id) =>
        (await _admin.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = id })).Relationship;

    private async Task<List<(string Type, string? By)>> HistoryAsync(string id)
    {
        await using var session = api.Store.QuerySession();
        return [.. (await session.Events.FetchStreamAsync(Guid.Parse(id))).Select(e => (e.EventType.Name, e.UserName))];
    }

    /// <summary>
    /// Every table of every schema whose rows contain <paramref name="text"/> (case-insensitive), plus the stored
    /// answers of retried requests, whose protobuf bytes are kept compressed.
    /// </summary>
    private async Task<List<string>> Sweep(string text)
    {
        await using var session = api.Store.QuerySession();
        var tables = await session.QueryAsync<string>(
            """
            select quote_ident(table_schema) || '.' || quote_ident(table_name) from information_schema.tables
            where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
            """);
        var found = new List<string>();
        foreach (var table in tables)
        {
            var rows = await session.QueryAsync<long>($"select count(*) from {table} as t where t::text ilike ?", $"%{text}%");
            if (rows.Single() > 0)
            {
                found.Add(table);
            }
        }

        var answers = await session.Query<ProcessedRequest>().ToListAsync();
        if (answers.Any(a => !a.Erased && Encoding.UTF8.GetString(a.Answer()).Contains(text, StringComparison.OrdinalIgnoreCase)))
        {
            found.Add($"{BrmDomain.Schema}.mt_doc_processedrequest (answers)");
        }

        return found;
    }
}
