using Brm.Domain;

namespace Brm.Api.Hosting;

public static class BrmHost
{
    /// <summary>Where the service listens when neither ASPNETCORE_URLS nor --urls is given (plaintext HTTP/2).</summary>
    public const string DefaultAddress = "http://localhost:50051";

    /// <summary>True when <c>ConnectionStrings:Marten</c> names a database, so no local PostgreSQL is run.</summary>
    public static bool UsesConnectionString(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Marten"));

    /// <summary>The service's data folder: <c>BRM_DATA_DIR</c>, else the per-user default (see docs/local-postgres.md).</summary>
    public static string DataDirectory(IConfiguration configuration) =>
        configuration["BRM_DATA_DIR"] is { Length: > 0 } configured ? configured : LocalPostgres.DefaultDataDirectory();

    /// <summary>
    /// Wires the domain to <c>ConnectionStrings:Marten</c> when set; otherwise to a private PostgreSQL cluster in
    /// the data folder, started on first use and stopped when the host is disposed. Returns false, having said
    /// why in one line, when neither is possible.
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

        // Registered before Marten's hosted services, so it stops after them.
        builder.Services.AddHostedService<LocalPostgresLifetime>();
        builder.Services.AddBrmDomain(sp => sp.GetRequiredService<LocalPostgres>().StartAsync().GetAwaiter().GetResult()).WithMessaging();
        return true;
    }
}

/// <summary>
/// Stops the private cluster when the host stops (it is started lazily, by the first store use); warns at start-up
/// when it runs outside the Development environment, where it is most likely a missing or misspelt connection string.
/// </summary>
internal sealed class LocalPostgresLifetime(LocalPostgres local, IHostEnvironment environment, ILogger<LocalPostgresLifetime> logger) : IHostedService
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

    public Task StopAsync(CancellationToken cancellationToken) => local.StopAsync();
}
