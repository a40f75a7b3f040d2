using Brm.Api.Hosting;
using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using IProjectionCoordinator = Marten.Events.Daemon.Coordination.IProjectionCoordinator;

namespace Brm.Api.Tests;

public sealed class HostTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Health_is_serving_while_the_database_answers()
    {
        var health = await new Health.HealthClient(api.Channel).CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Health_checks_in_a_row_query_the_database_once_per_cache_period()
    {
        var check = api.Services.GetRequiredService<DatabaseHealthCheck>();
        var health = new Health.HealthClient(api.ChannelWith(null));
        await health.CheckAsync(new HealthCheckRequest()); // the clock stands still: this answer is the one cached
        var before = check.Queries;

        await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ => await health.CheckAsync(new HealthCheckRequest())));
        var cached = check.Queries;
        api.Clock.Advance(TimeSpan.FromSeconds(2));
        var fresh = await health.CheckAsync(new HealthCheckRequest());

        Assert.Equal(before, cached);
        Assert.Equal(before + 1, check.Queries);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, fresh.Status);
    }

    [Fact]
    public async Task The_async_daemon_starts_once_the_host_has_started_not_before_the_server_listens()
    {
        // Hosted services start in turn, the server last: the daemon is none of them (a start would wait for its leadership
        // lock and agents), it starts once the host has started (DaemonAfterStart), and then runs the projections.
        var hosted = api.Services.GetServices<IHostedService>().ToList();
        var coordinator = api.Services.GetRequiredService<IProjectionCoordinator>();

        Assert.DoesNotContain(hosted, service => ReferenceEquals(service, coordinator));
        Assert.Single(hosted.OfType<Brm.Domain.DaemonAfterStart>());
        var finance = await api.Relationships.RegisterAsync(name: "Finance");
        await api.WaitForProjectionsAsync();
        var timeline = await api.Reporting.GetTimelineAsync(new GetTimelineRequest { RelationshipId = finance.Id });
        Assert.NotEmpty(timeline.Entries);
    }

    [Fact]
    public async Task Reflection_lists_the_brm_services()
    {
        using var call = new ServerReflection.ServerReflectionClient(api.Channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext());

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Contains(RelationshipService.Descriptor.FullName, services);
        Assert.Contains(MeetingService.Descriptor.FullName, services);
        Assert.Contains("grpc.health.v1.Health", services);
    }
}
