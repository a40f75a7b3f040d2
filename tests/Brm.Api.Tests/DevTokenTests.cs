using System.Runtime.Versioning;
using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using Grpc.Net.Client;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

/// <summary>A service on a real connection string, with a data folder that holds a development key.</summary>
public class DataFolderFixture : ApiFixture, IDisposable
{
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"brm-dev-tokens-{Guid.NewGuid():N}");

    /// <summary>A token signed with the development key of <see cref="DataDirectory"/>, as `dev-token` prints it.</summary>
    public string DevToken(string name, Role role) => new DevTokens(DataDirectory).Issue(name, role, TimeSpan.FromHours(1));

    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("BRM_DATA_DIR", DataDirectory)];

    public void Dispose()
    {
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class DevTokensAllowedFixture : DataFolderFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [.. base.Settings(), new("Auth:AllowDevTokens", "true")];
}

public sealed class DevTokensWithAConnectionStringTests(DataFolderFixture api) : IClassFixture<DataFolderFixture>
{
    [Fact]
    public async Task Are_unauthenticated_unless_configuration_allows_them()
    {
        var client = new RelationshipService.RelationshipServiceClient(api.ChannelWith(api.DevToken("admin.dev", Role.Admin)));

        await FailsWith(StatusCode.Unauthenticated, client.ListRelationshipsAsync(new ListRelationshipsRequest()));
    }
}

public sealed class DevTokensAllowedTests(DevTokensAllowedFixture api) : IClassFixture<DevTokensAllowedFixture>
{
    [Fact]
    public async Task Are_accepted_with_a_connection_string_when_configuration_allows_them_and_name_the_actor()
    {
        var client = new RelationshipService.RelationshipServiceClient(api.ChannelWith(api.DevToken("admin.dev", Role.Admin)));

        var registered = await client.RegisterAsync("Finance");

        await using var session = api.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(Guid.Parse(registered.Id));
        Assert.Equal("admin.dev", Assert.Single(events).UserName);
    }

    [Fact]
    public async Task Tokens_of_the_configured_issuer_are_still_accepted()
    {
        var read = await api.Relationships.ListRelationshipsAsync(new ListRelationshipsRequest());

        Assert.NotNull(read);
    }
}

/// <summary>
/// The real process, started as a production host starts it (<c>dotnet Brm.Api.dll</c>, environment Production): a
/// missing connection string must not open the door to development tokens, and a key file others could read stops it.
/// </summary>
public sealed class DevTokensInTheProcessTests : IDisposable
{
    private const string Accepted = "Development tokens are accepted";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"brm-dev-process-{Guid.NewGuid():N}");

    [Fact]
    public async Task Outside_Development_without_a_connection_string_they_are_unauthenticated_and_dev_token_refuses()
    {
        Dictionary<string, string> settings = new() { ["BRM_DATA_DIR"] = _dataDirectory };
        await using var service = ServiceProcess.Start(settings);
        var client = ClientOf(await service.AddressAsync(), DevToken());

        await FailsWith(StatusCode.Unauthenticated, client.ListRelationshipsAsync(new ListRelationshipsRequest()));
        Assert.DoesNotContain(Accepted, service.Output, StringComparison.Ordinal);

        await using var command = ServiceProcess.Start(settings, "dev-token", "--role", "admin", "--name", "admin.dev");
        Assert.NotEqual(0, await command.ExitCodeAsync());
        Assert.Contains("does not accept development tokens", command.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asked_for_outside_Development_they_are_accepted_with_one_warning()
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["BRM_DATA_DIR"] = _dataDirectory, ["Auth__AllowDevTokens"] = "true",
            ["ConnectionStrings__Marten"] = await TestPostgres.CreateDatabaseAsync(),
        });
        var client = ClientOf(await service.AddressAsync(), DevToken());

        Assert.NotNull(await client.ListRelationshipsAsync(new ListRelationshipsRequest()));
        var warning = Assert.Single(service.Output.Split('\n'), line => line.Contains(Accepted, StringComparison.Ordinal));
        Assert.Contains("Auth:AllowDevTokens=True", warning, StringComparison.Ordinal);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task A_key_file_others_may_read_stops_the_service_with_one_line_saying_why()
    {
        var key = new DevTokens(_dataDirectory).KeyFile;
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var failure = await RefusedAsync();

        Assert.Contains($"{key} is open to other users (mode 0644)", failure, StringComparison.Ordinal);
        Assert.Contains($"chmod 600 {key}", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_file_of_another_user_stops_the_service_with_one_line_saying_why()
    {
        if (Environment.UserName != "root")
        {
            return; // only root can give a file away (CI runs as root)
        }

        var key = new DevTokens(_dataDirectory).KeyFile;
        using (var chown = System.Diagnostics.Process.Start("chown", ["nobody", key]))
        {
            await chown.WaitForExitAsync();
            Assert.Equal(0, chown.ExitCode);
        }

        var failure = await RefusedAsync();

        Assert.Contains($"{key} belongs to nobody, not to root", failure, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    // Starts the service with development tokens asked for; it must exit with code 1 and one line naming the key file.
    private async Task<string> RefusedAsync()
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["BRM_DATA_DIR"] = _dataDirectory, ["Auth__AllowDevTokens"] = "true", ["ConnectionStrings__Marten"] = "Host=127.0.0.1;Database=unused",
        });

        Assert.Equal(1, await service.ExitCodeAsync());
        var key = Path.Combine(_dataDirectory, DevTokens.KeyFileName);
        Assert.DoesNotContain("Exception", service.Output, StringComparison.Ordinal);
        return Assert.Single(service.Output.Split('\n'), line => line.Contains(key, StringComparison.Ordinal));
    }

    private string DevToken() => new DevTokens(_dataDirectory).Issue("admin.dev", Role.Admin, TimeSpan.FromHours(1));

    private static RelationshipService.RelationshipServiceClient ClientOf(Uri address, string token) =>
        new(GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = new BearerHandler(token, new SocketsHttpHandler()) }));
}
