using Brm.Api.Infrastructure;
using Brm.Api.Tests.Support;
using Brm.V1;
using FluentValidation;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

/// <summary>The API conventions every mutation follows: request_id, expected_version, version, archive.</summary>
public sealed class ConventionTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly RelationshipService.RelationshipServiceClient _client = api.Relationships;

    [Fact]
    public async Task A_repeated_request_id_returns_the_first_answer_and_appends_nothing()
    {
        var request = new RegisterDepartmentRequest { RequestId = Guid.NewGuid().ToString(), Code = UniqueCode(), Name = "Legal" };

        var first = await _client.RegisterDepartmentAsync(request);
        var before = await api.EventCountAsync();
        var second = await _client.RegisterDepartmentAsync(request);

        Assert.Equal(first, second);
        Assert.Equal(before, await api.EventCountAsync());
    }

    [Fact]
    public async Task A_repeated_request_id_on_a_change_returns_the_first_answer_even_after_later_changes()
    {
        var legal = await _client.RegisterAsync("Legal");
        var add = Stakeholder(legal, "Dana Lee", StakeholderLevel.Staff);
        add.RequestId = Guid.NewGuid().ToString();

        var first = await _client.AddStakeholderAsync(add);
        await _client.RenameDepartmentAsync(new RenameDepartmentRequest { RelationshipId = legal.Id, Name = "Legal & Compliance" });
        var replay = await _client.AddStakeholderAsync(add);

        Assert.Equal(first, replay);
        var read = (await _client.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = legal.Id })).Relationship;
        Assert.Single(read.Stakeholders);
        Assert.Equal(3, read.Version);
    }

    [Fact]
    public async Task Racing_calls_with_one_request_id_have_one_effect_and_the_same_answer()
    {
        var legal = await _client.RegisterAsync("Legal");
        var add = Stakeholder(legal, "Eve Park", StakeholderLevel.Manager);
        add.RequestId = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ => await _client.AddStakeholderAsync(add)));

        Assert.All(answers, a => Assert.Equal(answers[0], a));
        var read = (await _client.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = legal.Id })).Relationship;
        Assert.Single(read.Stakeholders);
        Assert.Equal(2, read.Version);
    }

    [Fact]
    public async Task A_request_id_reused_for_a_different_request_is_invalid_argument()
    {
        var legal = await _client.RegisterAsync("Legal");
        var requestId = Guid.NewGuid().ToString();
        await _client.RenameDepartmentAsync(new RenameDepartmentRequest { RequestId = requestId, RelationshipId = legal.Id, Name = "A" });

        var failure = await FailsWith(StatusCode.InvalidArgument, _client.RenameDepartmentAsync(
            new RenameDepartmentRequest { RequestId = requestId, RelationshipId = legal.Id, Name = "B" }));

        Assert.Equal(["request_id"], failure.ViolatedFields());
    }

    [Fact]
    public async Task A_stale_expected_version_is_aborted_and_changes_nothing()
    {
        var legal = await _client.RegisterAsync("Legal");
        await _client.RenameDepartmentAsync(new RenameDepartmentRequest { RelationshipId = legal.Id, Name = "Legal 2", ExpectedVersion = 1 });

        await FailsWith(StatusCode.Aborted, _client.RenameDepartmentAsync(
            new RenameDepartmentRequest { RelationshipId = legal.Id, Name = "Legal 3", ExpectedVersion = 1 }));

        var read = (await _client.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = legal.Id })).Relationship;
        Assert.Equal(("Legal 2", 2L), (read.Name, read.Version));
    }

    [Fact]
    public async Task Two_writers_with_the_same_expected_version_exactly_one_wins_the_other_is_aborted()
    {
        var legal = await _client.RegisterAsync("Legal");
        var writers = Enumerable.Range(0, 2).Select(async i =>
        {
            try
            {
                await _client.AddStakeholderAsync(new AddStakeholderRequest(Stakeholder(legal, $"Writer {i}", StakeholderLevel.Staff))
                {
                    ExpectedVersion = 1,
                });
                return StatusCode.OK;
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        });

        var outcomes = await Task.WhenAll(writers);

        Assert.Equal([StatusCode.OK, StatusCode.Aborted], outcomes.Order());
        var read = (await _client.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = legal.Id })).Relationship;
        Assert.Equal((1, 2L), (read.Stakeholders.Count, read.Version));
    }

    [Fact]
    public async Task An_expected_version_on_an_unknown_relationship_is_not_found()
    {
        await FailsWith(StatusCode.NotFound, _client.RenameDepartmentAsync(new RenameDepartmentRequest
        {
            RelationshipId = Guid.NewGuid().ToString(), Name = "Nowhere", ExpectedVersion = 1,
        }));
    }

    [Fact]
    public async Task An_expected_version_below_1_is_invalid_argument()
    {
        var legal = await _client.RegisterAsync("Legal");

        var failure = await FailsWith(StatusCode.InvalidArgument, _client.RenameDepartmentAsync(
            new RenameDepartmentRequest { RelationshipId = legal.Id, Name = "X", ExpectedVersion = 0 }));

        Assert.Equal(["expected_version"], failure.ViolatedFields());
    }

    [Fact]
    public async Task An_archived_relationship_refuses_changes_with_failed_precondition()
    {
        var legal = await _client.RegisterAsync("Legal");
        var archived = await _client.ArchiveRelationshipAsync(new ArchiveRelationshipRequest
        {
            RelationshipId = legal.Id, Reason = "merged into Corporate Services",
        });

        var failure = await FailsWith(StatusCode.FailedPrecondition,
            _client.AddStakeholderAsync(Stakeholder(legal, "Late Comer", StakeholderLevel.Staff)));

        Assert.Contains("archived", failure.Status.Detail, StringComparison.Ordinal);
        Assert.True(archived.Relationship.Archived);
        Assert.Equal("merged into Corporate Services", archived.Relationship.ArchiveReason);
        var read = (await _client.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = legal.Id })).Relationship;
        Assert.Equal(archived.Version, read.Version);
    }

    [Fact]
    public async Task Every_event_records_the_actor_the_correlation_id_and_the_request_id_as_causation()
    {
        var correlation = "corr-" + Guid.NewGuid().ToString("N");
        var requestId = Guid.NewGuid().ToString();
        var legal = await _client.RegisterDepartmentAsync(
            new RegisterDepartmentRequest { RequestId = requestId, Code = UniqueCode(), Name = "Legal" },
            new Metadata { { Mutations.CorrelationHeader, correlation } });

        await using var session = api.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(Guid.Parse(legal.Relationship.Id));

        var registered = Assert.Single(events);
        Assert.Equal(ApiFixture.AdminName, registered.UserName);
        Assert.Equal(correlation, registered.CorrelationId);
        Assert.Equal(requestId, registered.CausationId);
        Assert.True(registered.Timestamp > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public void Every_rpc_of_every_service_has_a_request_validator()
    {
        var requestTypes = Rpcs.All.Select(m => m.InputType.ClrType).ToList();

        Assert.Contains(typeof(RegisterDepartmentRequest), requestTypes);
        Assert.All(requestTypes, t => Assert.NotNull(api.Services.GetService(typeof(IValidator<>).MakeGenericType(t))));
    }
}
