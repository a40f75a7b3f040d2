using Brm.Api.Tests.Support;
using Brm.Domain;
using Brm.Domain.Reporting;
using Brm.V1;
using JasperFx;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static Brm.Api.Tests.Support.Builders;
using IProjectionCoordinator = Marten.Events.Daemon.Coordination.IProjectionCoordinator;

namespace Brm.Api.Tests;

/// <summary>
/// Two API hosts on one database, as two nodes behind a load balancer: both serve commands and queries; the
/// async daemon (HotCold) runs each projection on one node only, and another takes over when that node stops.
/// </summary>
public sealed class TwoNodeTests
{
    private static readonly string Timeline = new ShardName(TimelineProjection.ProjectionName, ShardName.All, 1).Identity;
    private static readonly string Search = new ShardName(Brm.Domain.Search.SearchProjection.ProjectionName, ShardName.All, 1).Identity;

    /// <summary>One node: the service on a database that another node shares.</summary>
    private sealed class Node(string connectionString) : ApiFixture
    {
        protected override Task<string> ConnectionStringAsync() => Task.FromResult(connectionString);

        /// <summary>The async projection shards this node's daemon runs now.</summary>
        public IReadOnlyList<string> RunningShards() =>
            [.. Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase().CurrentAgents()
                .Where(agent => agent.Status == AgentStatus.Running)
                .Select(agent => agent.Name.Identity)];
    }

    [Fact]
    public async Task Both_nodes_serve_each_projection_runs_on_one_and_the_other_takes_over_when_it_stops()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        Node a = new(connectionString), b = new(connectionString);
        await a.InitializeAsync();
        await b.InitializeAsync();
        using var stop = new CancellationTokenSource();
        var nodes = new List<Node> { a, b };
        var overlaps = WatchOwnersAsync(nodes, stop.Token);
        try
        {
            // Both serve commands and queries, each seeing what the other wrote.
            var finance = await a.Relationships.RegisterAsync(name: "Finance");
            var hr = await b.Relationships.RegisterAsync(name: "HR");
            Assert.Equal("HR", (await a.Relationships.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = hr.Id })).Relationship.Name);
            Assert.Equal("Finance", (await b.Relationships.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = finance.Id })).Relationship.Name);

            await a.WaitForProjectionsAsync();
            var leader = await OwnerOfTimelineAsync(a, b);
            var follower = leader == a ? b : a;
            Assert.DoesNotContain(Timeline, follower.RunningShards()); // each projection has its own lock: Search may run on either
            Assert.Equal(2, await TimelineLinesAsync(follower, finance.Id, hr.Id));

            // The leader stops; the follower takes the projections over and they keep advancing.
            lock (nodes)
            {
                nodes.Remove(leader);
            }

            await leader.DisposeAsync();
            var operations = await follower.Relationships.RegisterAsync(name: "Operations");
            await follower.Relationships.AddStakeholderAsync(Stakeholder(operations, "Ana Ruiz", Brm.V1.StakeholderLevel.Executive));
            await follower.WaitForProjectionsAsync();

            Assert.Contains(Timeline, follower.RunningShards());
            Assert.Contains(Search, follower.RunningShards());
            Assert.Equal(2, await TimelineLinesAsync(follower, operations.Id));
            var timeline = await follower.Reporting.GetTimelineAsync(new GetTimelineRequest { RelationshipId = operations.Id });
            Assert.Equal(timeline.Freshness.HighWaterMark, timeline.Freshness.Position);

            // Nothing was processed twice: at no moment did two nodes run one shard, and the timeline holds one
            // line per domain event.
            await stop.CancelAsync();
            Assert.Empty(await overlaps);
            Assert.Equal(await follower.EventCountAsync(), await TimelineRowsAsync(follower));
        }
        finally
        {
            await stop.CancelAsync();
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_page_token_issued_by_one_node_verifies_on_the_other()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        Node a = new(connectionString), b = new(connectionString);
        await a.InitializeAsync();
        await b.InitializeAsync();
        try
        {
            var lists = await PagedLists.CreateAsync(a);
            foreach (var rpc in lists.Requests.Keys)
            {
                var token = await lists.TokenAsync(a.Channel, rpc);
                var (page, failure) = await b.Channel.CallListAsync(Rpcs.Named(rpc), PagedLists.WithToken(lists.Requests[rpc].First, token));
                Assert.True(failure is null, $"{rpc} on the other node: {failure?.Status}");
                Assert.NotNull(page);
            }

            // The key ring is in the database the nodes share (not in a folder of the machine).
            await using var session = a.Store.QuerySession();
            Assert.NotEmpty(await session.Query<Brm.Api.Infrastructure.DataProtectionKey>().ToListAsync());
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }

    /// <summary>Samples both nodes' running shards until stopped; answers every shard seen running on two at once.</summary>
    private static async Task<List<string>> WatchOwnersAsync(List<Node> nodes, CancellationToken stop)
    {
        var overlaps = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            List<Node> running;
            lock (nodes)
            {
                running = [.. nodes];
            }

            overlaps.AddRange(running.SelectMany(n => n.RunningShards()).GroupBy(s => s).Where(g => g.Count() > 1).Select(g => g.Key));
            await Task.Delay(50, CancellationToken.None);
        }

        return overlaps;
    }

    private static async Task<Node> OwnerOfTimelineAsync(Node a, Node b)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var owners = new[] { a, b }.Where(n => n.RunningShards().Contains(Timeline)).ToList();
            if (owners.Count == 1)
            {
                return owners[0];
            }

            Assert.True(owners.Count == 0, "the timeline runs on both nodes");
            await Task.Delay(100);
        }

        throw new TimeoutException("no node runs the timeline projection");
    }

    private static async Task<int> TimelineLinesAsync(Node node, params string[] relationshipIds)
    {
        var lines = 0;
        foreach (var id in relationshipIds)
        {
            lines += (await node.Reporting.GetTimelineAsync(new GetTimelineRequest { RelationshipId = id })).Entries.Count;
        }

        return lines;
    }

    private static async Task<long> TimelineRowsAsync(Node node)
    {
        await using var session = node.Store.QuerySession();
        return (await session.QueryAsync<long>($"select count(*) from {BrmDomain.Schema}.mt_doc_timelineentry")).Single();
    }
}
