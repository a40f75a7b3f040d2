using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

public sealed class NeedsPreferencesMaturityTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly RelationshipService.RelationshipServiceClient _client = api.Relationships;

    [Fact]
    public async Task An_information_need_raised_by_a_stakeholder_is_shown_until_retired()
    {
        var finance = await _client.RegisterAsync();
        var alice = await _client.AddStakeholderAsync(Stakeholder(finance, "Alice Smith", StakeholderLevel.Executive));

        var recorded = await _client.RecordInformationNeedAsync(new RecordInformationNeedRequest
        {
            RelationshipId = finance.Id,
            Description = "monthly outage summary",
            Priority = Priority.High,
            RaisedByStakeholderId = alice.StakeholderId,
        });

        var need = Assert.Single(recorded.Relationship.InformationNeeds);
        Assert.Equal(recorded.InformationNeedId, need.Id);
        Assert.Equal("monthly outage summary", need.Description);
        Assert.Equal(alice.StakeholderId, need.RaisedByStakeholderId);

        var retired = await _client.RetireInformationNeedAsync(new RetireInformationNeedRequest
        {
            RelationshipId = finance.Id, InformationNeedId = need.Id, Reason = "now on the intranet status page",
        });
        Assert.Empty(retired.Relationship.InformationNeeds);
        Assert.Equal(4, retired.Version);
    }

    [Fact]
    public async Task A_need_raised_by_an_unknown_stakeholder_is_not_found_and_a_retire_needs_a_reason()
    {
        var finance = await _client.RegisterAsync();

        await FailsWith(StatusCode.NotFound, _client.RecordInformationNeedAsync(new RecordInformationNeedRequest
        {
            RelationshipId = finance.Id, Description = "x", Priority = Priority.Low, RaisedByStakeholderId = Guid.NewGuid().ToString(),
        }));
        var failure = await FailsWith(StatusCode.InvalidArgument, _client.RetireInformationNeedAsync(new RetireInformationNeedRequest
        {
            RelationshipId = finance.Id, InformationNeedId = Guid.NewGuid().ToString(),
        }));
        Assert.Equal(["reason"], failure.ViolatedFields());
    }

    [Fact]
    public async Task A_preference_for_the_same_channel_and_audience_replaces_the_earlier_one()
    {
        var finance = await _client.RegisterAsync();
        await _client.RecordCommunicationPreferenceAsync(new RecordCommunicationPreferenceRequest
        {
            RelationshipId = finance.Id, Channel = Channel.Email, Audience = "all staff", Notes = "monthly",
        });
        await _client.RecordCommunicationPreferenceAsync(new RecordCommunicationPreferenceRequest
        {
            RelationshipId = finance.Id, Channel = Channel.TeamMeeting, Audience = "leadership team",
        });
        var last = await _client.RecordCommunicationPreferenceAsync(new RecordCommunicationPreferenceRequest
        {
            RelationshipId = finance.Id, Channel = Channel.Email, Audience = "All Staff", Notes = "first Monday of the month",
        });

        Assert.Equal(
            [(Channel.TeamMeeting, "leadership team", ""), (Channel.Email, "All Staff", "first Monday of the month")],
            last.Relationship.CommunicationPreferences.Select(p => (p.Channel, p.Audience, p.Notes)));
    }

    [Fact]
    public async Task An_unspecified_channel_is_invalid_argument()
    {
        var finance = await _client.RegisterAsync();

        var failure = await FailsWith(StatusCode.InvalidArgument, _client.RecordCommunicationPreferenceAsync(
            new RecordCommunicationPreferenceRequest { RelationshipId = finance.Id, Audience = "all staff" }));

        Assert.Equal(["channel"], failure.ViolatedFields());
    }

    [Fact]
    public async Task The_latest_maturity_of_each_side_and_the_gap_are_shown()
    {
        var finance = await _client.RegisterAsync();
        await _client.AssessMaturityAsync(new AssessMaturityRequest
        {
            RelationshipId = finance.Id, Side = MaturitySide.It, Level = MaturityLevel.AdHoc, Evidence = "first look",
        });
        await _client.AssessMaturityAsync(new AssessMaturityRequest
        {
            RelationshipId = finance.Id, Side = MaturitySide.It, Level = MaturityLevel.ServiceProvider, Evidence = "SLA review",
        });
        var last = await _client.AssessMaturityAsync(new AssessMaturityRequest
        {
            RelationshipId = finance.Id, Side = MaturitySide.Business, Level = MaturityLevel.OrderTaker, Evidence = "survey of managers",
        });

        var read = (await _client.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = finance.Id })).Relationship;
        Assert.Equal(MaturityLevel.ServiceProvider, read.ItMaturity.Level);
        Assert.Equal("SLA review", read.ItMaturity.Evidence);
        Assert.Equal(MaturityLevel.OrderTaker, read.BusinessMaturity.Level);
        Assert.Equal(-1, read.MaturityGap);
        Assert.Equal(last.Relationship, read);
    }

    [Fact]
    public async Task An_assessment_without_evidence_or_level_is_invalid_argument()
    {
        var finance = await _client.RegisterAsync();

        var failure = await FailsWith(StatusCode.InvalidArgument, _client.AssessMaturityAsync(new AssessMaturityRequest
        {
            RelationshipId = finance.Id, Side = MaturitySide.Business,
        }));

        Assert.Equal(["evidence", "level"], failure.ViolatedFields().Order());
    }

    [Fact]
    public async Task Past_the_documented_limit_of_preferences_a_new_one_is_resource_exhausted()
    {
        var finance = await _client.RegisterAsync();
        for (var i = 0; i < 50; i++)
        {
            await _client.RecordCommunicationPreferenceAsync(new RecordCommunicationPreferenceRequest
            {
                RelationshipId = finance.Id, Channel = Channel.Email, Audience = $"team {i}",
            });
        }

        await FailsWith(StatusCode.ResourceExhausted, _client.RecordCommunicationPreferenceAsync(
            new RecordCommunicationPreferenceRequest { RelationshipId = finance.Id, Channel = Channel.Email, Audience = "team 50" }));
        var replaced = await _client.RecordCommunicationPreferenceAsync(new RecordCommunicationPreferenceRequest
        {
            RelationshipId = finance.Id, Channel = Channel.Email, Audience = "team 7", Notes = "replacing one stays within the limit",
        });
        Assert.Equal(50, replaced.Relationship.CommunicationPreferences.Count);
    }
}
