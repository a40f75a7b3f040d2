using System.Diagnostics;
using Brm.Api.Infrastructure;
using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Trace;
using Xunit.Abstractions;
using static Brm.Api.Tests.Support.CommitmentBuilders;
using static Brm.Api.Tests.Support.FeedbackBuilders;
using static Brm.Api.Tests.Support.MeetingBuilders;
using static Brm.Api.Tests.Support.PlanBuilders;

namespace Brm.Api.Tests;

/// <summary>How GetAgenda reads the store: the PostgreSQL commands of one call, caught by OpenTelemetry's in-memory exporter.</summary>
public sealed class AgendaReadTests(AgendaReadTests.Fixture api, ITestOutputHelper output) : IClassFixture<AgendaReadTests.Fixture>
{
    public sealed class Fixture : ApiFixture
    {
        public List<Activity> Spans { get; } = [];

        public CallSpans Calls { get; } = new();

        protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new(Hosting.Telemetry.TracesSetting, "true")];

        protected override void ConfigureServices(IServiceCollection services) =>
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans).AddProcessor(Calls));

        /// <summary>The Npgsql commands of the call made with <paramref name="correlation"/>.</summary>
        public async Task<List<Activity>> CommandsAsync(string correlation)
        {
            var call = await Calls.EndedAsync(correlation);
            Services.GetRequiredService<TracerProvider>().ForceFlush();
            lock (Spans)
            {
                return [.. Spans.Where(s => s.TraceId == call.TraceId && s.Source.Name == "Npgsql")];
            }
        }
    }

    /// <summary>
    /// The agenda's reads of open commitments, open feedback and failed updates go through indexes over only those rows,
    /// and a stakeholder's latest held meeting through an index in the query's own order, so the open commitments and
    /// feedback cost what is open, not the history the departments have.
    /// </summary>
    [Theory]
    [InlineData("mt_doc_meeting", "mt_doc_meeting_idx_relationship_status_occurs_at_id", "(relationship_id, status, occurs_at, id)", "")]
    [InlineData("mt_doc_commitment", "mt_doc_commitment_idx_open_relationship_due", "(relationship_id, due_date)",
        " WHERE ((data ->> 'Status'::text) = ANY (ARRAY['Open'::text, 'InProgress'::text]))")]
    [InlineData("mt_doc_feedbackitem", "mt_doc_feedbackitem_idx_open_relationship_received", "(relationship_id, received_at)",
        " WHERE ((status)::text <> 'Responded'::text)")]
    [InlineData("mt_doc_update", "mt_doc_update_idx_failed_relationship_sent", "(relationship_id, sent_at)", " WHERE has_failed_deliveries")]
    [InlineData("mt_doc_meetingcontact", "mt_doc_meetingcontact_idx_relationship_stakeholder_at", "(relationship_id, stakeholder_id, at, meeting_id, kind)", "")]
    public async Task The_agenda_reads_only_what_is_open_through_an_index(string table, string index, string columns, string predicate)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select string_agg(indexname || ': ' || indexdef, E'\n') from pg_indexes where schemaname = 'brm' and tablename = $1", connection)
        {
            Parameters = { new() { Value = table } },
        };

        var definitions = (string?)await command.ExecuteScalarAsync();

        output.WriteLine(definitions);
        Assert.Contains($"{index}: CREATE INDEX {index} ON brm.{table} USING btree {columns}{predicate}\n", definitions + "\n", StringComparison.Ordinal);
    }

    /// <summary>
    /// A list's columns lead its composite index, and no one-column index repeats that prefix: it would be written on
    /// every row and never read (the composite serves the column alone).
    /// </summary>
    [Theory]
    [InlineData("mt_doc_commitment", "relationship_id", "(relationship_id, due_date, id)")]
    [InlineData("mt_doc_commitment", "owner", "(owner, due_date, id)")]
    [InlineData("mt_doc_timelineentry", "relationship_id", "(relationship_id, id)")]
    [InlineData("mt_doc_meeting", "relationship_id", "(relationship_id, occurs_at, id)")]
    [InlineData("mt_doc_feedbackitem", "relationship_id", "(relationship_id, received_at, id)")]
    [InlineData("mt_doc_update", "relationship_id", "(relationship_id, sent_at, id)")]
    [InlineData("mt_doc_meetingcontact", "relationship_id", "(relationship_id, stakeholder_id, at, meeting_id, kind)")]
    [InlineData("mt_doc_relationship", "manager", "(manager, lower((data ->> 'Name'::text)), id)")]
    [InlineData("mt_doc_relationship", "lower((data ->> 'Name'::text))", "(lower((data ->> 'Name'::text)), id, ((data -> 'Archived'::text)))")]
    public async Task A_column_leading_a_list_index_has_no_index_of_its_own(string table, string column, string composite)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select array_agg(substring(indexdef from ' USING btree (.*)$')) from pg_indexes where schemaname = 'brm' and tablename = $1", connection)
        {
            Parameters = { new() { Value = table } },
        };

        var indexed = (string[])(await command.ExecuteScalarAsync())!;

        output.WriteLine(string.Join("\n", indexed));
        Assert.Contains(composite, indexed);
        Assert.DoesNotContain($"({column})", indexed);
    }

    /// <summary>
    /// The store's schema as created matches its configuration: no index (the partial ones above included) is seen as
    /// changed, so a later schema comparison (a deploy that changes the schema, <c>db-assert</c>) rebuilds nothing.
    /// </summary>
    [Fact]
    public async Task The_documents_schema_matches_its_configuration()
    {
        await api.Store.Storage.Database.AssertDatabaseMatchesConfigurationAsync();
    }

    [Fact]
    public async Task The_agenda_of_a_BRM_with_three_busy_departments_is_read_in_one_round_trip()
    {
        var brm = UniqueManager();
        api.Clock.Set(On(2026, 8, 2));
        var departments = new List<Department>();
        foreach (var name in new[] { "Finance", "HR", "Sales" })
        {
            var department = await api.DepartmentAsync(name, [("Ann", StakeholderLevel.Executive), ("Bo", StakeholderLevel.Staff)], brm);
            departments.Add(department);
            await api.Plans.AddPlanItemAsync(Item(department.Id, $"{name} update", Cadence.Monthly, Channel.Email, new DateOnly(2026, 9, 1)));
            await api.Meetings.LogConversationAsync(Conversation(department, On(2026, 7, 1), "Ann", "Bo"));
            await api.Meetings.LogConversationAsync(Conversation(department, On(2026, 8, 1), "Bo"));
        }

        api.Clock.Set(On(2026, 11, 2));
        foreach (var department in departments)
        {
            await api.Commitments.MakeCommitmentAsync(Commitment(department.Relationship, "Soon", new DateOnly(2026, 11, 5)));
            await api.Commitments.MakeCommitmentAsync(Commitment(department.Relationship, "Later", new DateOnly(2026, 12, 5)));
            await api.Meetings.ScheduleMeetingAsync(Schedule(department, On(2026, 11, 4, 10)));
            await api.Feedback.SubmitAsync(Give(department, "Bo", "The VPN drops at noon"));
        }

        var correlation = "agenda-" + Guid.NewGuid().ToString("N");
        var agenda = await api.Plans.GetAgendaAsync(new GetAgendaRequest { Manager = brm }, new Metadata { { Correlation.Header, correlation } });
        var commands = await api.CommandsAsync(correlation);
        foreach (var command in commands)
        {
            output.WriteLine(string.Join(", ", command.TagObjects.Where(t => t.Key != "db.query.text" && t.Key != "db.statement").Select(t => $"{t.Key}={t.Value}")));
        }

        Assert.Single(commands);
        Assert.All(departments, d => Assert.Equal(
            [
                (AgendaEntryKind.Communication, $"{d.Relationship.Name} update"),
                (AgendaEntryKind.Commitment, "Soon"),
                (AgendaEntryKind.Feedback, "To acknowledge: The VPN drops at noon"),
                (AgendaEntryKind.Stakeholder, $"Ann (Executive of {d.Relationship.Name})"),
                (AgendaEntryKind.Stakeholder, $"Bo (Staff of {d.Relationship.Name})"),
                (AgendaEntryKind.Meeting, "IT update at the team meeting"),
            ],
            agenda.Entries.Where(e => e.Department == d.Relationship.Name).Select(e => (e.Kind, e.What)).OrderBy(e => e.Kind).ThenBy(e => e.What)));
        Assert.Equal(18, agenda.Entries.Count);
        Assert.All(
            agenda.Entries.Where(e => e.Kind == AgendaEntryKind.Stakeholder),
            e => Assert.Equal(At(e.What.StartsWith("Ann", StringComparison.Ordinal) ? On(2026, 7, 1) : On(2026, 8, 1)), e.Since));
    }

    /// <summary>
    /// A stakeholder's last contact is read from the contacts each held meeting wrote (MeetingContact); a store whose held
    /// meetings have none (kept by an older version) gets them at start-up (MeetingContactBackfill), with the ids the
    /// projection gives them, once: a second start adds nothing.
    /// </summary>
    [Fact]
    public async Task The_contacts_of_meetings_held_before_they_were_kept_are_written_at_start_up()
    {
        var brm = UniqueManager();
        api.Clock.Set(On(2026, 3, 2));
        var department = await api.DepartmentAsync("Audit", [("Fay", StakeholderLevel.Executive), ("Gus", StakeholderLevel.Staff)], brm);
        await api.Meetings.LogConversationAsync(Conversation(department, On(2026, 3, 2), "Fay", "Gus"));
        api.Clock.Set(On(2026, 3, 20));
        await api.Meetings.LogConversationAsync(Conversation(department, On(2026, 3, 20), "Gus"));
        api.Clock.Set(On(2026, 7, 1));
        var kept = await api.Plans.GetAgendaAsync(new GetAgendaRequest { Manager = brm, HorizonDays = 90 });
        var written = await ContactIdsAsync(department.Id);

        await Sql.RowsAsync(api.ConnectionString, "delete from brm.mt_doc_meetingcontact");
        var lost = await api.Plans.GetAgendaAsync(new GetAgendaRequest { Manager = brm, HorizonDays = 90 });
        var backfill = new Brm.Domain.Meetings.MeetingContactBackfill();
        await backfill.Populate(api.Store, CancellationToken.None);
        var again = await api.Plans.GetAgendaAsync(new GetAgendaRequest { Manager = brm, HorizonDays = 90 });
        var rewritten = await ContactIdsAsync(department.Id);
        await backfill.Populate(api.Store, CancellationToken.None);

        // Fay last met on 2 March, Gus on 20 March: both longer ago than the coverage window, each due from then.
        Assert.Equal([At(On(2026, 3, 2)), At(On(2026, 3, 20))], kept.Entries.Where(e => e.Kind == AgendaEntryKind.Stakeholder).Select(e => e.Since));
        Assert.All(lost.Entries.Where(e => e.Kind == AgendaEntryKind.Stakeholder), e => Assert.Equal(At(On(2026, 3, 2)), e.Since)); // added, never met
        Assert.Equal(kept.Entries, again.Entries);
        Assert.Equal(3, written.Count);
        Assert.Equal(written, rewritten);
        Assert.Equal(written, await ContactIdsAsync(department.Id));
    }

    /// <summary>The ids of the contacts stored for the relationship.</summary>
    private async Task<List<Guid>> ContactIdsAsync(string relationshipId) =>
        [.. (await Sql.RowsAsync(api.ConnectionString, $"select id from brm.mt_doc_meetingcontact where relationship_id = '{Guid.Parse(relationshipId)}' order by id"))
            .Select(row => (Guid)row[0])];

    /// <summary>
    /// Only a relationship's current stakeholders are on the agenda, a removed one is not, and each is due a conversation
    /// from their last contact, or from when they were added.
    /// </summary>
    [Fact]
    public async Task Only_current_stakeholders_are_on_the_agenda_due_from_their_last_contact_or_from_when_they_were_added()
    {
        var brm = UniqueManager();
        api.Clock.Set(On(2026, 3, 2));
        var department = await api.DepartmentAsync("Legal", [("Cy", StakeholderLevel.Executive), ("Di", StakeholderLevel.Staff), ("Ed", StakeholderLevel.Staff)], brm);
        api.Clock.Set(On(2026, 3, 10));
        await api.Meetings.LogConversationAsync(Conversation(department, On(2026, 3, 10), "Di"));
        await api.Relationships.RemoveStakeholderAsync(new RemoveStakeholderRequest { RelationshipId = department.Id, StakeholderId = department.StakeholderIds["Ed"] });

        api.Clock.Set(On(2026, 9, 1));
        var agenda = await api.Plans.GetAgendaAsync(new GetAgendaRequest { Manager = brm });

        Assert.Equal(
            [
                ($"Cy (Executive of {department.Relationship.Name})", At(On(2026, 3, 2))),
                ($"Di (Staff of {department.Relationship.Name})", At(On(2026, 3, 10))),
            ],
            agenda.Entries.Where(e => e.Kind == AgendaEntryKind.Stakeholder).Select(e => (e.What, e.Since)).OrderBy(e => e.What));
    }
}
