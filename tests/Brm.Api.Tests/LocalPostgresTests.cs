using Brm.Api.Hosting;
using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

/// <summary>The local-PostgreSQL default: no connection string, a data folder, data that outlives the process.</summary>
public sealed class LocalPostgresTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"brm-local-{Guid.NewGuid():N}");

    [Fact]
    public async Task Without_a_connection_string_the_service_keeps_its_data_in_the_data_folder_across_restarts()
    {
        var code = UniqueCode("finance");
        string token;
        await using (var first = Start())
        {
            token = DevToken(first);
            var client = new RelationshipService.RelationshipServiceClient(ChannelTo(first, token));
            var finance = await client.RegisterAsync("Finance", code: code);
            await client.AddStakeholderAsync(Stakeholder(finance, "Alice Smith", StakeholderLevel.Executive));
            await client.AddStakeholderAsync(Stakeholder(finance, "Bob Jones", StakeholderLevel.Manager));
            await client.AddStakeholderAsync(Stakeholder(finance, "Carol White", StakeholderLevel.Staff));
            await client.RecordInformationNeedAsync(new RecordInformationNeedRequest
            {
                RelationshipId = finance.Id, Description = "monthly outage summary", Priority = Priority.High,
            });
            await client.RecordCommunicationPreferenceAsync(new RecordCommunicationPreferenceRequest
            {
                RelationshipId = finance.Id, Channel = Channel.Email, Audience = "all staff", Notes = "monthly outage summary",
            });
        }

        Assert.True(File.Exists(Path.Combine(_dataDirectory, "pg", "PG_VERSION")));
        Assert.False(File.Exists(Path.Combine(_dataDirectory, "pg", "postmaster.pid")), "the cluster should be stopped with the service");

        // The development signing key lives in the data folder too, so a token outlives the process that issued it.
        await using var second = Start();
        var read = (await new RelationshipService.RelationshipServiceClient(ChannelTo(second, token))
            .GetRelationshipAsync(new GetRelationshipRequest { Code = code })).Relationship;

        Assert.Equal(3, read.StakeholderCounts.Total);
        Assert.Equal("monthly outage summary", Assert.Single(read.InformationNeeds).Description);
        Assert.Equal(Channel.Email, Assert.Single(read.CommunicationPreferences).Channel);
        Assert.Equal(6, read.Version);
        var key = Path.Combine(_dataDirectory, DevTokens.KeyFileName);
        Assert.True(File.Exists(key));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }
    }

    [Fact]
    public async Task When_the_database_stops_health_is_not_serving_and_calls_are_unavailable()
    {
        await using var service = Start();
        var channel = ChannelTo(service, DevToken(service));
        var client = new RelationshipService.RelationshipServiceClient(channel);
        var finance = await client.RegisterAsync();

        await ((LocalPostgres)service.Services.GetService(typeof(LocalPostgres))!).StopAsync();

        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, health.Status);
        await FailsWith(StatusCode.Unavailable, client.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = finance.Id }));
        await FailsWith(StatusCode.Unavailable, client.RenameDepartmentAsync(
            new RenameDepartmentRequest { RelationshipId = finance.Id, Name = "Finance & Tax" }));
    }

    [Fact]
    public async Task The_service_connects_as_a_role_that_owns_its_database_and_may_do_nothing_else()
    {
        await using var service = Start();

        var role = Assert.Single(await Sql.RowsAsync(ServiceConnectionString(service),
            "select current_user::text, rolsuper, rolcreaterole, rolcreatedb, pg_get_userbyid(d.datdba)::text "
            + "from pg_roles, pg_database d where rolname = current_user and d.datname = current_database()"));

        Assert.Equal([ServiceRole.Name, false, false, false, ServiceRole.Name], role);
    }

    [Fact]
    public async Task A_data_folder_of_an_earlier_version_whose_superuser_owns_everything_starts_and_is_handed_to_the_service_role()
    {
        var code = UniqueCode("finance");
        await using (var first = Start())
        {
            await new RelationshipService.RelationshipServiceClient(ChannelTo(first, DevToken(first))).RegisterAsync("Finance", code: code);
        }

        // As an earlier version left it: the superuser owns the database and everything in it, and there is no service role.
        await using (var admin = new LocalPostgres(new LocalPostgresOptions(_dataDirectory)))
        {
            await admin.StartAsync();
            await Sql.ExecuteAsync(admin.AdminConnectionString("brm"), $"reassign owned by {ServiceRole.Name} to brm; drop owned by {ServiceRole.Name}");
            await Sql.ExecuteAsync(admin.AdminConnectionString("postgres"), $"drop owned by {ServiceRole.Name}; drop role {ServiceRole.Name}");
        }

        File.Delete(Path.Combine(_dataDirectory, "pg-service-password"));

        await using var second = Start();
        var client = new RelationshipService.RelationshipServiceClient(ChannelTo(second, DevToken(second)));
        Assert.Equal("Finance", (await client.GetRelationshipAsync(new GetRelationshipRequest { Code = code })).Relationship.Name);
        await client.RegisterAsync("Tax", code: UniqueCode("tax"));
        var owners = await Sql.RowsAsync(ServiceConnectionString(second),
            "select distinct pg_get_userbyid(relowner)::text from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'brm'");
        Assert.Equal([ServiceRole.Name], owners.Select(row => row[0]));
    }

    [Fact]
    public async Task A_data_folder_whose_name_holds_shell_syntax_is_only_a_name()
    {
        var parent = Directory.CreateTempSubdirectory("brm-shell-");
        var marker = Path.Combine(parent.FullName, "pwned");
        try
        {
            await using var service = Start(Path.Combine(parent.FullName, $"data$(touch {marker})`touch {marker}`"));
            await new RelationshipService.RelationshipServiceClient(ChannelTo(service, DevToken(service))).RegisterAsync();

            Assert.False(File.Exists(marker), "a command in the data folder's name ran");
        }
        finally
        {
            parent.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Missing_server_binaries_fail_with_one_line_saying_what_to_install_or_set()
    {
        var empty = Directory.CreateTempSubdirectory("brm-no-bin-");
        try
        {
            await using var local = new LocalPostgres(new LocalPostgresOptions(_dataDirectory, empty.FullName));

            var failure = await Assert.ThrowsAsync<LocalPostgresException>(() => local.StartAsync());

            Assert.DoesNotContain('\n', failure.Message);
            Assert.Contains("install PostgreSQL", failure.Message, StringComparison.Ordinal);
            Assert.Contains("ConnectionStrings__Marten", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete();
        }
    }

    private WebApplicationFactory<Program> Start(string? dataDirectory = null) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(host => host.UseSetting("BRM_DATA_DIR", dataDirectory ?? _dataDirectory));

    private static string ServiceConnectionString(WebApplicationFactory<Program> factory) =>
        factory.Services.GetRequiredService<LocalPostgres>().ConnectionString("brm");

    // In the local mode the service accepts development tokens, signed with the key in its data folder.
    private static string DevToken(WebApplicationFactory<Program> factory) =>
        factory.Services.GetRequiredService<DevTokens>().Issue("admin.local", Role.Admin, TimeSpan.FromHours(1));

    private static GrpcChannel ChannelTo(WebApplicationFactory<Program> factory, string token) =>
        GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions
        {
            HttpHandler = new BearerHandler(token, factory.Server.CreateHandler()),
        });

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }

        return Task.CompletedTask;
    }
}
