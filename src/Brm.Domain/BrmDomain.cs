using Brm.Domain.Calendar;
using Brm.Domain.Commitments;
using Brm.Domain.Feedback;
using Brm.Domain.CommunicationPlans;
using Brm.Domain.Idempotency;
using Brm.Domain.Meetings;
using Brm.Domain.Outreach;
using Brm.Domain.Relationships;
using Brm.Domain.Search;
using Brm.Domain.Reporting;
using JasperFx.Events;
using JasperFx.OpenTelemetry;
using JasperFx.Events.Projections;
using Marten;
using Marten.Schema;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Weasel.Core;
using Weasel.Postgresql.Tables;

namespace Brm.Domain;

/// <summary>The one place that configures Marten for any host: the API, a future worker, the tests.</summary>
public static class BrmDomain
{
    /// <summary>The PostgreSQL schema holding the event store and every document.</summary>
    public const string Schema = "brm";

    /// <summary>A relationship's name as its lists order it (case-insensitive), in PostgreSQL's own spelling of the expression.</summary>
    private const string RelationshipNameKey = "lower((data ->> 'Name'::text))";

    /// <param name="textSearchConfig">The PostgreSQL text search configuration of the search index (Search:TextSearchConfig; default English).</param>
    public static void Configure(StoreOptions options, string connectionString, string? textSearchConfig = null)
    {
        options.Connection(WithPreparedStatements(connectionString)); // measured in docs/PERFORMANCE.md

        // A session keeps the connection it first used until it is disposed (Marten's default takes one from the
        // pool and returns it for every statement): a command's idempotency lookup, read and write go over one
        // connection, reset once. Measured in docs/PERFORMANCE.md.
        options.UseStickyConnectionLifetimes = true;
        options.DatabaseSchemaName = Schema;
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString);

        // Marten never replays a commit: a commit whose outcome is unknown (the connection died with COMMIT in
        // flight) may have appended, and replaying it would append twice. The client retries instead, with its
        // request_id, which the transaction stores with the events (docs/RELIABILITY.md). Reads keep Marten's retries.
        options.ConfigureWritePolly(_ => { });

        options.Events.StreamIdentity = StreamIdentity.AsGuid;
        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.Events.MetadataConfig.CausationIdEnabled = true;
        options.Events.MetadataConfig.UserNameEnabled = true;
        options.Events.MetadataConfig.HeadersEnabled = true;

        options.Events.AddEventTypes(EventFacts.AllEventTypes);

        // The daemon's high-water agent looks for newly committed events every 50 ms while events come and every 100 ms
        // when idle (Marten's defaults: 250 ms and 1 s), so the mark, and the feed's followers behind it, trail a commit
        // by about that (docs/reporting.md, "Follow"). Each look is one indexed query. Not LISTEN/NOTIFY
        // (UseListenNotifyForEventAppends): a NOTIFY serialises every appending transaction's commit in PostgreSQL
        // (a database-wide lock held through the WAL flush), which cost a third of the racing writers' throughput.
        options.Projections.FastPollingTime = TimeSpan.FromMilliseconds(50);
        options.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(100);

        // OpenTelemetry (ActivitySource and Meter "Marten"): a span per connection used, and marten.event.append.
        options.OpenTelemetry.TrackConnections = TrackLevel.Normal;
        options.OpenTelemetry.TrackEventCounters();

        options.Projections.Add<RelationshipProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<CommitmentProjection>(ProjectionLifecycle.Inline);
        // Relationship and owner are duplicated without one-column indexes (Commitment's DuplicatedWithoutIndex): the
        // composite indexes below lead with them.
        options.Schema.For<Commitment>()
            .Duplicate(x => x.DueDate)
            // The agenda's read of a relationship's open commitments touches only them, not every commitment ever made
            // (CommunicationPlanQueries.AgendaSourcesAsync; the predicate is the query's own filter).
            .Index([x => x.RelationshipId, x => x.DueDate], index =>
            {
                index.Name = "mt_doc_commitment_idx_open_relationship_due";
                // PostgreSQL's own form of the query's "in (...)": Weasel compares an index's definition as text, and would
                // otherwise see this one as changed at every schema comparison.
                index.Predicate = "(data ->> 'Status') = ANY (ARRAY['Open', 'InProgress'])";
            })
            // A relationship's or an owner's list (ListCommitments: one of them, then due date and id, a page at a time)
            // walks its own commitments in the list's order and stops at the page's end. With only the one-column indexes,
            // the generic plan of the prepared statement could walk the due date index through every commitment in the
            // store, filtering (docs/PERFORMANCE.md): a cost that grew with the store, not with the relationship.
            .Index([x => x.RelationshipId, x => x.DueDate, x => x.Id], index => index.Name = "mt_doc_commitment_idx_relationship_due_id")
            .Index([x => x.Owner, x => x.DueDate, x => x.Id], index => index.Name = "mt_doc_commitment_idx_owner_due_id");

