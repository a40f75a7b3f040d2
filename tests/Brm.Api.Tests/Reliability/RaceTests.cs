using Brm.Api.Tests.Support;
using Brm.Domain;
using Brm.V1;
using Grpc.Core;
using Marten;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests.Reliability;

/// <summary>
/// 32 writers on one stream for a few seconds (<see cref="Stress"/>): every call succeeds or is ABORTED (it lost the
/// race), the stream's versions run 1..n without a gap, and it holds exactly one event per success.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class RaceTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Writers_racing_on_one_relationship_either_win_or_are_aborted_and_every_win_is_one_event()
    {
        var relationship = await api.Relationships.RegisterAsync("Race");
        var versions = new System.Collections.Concurrent.ConcurrentBag<long>();

        var tally = await Stress.RaceAsync(Stress.Writers, async n =>
        {
            var renamed = await api.Relationships.RenameDepartmentAsync(new RenameDepartmentRequest { RelationshipId = relationship.Id, Name = $"Race {n}" });
            versions.Add(renamed.Version);
        });

        await AssertOneEventPerWinAsync(Guid.Parse(relationship.Id), tally, versions, eventsBefore: 1);
        Stress.Record("race on one relationship", $"{Stress.Writers} writers, {tally.Total} calls ({tally}), lost: 0");
    }

    [Fact]
    public async Task Writers_racing_on_one_commitment_either_win_or_are_aborted_and_every_win_is_one_event()
    {
        var relationship = await api.Relationships.RegisterAsync("Commitment race");
        var today = DateOnly.FromDateTime(api.Clock.GetUtcNow().UtcDateTime);
        var made = await api.Commitments.MakeCommitmentAsync(CommitmentBuilders.Commitment(relationship, "Fix the VPN", today.AddDays(7)));
        var versions = new System.Collections.Concurrent.ConcurrentBag<long>();

        var tally = await Stress.RaceAsync(Stress.Writers, async n =>
        {
            var moved = await api.Commitments.RenegotiateCommitmentAsync(new RenegotiateCommitmentRequest
            {
                CommitmentId = made.Commitment.Id, DueDate = CommitmentBuilders.Day(today.AddDays(10 + n)), Reason = $"supplier slipped ({n})",
            });
            versions.Add(moved.Version);
        });

        await AssertOneEventPerWinAsync(Guid.Parse(made.Commitment.Id), tally, versions, eventsBefore: 1);
        var commitment = await api.Commitments.GetCommitmentAsync(new GetCommitmentRequest { CommitmentId = made.Commitment.Id });
        Assert.Equal(tally[StatusCode.OK], commitment.Commitment.Renegotiations);
        Stress.Record("race on one commitment", $"{Stress.Writers} writers, {tally.Total} calls ({tally}), lost: 0");
    }

    private async Task AssertOneEventPerWinAsync(Guid streamId, Tally tally, IEnumerable<long> answeredVersions, int eventsBefore)
    {
        Assert.Empty(tally.Unexpected(StatusCode.OK, StatusCode.Aborted));
        Assert.True(tally[StatusCode.OK] > 0, $"no writer won: {tally}");

        var stored = await StreamVersionsAsync(api.Store, streamId);
        var expected = Enumerable.Range(1, eventsBefore + tally[StatusCode.OK]).Select(v => (long)v).ToList();
        Assert.Equal(expected, stored);

        // Every winner was told a different version, and together they are the versions the race appended.
        Assert.Equal(expected.Skip(eventsBefore), answeredVersions.Order());
    }

    /// <summary>The versions of a stream's events as stored, in order.</summary>
    internal static async Task<List<long>> StreamVersionsAsync(IDocumentStore store, Guid streamId)
    {
        await using var session = store.QuerySession();
        var versions = await session.QueryAsync<long>(
            $"select version from {BrmDomain.Schema}.mt_events where stream_id = ? order by version", streamId);
        return versions.ToList();
    }
}
