using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
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
