using Brm.Api.Tests.Support;
using Grpc.Core;

namespace Brm.Api.Tests.Reliability;

/// <summary>
/// After a random workload (every mutation RPC, in a random order, on several scenarios), rebuilding every
/// projection from the events gives read models identical, as JSON, to the ones kept live.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class RebuildEquivalenceTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Rebuilding_every_projection_gives_the_read_models_kept_live()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var mutations = Rpcs.All.Where(IdempotencyTests.IsMutation).ToList();
        var tally = new Tally();
        for (var i = 0; i < 3; i++)
        {
            var scenario = await AuthorizationMatrixTests.Scenario.CreateAsync(api);
            foreach (var method in mutations.OrderBy(_ => random.Next()))
            {
                var status = await api.Channel.CallAsync(method, AuthorizationMatrixTests.Expectations[method.Name()].Request(scenario));
                tally.Add(status.StatusCode, status.Detail);
            }
        }

        // The random order refuses some calls (e.g. hold a cancelled meeting); none of them may be our fault.
        Assert.Empty(tally.Unexpected(StatusCode.OK, StatusCode.FailedPrecondition, StatusCode.NotFound, StatusCode.AlreadyExists));
        await api.WaitForProjectionsAsync();
        var live = await ReadModels.SnapshotAsync(api.Store);

        var rebuilt = await ReadModels.RebuildAllAsync(api.Services);
        await api.WaitForProjectionsAsync();

        Assert.Empty(ReadModels.Differences(live, await ReadModels.SnapshotAsync(api.Store)));
        Assert.True(live.Values.Sum(d => d.Count) > 0);
        Stress.Record("rebuild equivalence", $"seed {seed}, {tally.Total} random mutations ({tally}), {rebuilt.Count} projections rebuilt "
            + $"({string.Join(", ", rebuilt)}), {live.Values.Sum(d => d.Count)} documents compared, differences: 0");
    }
}
