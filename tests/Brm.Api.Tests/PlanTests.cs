using Brm.Api.Tests.Support;
using Brm.V1;
using PlanSettlement = Brm.Domain.CommunicationPlans.PlanSettlement;
using StoreCompression = Brm.Domain.StoreCompression;
using Grpc.Core;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.CommitmentBuilders;
using static Brm.Api.Tests.Support.PlanBuilders;

namespace Brm.Api.Tests;

/// <summary>Every CommunicationPlanService RPC and its errors, through the real channel.</summary>
public sealed class PlanTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly DateOnly Today = new(2026, 11, 2);

    private async Task<Relationship> DepartmentAsync(string? manager = null)
    {
        api.Clock.Set(On(2026, 11, 2));
        return await api.Relationships.RegisterAsync("Finance", manager ?? UniqueManager());
    }

    [Fact]
    public async Task Adding_items_past_the_monthly_threshold_succeeds_with_a_warning_and_the_agenda_shows_the_load()
    {
        var brm = UniqueManager();
        var finance = await DepartmentAsync(brm);
        var hr = await api.Relationships.RegisterAsync("HR", brm);
        var answers = new List<AddPlanItemResponse>();
        foreach (var (department, what) in new[] { (finance, "A"), (finance, "B"), (hr, "C"), (hr, "D"), (finance, "E") })
        {
            answers.Add(await api.Plans.AddPlanItemAsync(Item(department.Id, what, Cadence.Weekly, Channel.Email, Today)));
        }

        var agenda = await api.Plans.GetAgendaAsync(new GetAgendaRequest { Manager = brm });

        Assert.Equal([false, false, false, false, true], answers.Select(a => a.Warnings.LoadOverThreshold));
        Assert.Equal(21.67, answers[^1].Warnings.Load.PerMonth);
        Assert.Contains(answers[^1].Warnings.Messages, m => m.Contains("21.67", StringComparison.Ordinal));
        Assert.Equal((21.67, 20, true), (agenda.Load.PerMonth, agenda.Load.Threshold, agenda.Load.OverThreshold));
        Assert.Equal(5, agenda.Entries.Count(e => e.Kind == AgendaEntryKind.Communication));
    }

    [Fact]
    public async Task Adding_an_item_on_a_channel_the_department_did_not_ask_for_says_so()
    {
        var finance = await DepartmentAsync();
        await api.Relationships.RecordCommunicationPreferenceAsync(new RecordCommunicationPreferenceRequest
        {
            RelationshipId = finance.Id, Channel = Channel.TeamMeeting, Audience = "managers",
        });

        var added = await api.Plans.AddPlanItemAsync(Item(finance.Id, "IT update", Cadence.Monthly, Channel.Newsletter, Today));

        Assert.True(added.Warnings.ChannelNotPreferred);
        Assert.Equal([Channel.TeamMeeting], added.Warnings.PreferredChannels);
        Assert.Single(added.Plan.Items);
        Assert.Equal(1, added.Version);
    }

    [Fact]
    public async Task An_item_answers_an_information_need_of_its_relationship()
    {
        var finance = await DepartmentAsync();
        var need = await api.Relationships.RecordInformationNeedAsync(new RecordInformationNeedRequest
        {
            RelationshipId = finance.Id, Description = "Planned outages before month-end", Priority = Priority.High,
        });
        var request = Item(finance.Id, "Outage calendar", Cadence.Monthly, Channel.Email, Today);
        request.Item.InformationNeedId = need.InformationNeedId;

        var added = await api.Plans.AddPlanItemAsync(request);
        request.Item.InformationNeedId = Guid.NewGuid().ToString();

        Assert.Equal(need.InformationNeedId, added.Plan.Items[0].InformationNeedId);
        await FailsWith(StatusCode.NotFound, api.Plans.AddPlanItemAsync(request));
    }

    [Fact]
    public async Task Changing_an_item_replaces_its_values_and_changing_nothing_keeps_the_version()
    {
        var finance = await DepartmentAsync();
        var added = await api.Plans.AddPlanItemAsync(Item(finance.Id, "IT update", Cadence.Monthly, Channel.Email, Today));
        var details = added.Plan.Items[0];
        var change = new ChangePlanItemRequest
        {
            RelationshipId = finance.Id, PlanItemId = added.PlanItemId, ExpectedVersion = 1,
            Item = new PlanItemDetails { What = "IT news", Channel = Channel.Chat, Audience = details.Audience, Cadence = Cadence.Fortnightly, Owner = "omar" },
        };

        var changed = await api.Plans.ChangePlanItemAsync(change);
        var again = await api.Plans.ChangePlanItemAsync(new ChangePlanItemRequest(change) { ExpectedVersion = 2 });

        Assert.Equal(("IT news", Cadence.Fortnightly, Channel.Chat, "omar"), (changed.Plan.Items[0].What, changed.Plan.Items[0].Cadence,
            changed.Plan.Items[0].Channel, changed.Plan.Items[0].Owner));
        Assert.Equal((2L, 2L), (changed.Version, again.Version));
        await FailsWith(StatusCode.Aborted, api.Plans.ChangePlanItemAsync(new ChangePlanItemRequest(change) { ExpectedVersion = 1 }));
    }

    [Fact]
    public async Task A_retired_item_stops_falling_due_refuses_changes_and_retiring_again_changes_nothing()
    {
        var finance = await DepartmentAsync();
        var added = await api.Plans.AddPlanItemAsync(Item(finance.Id, "IT update", Cadence.Weekly, Channel.Email, Today));
        var retire = new RetirePlanItemRequest { RelationshipId = finance.Id, PlanItemId = added.PlanItemId, Reason = "nobody read it" };

        var retired = await api.Plans.RetirePlanItemAsync(retire);
        var again = await api.Plans.RetirePlanItemAsync(retire);
        api.Clock.Set(On(2026, 12, 1));
        var plan = (await api.Plans.GetPlanAsync(new GetPlanRequest { RelationshipId = finance.Id })).Plan;
        var change = new ChangePlanItemRequest
        {
            RelationshipId = finance.Id, PlanItemId = added.PlanItemId,
            Item = new PlanItemDetails { What = "x", Channel = Channel.Email, Audience = "all", Cadence = Cadence.Weekly, Owner = "o" },
        };

        Assert.Equal((true, "nobody read it"), (plan.Items[0].Retired, plan.Items[0].RetireReason));
        Assert.Null(plan.Items[0].NextDueOn);
        Assert.Equal(retired.Version, again.Version);
        Assert.Equal(0, plan.Load.PerMonth);
        await FailsWith(StatusCode.FailedPrecondition, api.Plans.ChangePlanItemAsync(change));
    }

    [Fact]
    public async Task An_ad_hoc_update_is_recorded_without_an_item_and_shows_among_recent_communications()
    {
        var finance = await DepartmentAsync();

        var sent = await api.Plans.RecordCommunicationAsync(new RecordCommunicationRequest
        {
            RelationshipId = finance.Id, Channel = Channel.Intranet, Summary = "Outage post-mortem", Link = "https://intranet/pm/42",
        });
        var plan = (await api.Plans.GetPlanAsync(new GetPlanRequest { RelationshipId = finance.Id })).Plan;

        var communication = Assert.Single(plan.RecentCommunications);
        Assert.Equal((sent.CommunicationId, "", "https://intranet/pm/42"), (communication.Id, communication.PlanItemId, communication.Link));
        Assert.Equal(MeetingBuilders.At(On(2026, 11, 2)), communication.DeliveredAt);
        Assert.Equal(1, plan.Version);
    }

    [Fact]
    public async Task A_relationship_without_a_plan_has_an_empty_one()
    {
        var finance = await DepartmentAsync();

        var plan = (await api.Plans.GetPlanAsync(new GetPlanRequest { RelationshipId = finance.Id })).Plan;

        Assert.Equal((0L, 0), (plan.Version, plan.Items.Count));
        Assert.False(plan.Adherence.HasOnTimeShare);
    }

    [Fact]
    public async Task A_repeated_request_id_returns_the_first_answer_and_appends_nothing()
    {
        var finance = await DepartmentAsync();
        var request = Item(finance.Id, "IT update", Cadence.Monthly, Channel.Email, Today);
        request.RequestId = Guid.NewGuid().ToString();

        var first = await api.Plans.AddPlanItemAsync(request);
        var before = await api.EventCountAsync();
        var second = await api.Plans.AddPlanItemAsync(request);

        Assert.Equal(first, second);
        Assert.Equal(before, await api.EventCountAsync());
    }

    [Fact]
    public async Task An_item_cannot_start_before_the_relationship_existed()
    {
        var finance = await DepartmentAsync();

        var failure = await FailsWith(StatusCode.FailedPrecondition,
            api.Plans.AddPlanItemAsync(Item(finance.Id, "IT update", Cadence.Monthly, Channel.Email, Today.AddDays(-1))));

        Assert.Contains("before the relationship existed", failure.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_communication_in_the_future_fails_with_failed_precondition()
    {
        var finance = await DepartmentAsync();
        var added = await api.Plans.AddPlanItemAsync(Item(finance.Id, "IT update", Cadence.Monthly, Channel.Email, Today));

        await FailsWith(StatusCode.FailedPrecondition, api.Plans.RecordCommunicationAsync(Sent(finance.Id, added.PlanItemId, On(2026, 11, 3))));
    }

    [Fact]
    public async Task Unknown_relationships_and_items_are_not_found()
    {
        var finance = await DepartmentAsync();

        await FailsWith(StatusCode.NotFound, api.Plans.GetPlanAsync(new GetPlanRequest { RelationshipId = Guid.NewGuid().ToString() }));
        await FailsWith(StatusCode.NotFound,
            api.Plans.AddPlanItemAsync(Item(Guid.NewGuid().ToString(), "IT update", Cadence.Monthly, Channel.Email, Today)));
        await FailsWith(StatusCode.NotFound, api.Plans.RetirePlanItemAsync(new RetirePlanItemRequest
        {
            RelationshipId = finance.Id, PlanItemId = Guid.NewGuid().ToString(), Reason = "x",
        }));
        await FailsWith(StatusCode.NotFound, api.Plans.RecordCommunicationAsync(Sent(finance.Id, Guid.NewGuid().ToString(), On(2026, 11, 2))));
    }

    [Fact]
    public async Task Bad_input_is_invalid_argument_naming_each_field()
    {
        var request = Item("not-a-uuid", "", Cadence.Unspecified, Channel.Unspecified, Today);
        request.StartsOn = new Date { Year = 2026, Month = 2, Day = 30 };

        var failure = await FailsWith(StatusCode.InvalidArgument, api.Plans.AddPlanItemAsync(request));
        var agenda = await FailsWith(StatusCode.InvalidArgument, api.Plans.GetAgendaAsync(new GetAgendaRequest { Manager = "", HorizonDays = 367 }));
        var record = await FailsWith(StatusCode.InvalidArgument, api.Plans.RecordCommunicationAsync(new RecordCommunicationRequest
        {
            RelationshipId = Guid.NewGuid().ToString(), Summary = " ",
        }));

        Assert.Equal(["item.cadence", "item.channel", "item.what", "relationship_id", "starts_on"], failure.ViolatedFields().Order());
        Assert.Equal(["horizon_days", "manager"], agenda.ViolatedFields().Order());
        Assert.Equal(["channel", "summary"], record.ViolatedFields().Order());
    }

    [Fact]
    public async Task An_archived_relationship_refuses_new_items()
    {
        var finance = await DepartmentAsync();
        await api.Relationships.ArchiveRelationshipAsync(new ArchiveRelationshipRequest { RelationshipId = finance.Id, Reason = "merged" });

        await FailsWith(StatusCode.FailedPrecondition, api.Plans.AddPlanItemAsync(Item(finance.Id, "IT update", Cadence.Monthly, Channel.Email, Today)));
    }

    /// <summary>The planned load counts the plans of the relationships the BRM owns that are not archived, and only those.</summary>
    [Fact]
    public async Task The_load_leaves_out_the_plan_of_an_archived_relationship()
    {
        var brm = UniqueManager();
        var finance = await DepartmentAsync(brm);
        var hr = await api.Relationships.RegisterAsync("HR", brm);
        await api.Relationships.RegisterAsync("Sales", brm);
        await api.Plans.AddPlanItemAsync(Item(finance.Id, "A", Cadence.Weekly, Channel.Email, Today));
        var both = await api.Plans.AddPlanItemAsync(Item(hr.Id, "B", Cadence.Weekly, Channel.Email, Today));
        await api.Relationships.ArchiveRelationshipAsync(new ArchiveRelationshipRequest { RelationshipId = hr.Id, Reason = "merged" });

        var added = await api.Plans.AddPlanItemAsync(Item(finance.Id, "C", Cadence.Monthly, Channel.Email, Today));
        var plan = (await api.Plans.GetPlanAsync(new GetPlanRequest { RelationshipId = finance.Id })).Plan;

        Assert.Equal(8.67, both.Warnings.Load.PerMonth);
        Assert.Equal(5.33, added.Warnings.Load.PerMonth);
        Assert.Equal(5.33, plan.Load.PerMonth);
    }

    [Fact]
    public async Task The_agenda_of_a_BRM_with_nothing_due_is_empty_and_the_horizon_widens_it()
    {
        var brm = UniqueManager();
        var finance = await DepartmentAsync(brm);
        await api.Commitments.MakeCommitmentAsync(Commitment(finance, "Far away", Today.AddDays(20)));

        var week = await api.Plans.GetAgendaAsync(new GetAgendaRequest { Manager = brm });
        var month = await api.Plans.GetAgendaAsync(new GetAgendaRequest { Manager = brm, HorizonDays = 30 });

        Assert.Empty(week.Entries);
        Assert.Equal(["Far away"], month.Entries.Select(e => e.What));
        Assert.Equal(Day(Today.AddDays(20)), month.Entries[0].DueOn);
    }
    /// <summary>
    /// The agenda finds what a plan item owes from the last period its communications settled, which the plan keeps with
    /// the item. A plan stored before items kept it (the document as an older service wrote it) would read as never
    /// settled; the start-up's settlement brings it up to date, and leaves a plan that has it as it is.
    /// </summary>
    [Fact]
    public async Task A_plan_stored_before_items_kept_their_settled_period_is_settled_again_at_start_up()
    {
        var brm = UniqueManager();
        var finance = await DepartmentAsync(brm);
        var item = await api.Plans.AddPlanItemAsync(Item(finance.Id, "IT update", Cadence.Monthly, Channel.Email, Today));
        api.Clock.Set(On(2026, 11, 20));
        await api.Plans.RecordCommunicationAsync(Sent(finance.Id, item.PlanItemId, On(2026, 11, 20)));
        api.Clock.Set(On(2026, 12, 5));
        var settled = await api.Plans.GetAgendaAsync(new GetAgendaRequest { Manager = brm, HorizonDays = 30 });

        await using (var connection = new NpgsqlConnection(api.ConnectionString))
        {
            await connection.OpenAsync();
            await using var older = new NpgsqlCommand(
                """
                update brm.mt_doc_communicationplan
                set data = jsonb_set(data, '{Items}', (select jsonb_agg(i - 'LastSettledPeriod') from jsonb_array_elements(data -> 'Items') as i))
                where relationship_id = $1
                """,
                connection) { Parameters = { new() { Value = Guid.Parse(finance.Id) } } };
            Assert.Equal(1, await older.ExecuteNonQueryAsync());
        }

        var stale = await api.Plans.GetAgendaAsync(new GetAgendaRequest { Manager = brm, HorizonDays = 30 });
        await new PlanSettlement().Populate(api.Services.GetRequiredService<IDocumentStore>(), CancellationToken.None);
        var again = await api.Plans.GetAgendaAsync(new GetAgendaRequest { Manager = brm, HorizonDays = 30 });

        // November's communication settled November: December's is due on 1 January, not overdue since 1 December.
        Assert.Equal([(Day(new DateOnly(2027, 1, 1)), false)], settled.Entries.Select(e => (e.DueOn, e.Overdue)));
        Assert.Equal([(Day(new DateOnly(2026, 12, 1)), true)], stale.Entries.Select(e => (e.DueOn, e.Overdue)));
        Assert.Equal(settled.Entries, again.Entries);
    }

    /// <summary>
    /// A manager's load sums each plan's communications per month from a column of the plan's; a plan stored by an older
    /// version, without it, is counted again at start-up (PlanSettlement).
    /// </summary>
    [Fact]
    public async Task A_plan_stored_without_its_monthly_load_column_is_counted_again_at_start_up()
    {
        var brm = UniqueManager();
        var finance = await DepartmentAsync(brm);
        var hr = await DepartmentAsync(brm);
        await api.Plans.AddPlanItemAsync(Item(finance.Id, "IT update", Cadence.Monthly, Channel.Email, Today));
        await api.Plans.AddPlanItemAsync(Item(hr.Id, "HR update", Cadence.Weekly, Channel.Email, Today));
        var counted = await api.Plans.GetPlanAsync(new GetPlanRequest { RelationshipId = finance.Id });

        await using (var connection = new NpgsqlConnection(api.ConnectionString))
        {
            await connection.OpenAsync();
            await using var older = new NpgsqlCommand(
                "update brm.mt_doc_communicationplan set planned_per_month = null where relationship_id = $1", connection)
            {
                Parameters = { new() { Value = Guid.Parse(hr.Id) } },
            };
            Assert.Equal(1, await older.ExecuteNonQueryAsync());
        }

        var uncounted = await api.Plans.GetPlanAsync(new GetPlanRequest { RelationshipId = finance.Id });
        await new PlanSettlement().Populate(api.Services.GetRequiredService<IDocumentStore>(), CancellationToken.None);
        var again = await api.Plans.GetPlanAsync(new GetPlanRequest { RelationshipId = finance.Id });

        // Monthly (1) and weekly (52 / 12 = 4.33).
        Assert.Equal(5.33, counted.Plan.Load.PerMonth);
        Assert.Equal(1, uncounted.Plan.Load.PerMonth);
        Assert.Equal(counted.Plan.Load, again.Plan.Load);
    }

    /// <summary>
    /// A plan's document, which keeps every communication, is compressed with lz4 once it is large enough to be compressed
    /// at all (StoreCompression, at start-up), and a start sets lz4 on any of the store's tables it finds still on PostgreSQL's
    /// default (a store made by an older version).
    /// </summary>
    [Fact]
    public async Task A_long_plan_is_compressed_with_lz4_and_a_start_sets_lz4_on_every_table_of_the_store()
    {
        var finance = await DepartmentAsync(UniqueManager());
        var item = await api.Plans.AddPlanItemAsync(Item(finance.Id, "IT update", Cadence.Weekly, Channel.Email, Today));
        api.Clock.Set(On(2026, 11, 20));
        for (var day = 2; day < 20; day += 2)
        {
            await api.Plans.RecordCommunicationAsync(Sent(finance.Id, item.PlanItemId, On(2026, 11, day),
                $"Weekly outage summary {day}: the VPN was down for an hour on Tuesday, the payroll export ran late, and the new expense form went live."));
        }

        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using (var plan = new NpgsqlCommand(
            "select pg_column_compression(data) from brm.mt_doc_communicationplan where relationship_id = $1", connection)
        {
            Parameters = { new() { Value = Guid.Parse(finance.Id) } },
        })
        {
            Assert.Equal("lz4", await plan.ExecuteScalarAsync());
        }

        await using (var older = new NpgsqlCommand("alter table brm.mt_doc_meeting alter column data set compression pglz", connection))
        {
            await older.ExecuteNonQueryAsync();
        }

        Assert.Contains("mt_doc_meeting", await NotLz4Async(connection));
        await new StoreCompression().Populate(api.Services.GetRequiredService<IDocumentStore>(), CancellationToken.None);
        Assert.Empty(await NotLz4Async(connection));
    }

    /// <summary>The store's tables whose data column does not compress with lz4.</summary>
    private static async Task<List<string>> NotLz4Async(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(
            """
            select c.relname from pg_attribute as a join pg_class as c on c.oid = a.attrelid join pg_namespace as n on n.oid = c.relnamespace
            where n.nspname = 'brm' and c.relkind = 'r' and a.attname = 'data' and a.attcompression <> 'l'
            """,
            connection);
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}
