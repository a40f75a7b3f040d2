using Brm.Api.Infrastructure;
using Brm.Api.Tests.Support;
using Brm.Domain.Idempotency;
using Brm.V1;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests.Reliability;

/// <summary>
/// The first answer to a request id is kept for the retention (7 days), then deleted by a cleanup that one node at a
/// time runs: a request id repeated after that is a new request.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class RequestIdRetentionTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly TimeSpan PastRetention = ProcessedRequest.DefaultRetention + TimeSpan.FromMinutes(1);

    private ProcessedRequestCleanup Cleanup => api.Services.GetRequiredService<ProcessedRequestCleanup>();

    [Fact]
    public async Task An_expired_answer_is_deleted_and_its_request_id_then_makes_a_new_request()
    {
        var finance = await api.Relationships.RegisterAsync("Finance");
        var add = new AddStakeholderRequest(Stakeholder(finance, "Ann Expiring", StakeholderLevel.Staff)) { RequestId = Guid.NewGuid().ToString() };
        var first = await api.Relationships.AddStakeholderAsync(add);
        Assert.Equal(first, await api.Relationships.AddStakeholderAsync(add));

        api.Clock.Advance(PastRetention);
        var kept = new AddStakeholderRequest(Stakeholder(finance, "Kim Kept", StakeholderLevel.Staff)) { RequestId = Guid.NewGuid().ToString() };
        var recent = await api.Relationships.AddStakeholderAsync(kept);
        Assert.True(await Cleanup.SweepAsync(CancellationToken.None) >= 1);

        Assert.Null(await StoredAsync(add.RequestId));
        Assert.NotNull(await StoredAsync(kept.RequestId));
        Assert.Equal(recent, await api.Relationships.AddStakeholderAsync(kept));
        var again = await api.Relationships.AddStakeholderAsync(add);
        Assert.NotEqual(first.StakeholderId, again.StakeholderId);
        Assert.Equal(first.Version + 2, again.Version);
    }

    [Fact]
    public async Task While_another_node_holds_the_cleanup_lock_this_one_deletes_nothing()
    {
        var finance = await api.Relationships.RegisterAsync("Finance");
        var rename = new RenameDepartmentRequest { RelationshipId = finance.Id, Name = "Treasury", RequestId = Guid.NewGuid().ToString() };
        await api.Relationships.RenameDepartmentAsync(rename);
        api.Clock.Advance(PastRetention);

        await using (var otherNode = new NpgsqlConnection(api.ConnectionString))
        {
            await otherNode.OpenAsync();
            await using var sweeping = await otherNode.BeginTransactionAsync();
            await using var take = new NpgsqlCommand("select pg_try_advisory_xact_lock(@key)", otherNode, sweeping);
            take.Parameters.AddWithValue("key", ProcessedRequest.CleanupLockKey);
            Assert.True((bool)(await take.ExecuteScalarAsync())!);

            Assert.Null(await Cleanup.SweepAsync(CancellationToken.None));
            Assert.NotNull(await StoredAsync(rename.RequestId));
        }

        Assert.True(await Cleanup.SweepAsync(CancellationToken.None) >= 1);
        Assert.Null(await StoredAsync(rename.RequestId));
    }

    private async Task<ProcessedRequest?> StoredAsync(string requestId)
    {
        await using var session = api.Store.QuerySession();
        return await session.LoadAsync<ProcessedRequest>(Guid.Parse(requestId));
    }
}
