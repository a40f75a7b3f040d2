using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.Domain;
using Brm.V1;
using Grpc.Core;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

/// <summary>
/// The server's deadline on every unary call (Limits:MaxCallDuration), on a host over TCP: at its deadline gRPC
/// answers and resets the stream, which only a real HTTP/2 connection delivers as the client sees it.
/// </summary>
public sealed class DeadlineTests : IAsyncLifetime
{
    private TcpHost _host = null!;

    public async Task InitializeAsync() => _host = await TcpHost.StartAsync(("Limits:MaxCallDuration", "00:00:01"));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_call_held_past_the_servers_deadline_is_deadline_exceeded_and_its_transaction_rolled_back()
    {
        var store = _host.Services.GetRequiredService<IDocumentStore>();
        var relationships = new RelationshipService.RelationshipServiceClient(_host.ChannelAs("admin.deadline", Role.Admin));
        var finance = await relationships.RegisterAsync("Deadline");
        var before = await EventCountAsync(store);
        var held = await HeldAppend.StartAsync(store, _host.ConnectionString, Guid.Parse(finance.Id));

        // No client deadline: only the server's can end the call (the token is a safety net for the test run).
        using var safety = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var failure = await FailsWith(StatusCode.DeadlineExceeded, relationships.RenameDepartmentAsync(
            new RenameDepartmentRequest { RelationshipId = finance.Id, Name = "Too late" }, cancellationToken: safety.Token));
        await NoOneWaitsForALockAsync(store);
        await held.DisposeAsync(); // rolls the held append back: a write still waiting would now go through

        Assert.Equal(before, await EventCountAsync(store));
        var read = await relationships.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = finance.Id });
        Assert.Equal("Deadline", read.Relationship.Name);
        Assert.Contains("eadline", failure.Status.Detail, StringComparison.Ordinal);
    }

    private static async Task<long> EventCountAsync(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        return (await session.QueryAsync<long>($"select count(*) from {BrmDomain.Schema}.mt_events where type <> 'tombstone'")).Single();
    }

    // The cancelled write's statement has left the database once no session of this database waits for a lock.
    private static async Task NoOneWaitsForALockAsync(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var waiting = await session.QueryAsync<long>(
                "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
            if (waiting.Single() == 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("a write still waits for the held lock after its call ended");
    }
}
