using Brm.Api.Security;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Brm.Api.Tests.Support;

/// <summary>
/// The real service on Kestrel, on a loopback port of its own, for what the in-memory test server does not
/// reproduce: a client in another process, and HTTP/2 as it is on a wire (e.g. a stream reset after its trailers).
/// </summary>
public sealed class TcpHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;
    private readonly List<GrpcChannel> _channels = [];

    private TcpHost(WebApplicationFactory<Program> factory, IReadOnlyList<string> addresses, string connectionString)
    {
        _factory = factory;
        Addresses = addresses;
        Authority = new Uri(addresses[0]).Authority;
        ConnectionString = connectionString;
    }

    /// <summary>host:port the service listens on (h2c), its first address.</summary>
    public string Authority { get; }

    /// <summary>Every address the service listens on (several when the settings name Kestrel endpoints).</summary>
    public IReadOnlyList<string> Addresses { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>The test database of this host.</summary>
    public string ConnectionString { get; }

    /// <summary>Starts the service on its own test database, with <paramref name="settings"/> on top of the tests' own.</summary>
    public static Task<TcpHost> StartAsync(params (string Key, string Value)[] settings) => StartAsync(null, settings);

    /// <summary>As the other StartAsync, with <paramref name="services"/> added on top of the service's own (a test clock, say).</summary>
    public static async Task<TcpHost> StartAsync(Action<IServiceCollection>? services, params (string Key, string Value)[] settings)
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("ConnectionStrings:Marten", connectionString)
                .UseSetting("urls", "http://127.0.0.1:0")
                .AcceptTestTokens()
                .WithoutRateLimits();
            foreach (var (key, value) in settings)
            {
                host.UseSetting(key, value);
            }

            if (services is not null)
            {
                host.ConfigureTestServices(services);
            }
        });
        factory.UseKestrel(0);
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        return new TcpHost(factory, addresses, connectionString);
    }

    /// <summary>A channel over TCP (to <c>address</c>, else the first) whose calls carry a token for <paramref name="name"/> in <paramref name="role"/>.</summary>
    public GrpcChannel ChannelAs(string name, Role role, string? address = null)
    {
        var channel = GrpcChannel.ForAddress(address ?? $"http://{Authority}", new GrpcChannelOptions
        {
            HttpHandler = new BearerHandler(TestTokens.For(name, role), new SocketsHttpHandler()),
        });
        _channels.Add(channel);
        return channel;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        await _factory.DisposeAsync();
    }
}
