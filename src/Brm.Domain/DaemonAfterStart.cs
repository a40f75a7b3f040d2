using JasperFx.Events.Daemon;
using Marten;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Brm.Domain;

/// <summary>
/// Runs the async daemon (HotCold: each asynchronous projection on one node at a time, taken over when that node stops) as
/// Marten's <c>AddAsyncDaemon</c> does, but starts it once the host has started (<see cref="IHostedLifecycleService.StartedAsync"/>),
/// after the server listens, not before: a start no longer waits for the daemon's leadership lock, its high-water mark and its
/// agents (0.2 s on a store of 20,000 events, less on an empty one: docs/PERFORMANCE.md). Nothing waits on it: what it projects (timeline, search) is read
/// eventually consistent anyway, and events recorded before it runs are in the store, where it finds them.
/// </summary>
public sealed class DaemonAfterStart(Marten.Events.Daemon.Coordination.IProjectionCoordinator coordinator) : IHostedLifecycleService
{
    public static void Register(IServiceCollection services)
    {
        services.ConfigureMarten(options => options.Projections.AsyncMode = DaemonMode.HotCold);
        services.AddSingleton<Marten.Events.Daemon.Coordination.IProjectionCoordinator, ProjectionCoordinator>();
        services.AddSingleton<JasperFx.Events.Daemon.IProjectionCoordinator>(
            s => s.GetRequiredService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>());
        services.AddHostedService<DaemonAfterStart>();
    }

    public Task StartedAsync(CancellationToken cancellationToken) => coordinator.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => coordinator.StopAsync(cancellationToken);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