        options.Projections.Add<TimelineProjection>(ProjectionLifecycle.Async);
        // The relationship is duplicated without a one-column index (TimelineEntry's DuplicatedWithoutIndex): the index
        // below leads with it.
        options.Schema.For<TimelineEntry>()
            // A page of a relationship's timeline (newest first, before a position) walks the relationship's entries from the
            // newest back and stops at the page's end, instead of reading and sorting every line the relationship ever had
            // (one per event: the timeline grows with the department's history).
            .Index([x => x.RelationshipId, x => x.Id], index => index.Name = "mt_doc_timelineentry_idx_relationship_id_id");
        // The manager is duplicated without a one-column index (Relationship's DuplicatedWithoutIndex): the manager's index
        // below leads with it.
        options.Schema.For<Relationship>()
            .UniqueIndex(UniqueIndexType.Computed, "relationship_code", x => x.Code);
        // ListRelationships' order (the name, case-insensitive, then the id), over every department and over one manager's
        // (the agenda, the planned load and the portfolio read a manager's that way too): a page walks its index and stops
        // at its end, instead of reading and sorting every department (RelationshipQueries.ListAsync). The first index's
        // last column, the archive, is there for its statistics: without them PostgreSQL guesses that one department in a
        // hundred is not archived, and sorts them all rather than walk the index. Expression indexes, which MartenRegistry
        // does not declare, written as PostgreSQL gives them back so the schema comparison sees no change.
        options.Policies.ForAllDocuments(mapping =>
        {
            if (mapping.DocumentType == typeof(Relationship))
            {
                mapping.Indexes.Add(new IndexDefinition("mt_doc_relationship_idx_name_id")
                {
                    Columns = [RelationshipNameKey, "id", "((data -> 'Archived'::text))"],
                });
                mapping.Indexes.Add(new IndexDefinition("mt_doc_relationship_idx_manager_name_id") { Columns = ["manager", RelationshipNameKey, "id"] });
            }
        });

        options.Projections.Add<MeetingProjection>(ProjectionLifecycle.Inline);
        // The relationship is duplicated without a one-column index (Meeting's DuplicatedWithoutIndex): both indexes below
        // lead with it.
        options.Schema.For<Meeting>()
            .Duplicate(x => x.Status)
            .Duplicate(x => x.OccursAt)
            .GinIndexJsonDataMember(x => x.StakeholderIds)
            // The agenda's reads: a relationship's scheduled meetings by time, and each stakeholder's latest held
            // one, found from the newest back in the query's own order (time, then id), so the scan stops at it rather
            // than sorting every meeting the relationship ever held (CommunicationPlanQueries.AgendaSourcesAsync).
            .Index([x => x.RelationshipId, x => x.Status, x => x.OccursAt, x => x.Id], index => index.Name = "mt_doc_meeting_idx_relationship_status_occurs_at_id")
            // A page of a relationship's meetings (ListMeetings, newest first, any status) in the list's own order.
            .Index([x => x.RelationshipId, x => x.OccursAt, x => x.Id], index => index.Name = "mt_doc_meeting_idx_relationship_occurs_at_id");

