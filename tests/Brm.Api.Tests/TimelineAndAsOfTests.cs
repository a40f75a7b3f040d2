using Brm.Api.Reporting;
using Brm.Api.Tests.Support;
using Brm.Domain.Reporting;
using Brm.Tests.Shared;
using Brm.V1;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.FeedbackBuilders;

namespace Brm.Api.Tests;

public sealed class TimelineAndAsOfTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly DateTimeOffset March1 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly RelationshipService.RelationshipServiceClient _client = api.Relationships;

    [Fact]
    public async Task The_timeline_tells_what_happened_newest_first_with_actor_and_freshness()
    {
        var finance = await _client.RegisterAsync("Finance", "brm.jane");
        await _client.AddStakeholderAsync(Stakeholder(finance, "Alice Smith", StakeholderLevel.Executive));
        await _client.AssessMaturityAsync(new AssessMaturityRequest
        {
            RelationshipId = finance.Id, Side = MaturitySide.Business, Level = MaturityLevel.OrderTaker, Evidence = "survey",
        });
        await api.WaitForProjectionsAsync();

        var first = await api.Reporting.GetTimelineAsync(new GetTimelineRequest { RelationshipId = finance.Id, PageSize = 2 });
        var second = await api.Reporting.GetTimelineAsync(
            new GetTimelineRequest { RelationshipId = finance.Id, PageSize = 2, PageToken = first.NextPageToken });

        Assert.Equal(
            [
                "The business assessed maturity at level 2 (order taker)",
                "Added executive stakeholder Alice Smith (Executive of Finance)",
            ],
            first.Entries.Select(e => e.Summary));
        Assert.Equal(["Registered the department Finance (" + finance.Code + "), managed by brm.jane"], second.Entries.Select(e => e.Summary));
        Assert.Equal("", second.NextPageToken);
        Assert.All(first.Entries.Concat(second.Entries), e => Assert.Equal(ApiFixture.AdminName, e.Actor));
        Assert.True(first.Entries[0].Position > first.Entries[1].Position);
        Assert.Equal(first.Freshness.HighWaterMark, first.Freshness.Position);
        Assert.True(first.Freshness.Position >= first.Entries[0].Position);
    }

    [Fact]
    public async Task The_timeline_of_an_unknown_relationship_is_not_found()
    {
        await FailsWith(StatusCode.NotFound, api.Reporting.GetTimelineAsync(new GetTimelineRequest { RelationshipId = Guid.NewGuid().ToString() }));
    }

    [Fact]
    public async Task As_of_a_moment_the_relationship_is_as_it_stood_then()
    {
        api.Clock.Set(March1.AddDays(-10));
        var finance = await _client.RegisterAsync("Finance");
        var alice = await _client.AddStakeholderAsync(Stakeholder(finance, "Alice Smith", StakeholderLevel.Executive));
        api.Clock.Set(March1.AddDays(-8));
        var promised = await api.Commitments.MakeCommitmentAsync(CommitmentBuilders.Commitment(finance, "Outage summary", Day(3)));
        var kept = await api.Commitments.MakeCommitmentAsync(CommitmentBuilders.Commitment(finance, "Password reset page", Day(-6)));
        api.Clock.Set(March1.AddDays(-6));
        await api.Commitments.DeliverCommitmentAsync(new DeliverCommitmentRequest { CommitmentId = kept.Commitment.Id });
        api.Clock.Set(March1.AddDays(-1));
        await _client.AddStakeholderAsync(Stakeholder(finance, "Bob Jones", StakeholderLevel.Manager));
        api.Clock.Set(March1.AddDays(5));
        await _client.RemoveStakeholderAsync(new RemoveStakeholderRequest { RelationshipId = finance.Id, StakeholderId = alice.StakeholderId });
        await _client.RenameDepartmentAsync(new RenameDepartmentRequest { RelationshipId = finance.Id, Name = "Finance & Tax" });
        await api.Commitments.DeliverCommitmentAsync(new DeliverCommitmentRequest { CommitmentId = promised.Commitment.Id });
        await api.Commitments.MakeCommitmentAsync(CommitmentBuilders.Commitment(finance, "Made later", Day(10)));

        var onMarch1 = await api.Reporting.GetRelationshipAsOfAsync(new GetRelationshipAsOfRequest
        {
            RelationshipId = finance.Id, AsOf = Timestamp.FromDateTimeOffset(March1),
        });
        var early = await api.Reporting.GetRelationshipAsOfAsync(new GetRelationshipAsOfRequest
        {
            RelationshipId = finance.Id, AsOf = Timestamp.FromDateTimeOffset(March1.AddDays(-5)),
        });

        Assert.Equal(["Alice Smith", "Bob Jones"], onMarch1.Relationship.Stakeholders.Select(s => s.Name));
        var open = Assert.Single(onMarch1.OpenCommitments);
        Assert.Equal((promised.Commitment.Id, CommitmentStatus.Open, false), (open.Id, open.Status, open.Overdue));
        Assert.Equal(("Finance", 3L), (onMarch1.Relationship.Name, onMarch1.Relationship.Version));
        Assert.Equal(["Alice Smith"], early.Relationship.Stakeholders.Select(s => s.Name));
        Assert.True(early.Position < onMarch1.Position);
        await FailsWith(StatusCode.NotFound, api.Reporting.GetRelationshipAsOfAsync(new GetRelationshipAsOfRequest
        {
            RelationshipId = finance.Id, AsOf = Timestamp.FromDateTimeOffset(March1.AddDays(-30)),
        }));
    }

    [Fact]
    public async Task As_of_a_moment_the_open_feedback_is_as_it_stood_then()
    {
        api.Clock.Set(March1.AddDays(-10));
        var finance = await api.DepartmentAsync("Finance", [("Ann", StakeholderLevel.Staff), ("Ben", StakeholderLevel.Manager)]);
        api.Clock.Set(March1.AddDays(-7));
        var outages = await api.Feedback.SubmitAsync(Give(finance, "Ann", "Earlier notice of outages, please", rating: 3));
        api.Clock.Set(March1.AddDays(-4));
        await api.Feedback.AcknowledgeAsync(outages, "Thanks, looking into it");
        var closed = await api.Feedback.SubmitAsync(Give(finance, "Ben", "The new expense tool is great", rating: 5));
        api.Clock.Set(March1.AddDays(-2));
        await api.Feedback.AcknowledgeAsync(closed);
        await api.Feedback.RespondAsync(closed, "Thank you: we passed it on to the team", finance["Ben"]);
        api.Clock.Set(March1.AddDays(2));
        await api.Feedback.DeclineAsync(outages, "Outages are announced by the vendor, and we get no earlier notice ourselves");
        await api.Feedback.SubmitAsync(Give(finance, "Ben", "Given after the first of March"));
        api.Clock.Set(March1.AddDays(5));
        await api.Feedback.RespondAsync(outages, "We can't: the vendor gives us no earlier notice, but we forward theirs at once", finance["Ann"]);

        var onMarch1 = await api.Reporting.GetRelationshipAsOfAsync(new GetRelationshipAsOfRequest
        {
            RelationshipId = finance.Id, AsOf = Timestamp.FromDateTimeOffset(March1),
        });
        var earlier = await api.Reporting.GetRelationshipAsOfAsync(new GetRelationshipAsOfRequest
        {
            RelationshipId = finance.Id, AsOf = Timestamp.FromDateTimeOffset(March1.AddDays(-5)),
        });
        var now = await api.Reporting.GetRelationshipAsOfAsync(new GetRelationshipAsOfRequest
        {
            RelationshipId = finance.Id, AsOf = Timestamp.FromDateTimeOffset(March1.AddDays(5)),
        });

        var then = Assert.Single(onMarch1.OpenFeedback);
        Assert.Equal(
            (outages.Id, FeedbackStatus.Acknowledged, 7, 2L, "Thanks, looking into it", false),
            (then.Id, then.Status, then.LoopOpenDays, then.Version, then.Acknowledged.Text, then.LoopClosed));
        Assert.Null(then.Declined);
        Assert.Null(then.Response);
        var before = Assert.Single(earlier.OpenFeedback);
        Assert.Equal((outages.Id, FeedbackStatus.Received, 2, 1L), (before.Id, before.Status, before.LoopOpenDays, before.Version));
        Assert.Null(before.Acknowledged);
        Assert.Equal(["Given after the first of March"], now.OpenFeedback.Select(f => f.Comment));
        Assert.Equal(await api.LastPositionAsync(), onMarch1.Freshness.Position);
    }

    private static DateOnly Day(int daysFromMarch1) => DateOnly.FromDateTime(March1.AddDays(daysFromMarch1).UtcDateTime);

    [Fact]
    public async Task As_of_needs_a_moment()
    {
        var failure = await FailsWith(StatusCode.InvalidArgument, api.Reporting.GetRelationshipAsOfAsync(
            new GetRelationshipAsOfRequest { RelationshipId = Guid.NewGuid().ToString() }));

        Assert.Equal(["as_of"], failure.ViolatedFields());
    }

    [Fact]
    public void Every_domain_event_has_a_typed_payload_named_as_the_store_names_it()
    {
        var names = api.Store.Options.Events;
        Assert.All(EventFacts.AllEventTypes, type =>
        {
            var payload = EventPayloads.ToPayload(EventSamples.Create(type));
            Assert.Equal(((Marten.Events.EventGraph)names).EventMappingFor(type).EventTypeName, payload.EventCase switch
            {
                EventPayload.EventOneofCase.None => "",
                var c => EventPayload.Descriptor.Oneofs[0].Fields.Single(f => f.FieldNumber == (int)c).Name,
            });
        });
        Assert.Equal(EventFacts.AllEventTypes.Count, StreamEventsRequestValidator.EventTypes.Count);
    }
}
