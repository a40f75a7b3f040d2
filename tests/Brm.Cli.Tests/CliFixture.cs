using System.Text.Json;
using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Brm.Cli.Tests;

/// <summary>What one run of `brm` did: its exit code and what it wrote.</summary>
public sealed record CliRun(int Exit, string Out, string Error)
{
    public JsonElement Json => JsonDocument.Parse(Out).RootElement;

    public override string ToString() => $"exit {Exit}\n{Out}\n{Error}";
}

/// <summary>
/// The real service on a real Kestrel port, on its own throw-away database, and `brm` run in-process against it
/// (one per test class). Runs carry an admin token unless told otherwise.
/// </summary>
public sealed class CliFixture : IAsyncLifetime
{
    public const string AdminName = "admin.tests";

    private WebApplicationFactory<global::Program> _factory = null!;

    public string Address { get; private set; } = "";

    /// <summary>A config file no run has written to: the user's own config never leaks into a test.</summary>
    public string ConfigPath { get; } = Path.Combine(Path.GetTempPath(), $"brm-cli-tests-{Guid.NewGuid():N}.json");

    /// <summary>Where updates are delivered, as .eml files (no SMTP server is configured).</summary>
    public string PickupFolder { get; } = Path.Combine(Path.GetTempPath(), $"brm-cli-tests-mail-{Guid.NewGuid():N}");

    public string AdminToken { get; } = TestTokens.For(AdminName, Role.Admin);

    public static string TokenFor(string name, Role role) => TestTokens.For(name, role);

    /// <summary>The service's clock: the machine's, unless a test shifts it (to record a history in past months).</summary>
    public ShiftedClock Clock { get; } = new();

    public async Task InitializeAsync()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        _factory = new WebApplicationFactory<global::Program>().WithWebHostBuilder(host => host
            .UseSetting("ConnectionStrings:Marten", connectionString)
            .UseSetting("Feed:IdleCheckpoint", "00:00:00.500")
            .UseSetting("urls", "http://127.0.0.1:0")
            .UseSetting("Outreach:PickupFolder", PickupFolder)
            .UseSetting("Outreach:Digests", "false") // no weekly digests appending while a test runs
            .UseSetting("Feedback:Rounds", "false") // nor feedback rounds
            .AcceptTestTokens()
            .ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock)));
        _factory.UseKestrel(0);
        _factory.StartServer();
        Address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    /// <summary>Runs `brm args --address A --token T --config C`, as an admin (<see cref="RunAsAsync"/> for another caller; a null token sends none).</summary>
    public Task<CliRun> RunAsync(params string[] args) => RunAsAsync(AdminToken, args);

    public async Task<CliRun> RunAsAsync(string? token, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string[] connection = token is null ? ["--address", Address, "--config", ConfigPath] : ["--address", Address, "--token", token, "--config", ConfigPath];
        var exit = await Cli.RunAsync([.. args, .. connection], stdout, stderr);
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Waits until the async projections (reports, coverage, feed) have caught up.</summary>
    public Task WaitForProjectionsAsync() =>
        _factory.Services.GetRequiredService<IDocumentStore>().WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        File.Delete(ConfigPath);
        if (Directory.Exists(PickupFolder))
        {
            Directory.Delete(PickupFolder, recursive: true);
        }
    }
}

/// <summary>The machine's clock moved by <see cref="Shift"/> (none unless a test sets it): time goes on as ever.</summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Shift { get; set; }

    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + Shift;
}
