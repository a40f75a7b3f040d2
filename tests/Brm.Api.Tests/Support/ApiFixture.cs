using Brm.Domain;
using Brm.V1;
using Grpc.Net.Client;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Brm.Api.Tests.Support;

/// <summary>
/// The real service, hosted in the test process, on its own database, reached through a real GrpcChannel.
/// One per test class (IClassFixture), so classes never see each other's data.
/// </summary>
public class ApiFixture : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;

    public GrpcChannel Channel { get; private set; } = null!;

    /// <summary>The test database of this fixture.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The service's clock: tests that depend on "now" set or advance it.</summary>
    public TestClock Clock { get; } = new();

    public IServiceProvider Services => _factory!.Services;

    public IDocumentStore Store => _factory!.Services.GetRequiredService<IDocumentStore>();

    public RelationshipService.RelationshipServiceClient Relationships => new(Channel);

    public MeetingService.MeetingServiceClient Meetings => new(Channel);

    protected virtual Task<string> ConnectionStringAsync() => TestPostgres.CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        var connectionString = ConnectionString = await ConnectionStringAsync();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseSetting("ConnectionStrings:Marten", connectionString)
            .UseSetting("Feed:IdleCheckpoint", "00:00:00.500")
            .ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock)));
        Channel = GrpcChannel.ForAddress(_factory.Server.BaseAddress, new GrpcChannelOptions
        {
            HttpHandler = _factory.Server.CreateHandler(),
        });
    }

    /// <summary>
    /// How many domain events the store holds: "changes nothing" is checked against it. Tombstones (rows Marten
    /// writes for the sequence numbers a failed transaction used up) are not events.
    /// </summary>
    public async Task<long> EventCountAsync()
    {
        await using var session = Store.QuerySession();
        var counts = await session.QueryAsync<long>($"select count(*) from {BrmDomain.Schema}.mt_events where type <> 'tombstone'");
        return counts.Single();
    }

    public ReportingService.ReportingServiceClient Reporting => new(Channel);

    public CommitmentService.CommitmentServiceClient Commitments => new(Channel);

    public CommunicationPlanService.CommunicationPlanServiceClient Plans => new(Channel);

    /// <summary>Waits until the async daemon's projections (and its high-water mark) have caught up.</summary>
    public Task WaitForProjectionsAsync() => Store.WaitForProjectionsAsync();

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }
}

public static class StoreWaits
{
    /// <summary>Waits until the async daemon's projections (and its high-water mark) have caught up.</summary>
    public static Task WaitForProjectionsAsync(this IDocumentStore store) =>
        store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
}
