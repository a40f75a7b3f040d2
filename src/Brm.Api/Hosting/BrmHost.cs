using Brm.Domain;

namespace Brm.Api.Hosting;

public static class BrmHost
{
    /// <summary>Where the service listens for gRPC (plaintext HTTP/2) when nothing says otherwise.</summary>
    public const string DefaultAddress = "http://localhost:50051";

    /// <summary>
    /// Where the service also listens on HTTP/1.1 when nothing says otherwise: the JSON routes for clients that do not
    /// speak HTTP/2 with prior knowledge (curl without flags, spreadsheets, browsers).
    /// </summary>
    public const string DefaultHttp1Address = "http://localhost:50052";

    /// <summary>
    /// With no <c>urls</c> (ASPNETCORE_URLS, --urls) and no <c>Kestrel:Endpoints</c>, two endpoints: <c>Grpc</c> on
    /// <see cref="DefaultAddress"/> (HTTP/2) and <c>Http1</c> on <see cref="DefaultHttp1Address"/> (HTTP/1.1). On a
    /// plaintext endpoint Kestrel speaks one protocol, hence two. Anything configured is left as it is.
    /// </summary>
    public static void UseDefaultEndpoints(this WebApplicationBuilder builder)
    {
        if (!string.IsNullOrEmpty(builder.Configuration["urls"]) || builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            return;
        }

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Grpc:Url"] = DefaultAddress,
            ["Kestrel:Endpoints:Grpc:Protocols"] = "Http2",
            ["Kestrel:Endpoints:Http1:Url"] = DefaultHttp1Address,
            ["Kestrel:Endpoints:Http1:Protocols"] = "Http1",
        });
    }

    /// <summary>
    /// Builds the protobuf descriptors of the API's files (and of their imports) on a thread-pool thread, without
    /// waiting: mapping the services with their JSON transcoding routes needs them, and building them (about 0.15 s)
    /// then overlaps with the host's configuration instead of following it. A descriptor is built once, in its file's
    /// static constructor; whoever needs it first while it is being built waits for it.
    /// </summary>
    public static void BuildProtobufDescriptorsEarly() => _ = Task.Run(() =>
    {
        foreach (var file in typeof(Brm.V1.RelationshipService).Assembly.GetTypes()
                     .Where(t => t.Namespace == "Brm.V1" && t.Name.EndsWith("Reflection", StringComparison.Ordinal)))
        {
            _ = file.GetProperty("Descriptor")?.GetValue(null);
        }

        _ = Google.Rpc.ErrorDetailsReflection.Descriptor;
    });

    /// <summary>True when <c>ConnectionStrings:Marten</c> names a database, so no local PostgreSQL is run.</summary>
    public static bool UsesConnectionString(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Marten"));

    /// <summary>The service's data folder: <c>BRM_DATA_DIR</c>, else the per-user default (see docs/local-postgres.md).</summary>
    public static string DataDirectory(IConfiguration configuration) =>
        configuration["BRM_DATA_DIR"] is { Length: > 0 } configured ? configured : LocalPostgres.DefaultDataDirectory();

    /// <summary>
    /// Wires the domain to <c>ConnectionStrings:Marten</c> when set; otherwise to a private PostgreSQL cluster in
    /// the data folder, started early (<see cref="StartDatabaseEarly"/>) or on first use, and stopped when the host
    /// stops or is disposed. Returns false, having said why in one line, when neither is possible.
    /// </summary>
    public static bool AddDatabase(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Marten");
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            builder.Services.AddBrmDomain(_ => connectionString).WithMessaging();
            return true;
        }

        var binDirectory = PostgresBinaries.Find();
        if (binDirectory is null)
        {
            Console.Error.WriteLine(PostgresBinaries.MissingMessage);
            return false;
        }

        builder.Services.AddSingleton(sp => new LocalPostgres(
            new LocalPostgresOptions(DataDirectory(builder.Configuration), binDirectory),
            sp.GetRequiredService<ILogger<LocalPostgres>>()));

        builder.Services.AddSingleton<LocalPostgresStart>();

        // Registered before Marten's hosted services, so it stops after them.
        builder.Services.AddHostedService<LocalPostgresLifetime>();
        builder.Services.AddBrmDomain(sp => sp.GetRequiredService<LocalPostgresStart>().ConnectionString).WithMessaging();
        return true;
    }

    /// <summary>
    /// Starts the private cluster, if the service runs one, without waiting for it: it starts (about 0.4 s) while the
    /// endpoints are mapped and the host's services are built, not after, when the store first needs it.
    /// </summary>
    public static void StartDatabaseEarly(this WebApplication app) => app.Services.GetService<LocalPostgresStart>()?.Begin();
}

/// <summary>
/// Starts the private cluster once: early (<see cref="BrmHost.StartDatabaseEarly"/>), or at the first use of the store,
/// which waits for it and gets its connection string (or the start's exception).
/// </summary>
internal sealed class LocalPostgresStart(LocalPostgres local) : IAsyncDisposable
{
    private readonly Lazy<Task<string>> _start = new(() => Task.Run(() => local.StartAsync()));

    public void Begin() => _ = _start.Value;

    public string ConnectionString => _start.Value.GetAwaiter().GetResult();

    /// <summary>
    /// Stops the cluster once a start that began has ended: a host that fails before it needs the store (an invalid
    /// option, say) is disposed while the start may still run, and stopping then would leave the server running.
    /// </summary>
    public async Task StopAsync()
    {
        if (_start.IsValueCreated)
        {
            try
            {
                await _start.Value;
            }
            catch (Exception)
            {
                // a failed start left nothing to stop; it is reported where the store needed it
            }
        }

        await local.StopAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

/// <summary>
/// Stops the private cluster when the host stops (it is started early, or by the first store use); warns at start-up
/// when it runs outside the Development environment, where it is most likely a missing or misspelt connection string.
/// </summary>
internal sealed class LocalPostgresLifetime(
    LocalPostgres local, LocalPostgresStart start, IHostEnvironment environment, ILogger<LocalPostgresLifetime> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!environment.IsDevelopment())
        {
            logger.LogWarning(
                "No ConnectionStrings:Marten is set, so the service runs its own PostgreSQL in {DataDirectory}, a mode meant for development "
                + "(environment {Environment}): on a production host, set ConnectionStrings__Marten", local.DataDirectory, environment.EnvironmentName);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => start.StopAsync();
}
