using System.Diagnostics;
using System.Text.Json;
using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using Microsoft.Extensions.DependencyInjection;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

/// <summary>A reporting tool in another language (examples/feed-consumer, Node.js) against the service over TCP.</summary>
public sealed class NodeFeedConsumerTests : IAsyncLifetime
{
    private readonly string _positionFile = Path.Combine(Path.GetTempPath(), $"brm-feed-{Guid.NewGuid():N}.position");
    private TcpHost _host = null!;

    public async Task InitializeAsync() => _host = await TcpHost.StartAsync();

    [Fact]
    public async Task The_node_consumer_stops_part_way_and_resumes_with_nothing_missed_or_repeated()
    {
        var client = new RelationshipService.RelationshipServiceClient(_host.ChannelAs(ApiFixture.AdminName, Role.Admin));
        var finance = await client.RegisterAsync("Finance");
        for (var i = 0; i < 4; i++)
        {
            await client.AddStakeholderAsync(Stakeholder(finance, $"Person {i}", StakeholderLevel.Staff));
        }

        await _host.Services.GetRequiredService<Marten.IDocumentStore>().WaitForProjectionsAsync();

        var first = await RunConsumerAsync("--max-events", "2", "--follow");
        var second = await RunConsumerAsync("--max-events", "10");
        var third = await RunConsumerAsync();

        var firstEvents = Events(first);
        var secondEvents = Events(second);
        Assert.Equal(["department_registered", "stakeholder_added"], firstEvents.Select(e => e.Type));
        Assert.Equal(["stakeholder_added", "stakeholder_added", "stakeholder_added"], secondEvents.Select(e => e.Type));
        var positions = firstEvents.Concat(secondEvents).Select(e => e.Position).ToList();
        Assert.Equal(positions.Order().Distinct(), positions);
        Assert.Empty(Events(third));
        Assert.Contains(third, line => line.Contains("caught_up", StringComparison.Ordinal));
        Assert.Equal("Finance", JsonDocument.Parse(first[0]).RootElement.GetProperty("payload").GetProperty("name").GetString());
    }

    // The consumer reads as a reporter: every read and the feed, nothing else.
    private async Task<List<string>> RunConsumerAsync(params string[] extra)
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])[Path.Combine(root, "examples", "feed-consumer", "follow.js"), "--address", _host.Authority,
                     "--position-file", _positionFile, "--token", TestTokens.For("reporter.bi", Role.Reporter), .. extra])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"node exited with {process.ExitCode}: {await error}");
        return [.. (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    private static List<(long Position, string Type)> Events(IEnumerable<string> lines) =>
    [
        .. lines.Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("event_type", out _))
            .Select(e => (long.Parse(e.GetProperty("position").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                e.GetProperty("event_type").GetString()!)),
    ];

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BrmCrm.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (BrmCrm.sln) was not found above the test binaries.");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        File.Delete(_positionFile);
    }
}