        // Each held meeting's participants, one row each: a stakeholder's last contact is one probe of this index
        // (MeetingQueries.LastContactJoin), not a walk through the relationship's held meetings.
        options.Projections.Add(new MeetingContactProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<MeetingContact>()
            .Index([x => x.RelationshipId, x => x.StakeholderId, x => x.At, x => x.MeetingId, x => x.Kind], index => index.Name = "mt_doc_meetingcontact_idx_relationship_stakeholder_at");

        options.Projections.Add<FeedbackItemProjection>(ProjectionLifecycle.Inline);
        // The relationship is duplicated without a one-column index (FeedbackItem's DuplicatedWithoutIndex): the list's
        // index below leads with it.
        options.Schema.For<FeedbackItem>()
            .Duplicate(x => x.Status)
            .Duplicate(x => x.ReceivedAt)
            .Duplicate(x => x.Rating)
            .Duplicate(x => x.FeedbackRequestId)
            // The agenda reads a relationship's open loops, not all the feedback it ever had.
            .Index([x => x.RelationshipId, x => x.ReceivedAt], index =>
            {
                index.Name = "mt_doc_feedbackitem_idx_open_relationship_received";
                index.Predicate = "status <> 'Responded'";
            })
            // A page of a relationship's feedback (ListFeedback, by receipt) in the list's own order.
            .Index([x => x.RelationshipId, x => x.ReceivedAt, x => x.Id], index => index.Name = "mt_doc_feedbackitem_idx_relationship_received_id");
        options.Projections.Add<FeedbackRequestProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<FeedbackRequest>()
            .Duplicate(x => x.RelationshipId)
            .Duplicate(x => x.RequestedAt);
        options.Projections.Add<CommunicationPlanProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<CommunicationPlan>().Duplicate(x => x.RelationshipId);
        options.Projections.Add<UpdateProjection>(ProjectionLifecycle.Inline);
        // The relationship is duplicated without a one-column index (Update's DuplicatedWithoutIndex): the list's index
        // below leads with it.
        options.Schema.For<Update>()
            .Duplicate(x => x.SentAt)
            .Duplicate(x => x.HasFailedDeliveries)
            // The BRM's agenda finds a relationship's updates with a failed delivery without reading every update it was sent
            // (whether a later update went out is still checked on the relationship's updates by sent at).
            .Index([x => x.RelationshipId, x => x.SentAt], index =>
            {
                index.Name = "mt_doc_update_idx_failed_relationship_sent";
                index.Predicate = "has_failed_deliveries";
            })
            // A page of a relationship's updates (ListUpdates, newest first), and whether a later one went out, in the list's
            // own order.
            .Index([x => x.RelationshipId, x => x.SentAt, x => x.Id], index => index.Name = "mt_doc_update_idx_relationship_sent_id");

        // The update template (one stream).
        options.Projections.Add<UpdateTemplateProjection>(ProjectionLifecycle.Inline);

        // Each BRM's digest preferences (one stream per BRM).
        options.Projections.Add<DigestPreferencesProjection>(ProjectionLifecycle.Inline);

        // Each BRM's calendar feed: which generation of its secret address works (one stream per BRM).
        options.Projections.Add<CalendarFeedProjection>(ProjectionLifecycle.Inline);

        // The search index (async, as the timeline): a full-text index on each entry's accent-folded text.
        options.Projections.Add<SearchProjection>(ProjectionLifecycle.Async);
        options.Schema.For<SearchEntry>()
            .Duplicate(x => x.RelationshipId)
            .FullTextIndex(SearchQueries.CheckedConfig(textSearchConfig), index => index.DocumentConfig = "(data ->> 'Folded')");

        options.Schema.For<ProcessedRequest>().Duplicate(x => x.ProcessedAt); // the retention cleanup deletes by it
    }

    /// <summary>
    /// Lets Npgsql prepare the statements a connection runs again and again (Marten's loads, appends and upserts
    /// are the same few texts), so PostgreSQL parses and plans each once per connection instead of on every call.
    /// Prepared statements survive the pool's reset. A connection string that sets a non-zero <c>Max Auto Prepare</c>
    /// keeps its value. Measured in docs/PERFORMANCE.md.
    /// </summary>
    public static string WithPreparedStatements(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 100;
        }

        return builder.ConnectionString;
    }

    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddBrmDomain(
        this IServiceCollection services, Func<IServiceProvider, string> connectionString)
    {
        var marten = services
            .AddMarten(sp =>
            {
                var options = new StoreOptions();
                Configure(options, connectionString(sp), sp.GetService<IConfiguration>()?["Search:TextSearchConfig"]);

                // The start-up apply compares a fingerprint of the configured schema (every object's creation DDL) with the
                // one kept in public.weasel_schema_fingerprints, and only diffs and changes the schema when they differ: an
                // unchanged schema costs one query at start instead of a diff of every table and function. A schema changed
                // by hand behind the service's back is not noticed: delete the table's rows to have the next start diff it again.
                options.Advanced.Migrator.UseSchemaFingerprinting = true;
                return options;
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .InitializeWith<StoreCompression>()
            .InitializeWith<PlanSettlement>()
            .InitializeWith<MeetingContactBackfill>();
        DaemonAfterStart.Register(services); // HotCold, started once the server listens
        return marten;
    }
}
