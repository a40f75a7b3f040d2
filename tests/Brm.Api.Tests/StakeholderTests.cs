using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

public sealed class StakeholderTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly RelationshipService.RelationshipServiceClient _client = api.Relationships;

    [Fact]
    public async Task Stakeholders_at_three_levels_are_listed_with_counts_per_level()
    {
        var finance = await _client.RegisterAsync();
        await _client.AddStakeholderAsync(Stakeholder(finance, "Alice Smith", StakeholderLevel.Executive, "alice@example.com"));
        await _client.AddStakeholderAsync(Stakeholder(finance, "Bob Jones", StakeholderLevel.Manager));
        var last = await _client.AddStakeholderAsync(Stakeholder(finance, "Carol White", StakeholderLevel.Staff));

        var read = (await _client.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = finance.Id })).Relationship;

        Assert.Equal(4, last.Version);
        Assert.Equal(read, last.Relationship);
        Assert.Equal(["Alice Smith", "Bob Jones", "Carol White"], read.Stakeholders.Select(s => s.Name));
        Assert.Equal(new StakeholderCounts { Executive = 1, Manager = 1, Staff = 1, Total = 3 }, read.StakeholderCounts);
        var alice = read.Stakeholders[0];
        Assert.Equal("alice@example.com", alice.Email);
        Assert.Equal(Degree.High, alice.Influence);
        Assert.Equal(Degree.Medium, alice.Interest);
        Assert.Equal(last.StakeholderId, read.Stakeholders[2].Id);
    }

    [Fact]
    public async Task Update_changes_only_the_fields_that_are_set()
    {
        var finance = await _client.RegisterAsync();
        var added = await _client.AddStakeholderAsync(Stakeholder(finance, "Alice Smith", StakeholderLevel.Manager, "alice@example.com"));

        var updated = await _client.UpdateStakeholderAsync(new UpdateStakeholderRequest
        {
            RelationshipId = finance.Id, StakeholderId = added.StakeholderId, Level = StakeholderLevel.Executive, Email = "",
        });

        var alice = Assert.Single(updated.Relationship.Stakeholders);
        Assert.Equal(StakeholderLevel.Executive, alice.Level);
        Assert.Equal("", alice.Email);
        Assert.Equal("Alice Smith", alice.Name);
        Assert.Equal(added.Relationship.Stakeholders[0].Title, alice.Title);
        Assert.Equal(3, updated.Version);
    }

    [Fact]
    public async Task Update_that_changes_nothing_keeps_the_version()
    {
        var finance = await _client.RegisterAsync();
        var added = await _client.AddStakeholderAsync(Stakeholder(finance, "Alice Smith", StakeholderLevel.Manager));

        var same = await _client.UpdateStakeholderAsync(new UpdateStakeholderRequest
        {
            RelationshipId = finance.Id, StakeholderId = added.StakeholderId, Name = "Alice Smith",
        });

        Assert.Equal(added.Version, same.Version);
    }

    [Fact]
    public async Task Update_with_no_field_set_or_an_unspecified_level_is_invalid_argument()
    {
        var finance = await _client.RegisterAsync();
        var added = await _client.AddStakeholderAsync(Stakeholder(finance, "Alice Smith", StakeholderLevel.Manager));

        await FailsWith(StatusCode.InvalidArgument, _client.UpdateStakeholderAsync(new UpdateStakeholderRequest
        {
            RelationshipId = finance.Id, StakeholderId = added.StakeholderId,
        }));
        var unspecified = await FailsWith(StatusCode.InvalidArgument, _client.UpdateStakeholderAsync(new UpdateStakeholderRequest
        {
            RelationshipId = finance.Id, StakeholderId = added.StakeholderId, Level = StakeholderLevel.Unspecified,
        }));
        Assert.Equal(["level"], unspecified.ViolatedFields());
    }

    [Fact]
    public async Task A_second_stakeholder_with_the_same_email_is_already_exists()
    {
        var finance = await _client.RegisterAsync();
        await _client.AddStakeholderAsync(Stakeholder(finance, "Alice Smith", StakeholderLevel.Executive, "alice@example.com"));

        await FailsWith(StatusCode.AlreadyExists,
            _client.AddStakeholderAsync(Stakeholder(finance, "Alicia", StakeholderLevel.Staff, "Alice@Example.com")));
    }

    [Fact]
    public async Task Bad_stakeholder_fields_are_each_named()
    {
        var finance = await _client.RegisterAsync();

        var failure = await FailsWith(StatusCode.InvalidArgument, _client.AddStakeholderAsync(new AddStakeholderRequest
        {
            RelationshipId = finance.Id, Name = "", Title = "", Email = "not an email",
        }));

        Assert.Equal(["email", "influence", "interest", "level", "name", "title"], failure.ViolatedFields().Distinct().Order());
    }

    [Fact]
    public async Task Removing_a_stakeholder_takes_them_off_the_screen_and_a_repeat_changes_nothing()
    {
        var finance = await _client.RegisterAsync();
        var alice = await _client.AddStakeholderAsync(Stakeholder(finance, "Alice Smith", StakeholderLevel.Executive));
        var remove = new RemoveStakeholderRequest { RelationshipId = finance.Id, StakeholderId = alice.StakeholderId, Reason = "left" };

        var removed = await _client.RemoveStakeholderAsync(remove);
        var again = await _client.RemoveStakeholderAsync(remove);

        Assert.Empty(removed.Relationship.Stakeholders);
        Assert.Equal(0, removed.Relationship.StakeholderCounts.Total);
        Assert.Equal(removed.Version, again.Version);
        await FailsWith(StatusCode.FailedPrecondition, _client.UpdateStakeholderAsync(new UpdateStakeholderRequest
        {
            RelationshipId = finance.Id, StakeholderId = alice.StakeholderId, Name = "Alice",
        }));
    }

    [Fact]
    public async Task An_unknown_stakeholder_or_relationship_is_not_found()
    {
        var finance = await _client.RegisterAsync();

        await FailsWith(StatusCode.NotFound, _client.RemoveStakeholderAsync(new RemoveStakeholderRequest
        {
            RelationshipId = finance.Id, StakeholderId = Guid.NewGuid().ToString(),
        }));
        await FailsWith(StatusCode.NotFound, _client.AddStakeholderAsync(Stakeholder(
            new Relationship { Id = Guid.NewGuid().ToString(), Name = "Nowhere" }, "Ghost", StakeholderLevel.Staff)));
    }

    [Fact]
    public async Task Two_thousand_add_and_remove_cycles_leave_a_small_document_and_the_first_person_can_still_be_erased()
    {
        const int cycles = 2000;
        var finance = await _client.RegisterAsync();
        var first = (await _client.AddStakeholderAsync(Stakeholder(finance, "Olga Oldest", StakeholderLevel.Staff))).StakeholderId;
        await _client.RemoveStakeholderAsync(new RemoveStakeholderRequest { RelationshipId = finance.Id, StakeholderId = first });
        var stays = await _client.AddStakeholderAsync(Stakeholder(finance, "Stan Stays", StakeholderLevel.Manager));
        for (var i = 0; i < cycles; i++)
        {
            var added = await _client.AddStakeholderAsync(Stakeholder(finance, $"Temp {i} with a longish name", StakeholderLevel.Staff));
            await _client.RemoveStakeholderAsync(new RemoveStakeholderRequest
            {
                RelationshipId = finance.Id, StakeholderId = added.StakeholderId, Reason = "a temporary contact who moved on",
            });
        }

        var read = (await _client.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = finance.Id })).Relationship;
        Assert.Equal(stays.StakeholderId, Assert.Single(read.Stakeholders).Id);
        Assert.Equal(stays.Version + 2 * cycles, read.Version);
        Assert.InRange(await DocumentBytesAsync(finance.Id), 0, 64 * 1024);

        // The oldest removal is no longer in the document, and its person is owed erasure all the same.
        var erased = await _client.EraseStakeholderPersonalDataAsync(
            new EraseStakeholderPersonalDataRequest { RelationshipId = finance.Id, StakeholderId = first });
        Assert.Equal(read.Version + 1, erased.Version);
        Assert.Equal(erased.Version, (await _client.EraseStakeholderPersonalDataAsync(
            new EraseStakeholderPersonalDataRequest { RelationshipId = finance.Id, StakeholderId = first })).Version);
        Assert.Equal(0, await EventsContainingAsync("Olga Oldest"));
    }

    private async Task<long> DocumentBytesAsync(string relationshipId)
    {
        await using var session = api.Store.QuerySession();
        return (await session.QueryAsync<long>(
            $"select octet_length(data::text) from {Brm.Domain.BrmDomain.Schema}.mt_doc_relationship where id = ?", Guid.Parse(relationshipId))).Single();
    }

    private async Task<long> EventsContainingAsync(string text)
    {
        await using var session = api.Store.QuerySession();
        return (await session.QueryAsync<long>(
            $"select count(*) from {Brm.Domain.BrmDomain.Schema}.mt_events where data::text like ?", $"%{text}%")).Single();
    }
}
