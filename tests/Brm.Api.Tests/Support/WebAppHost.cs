using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Brm.Api.Tests.Support;

/// <summary>
/// The service as the web app needs it: Kestrel with a gRPC (HTTP/2) endpoint and an HTTP/1.1 endpoint that serves the app,
/// its gRPC-Web calls and the development sign-in, against PostgreSQL, in its own data folder.
/// </summary>
internal sealed class WebAppHost : IAsyncDisposable
{
    private readonly string _data;

    private WebAppHost(TcpHost host, string data, string web, string grpc) => (Host, _data, Web, Grpc) = (host, data, web, grpc);

    public TcpHost Host { get; }

    /// <summary>The HTTP/1.1 origin: the app, gRPC-Web and sign-in.</summary>
    public string Web { get; }

    /// <summary>The HTTP/2 address for gRPC clients that set up a test's data.</summary>
    public string Grpc { get; }

    public static Task<WebAppHost> StartAsync(params (string Key, string Value)[] settings) => StartAsync(null, settings);

    /// <summary>As the other StartAsync, the service reading the time from <paramref name="clock"/> (a test's <see cref="TestClock"/>).</summary>
    public static async Task<WebAppHost> StartAsync(TimeProvider? clock, params (string Key, string Value)[] settings)
    {
        var data = Path.Combine(Path.GetTempPath(), $"brm-web-{Guid.NewGuid():N}");
        Action<IServiceCollection>? services = clock is null ? null : s => s.AddSingleton(clock);
        var host = await TcpHost.StartAsync(services, [
            ("Kestrel:Endpoints:Grpc:Url", "http://127.0.0.1:0"), ("Kestrel:Endpoints:Grpc:Protocols", "Http2"),
            ("Kestrel:Endpoints:Http1:Url", "http://127.0.0.1:0"), ("Kestrel:Endpoints:Http1:Protocols", "Http1"),
            ("Auth:AllowDevTokens", "true"), ("BRM_DATA_DIR", data), ("Feedback:Rounds", "false"), ("Outreach:Digests", "false"),
            .. settings,
        ]);

        // Each address speaks one protocol: the one that answers HTTP/1.1 serves the app.
        string web = "", grpc = "";
        using var http = new HttpClient(new SocketsHttpHandler()) { DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        foreach (var address in host.Addresses)
        {
            try
            {
                (await http.GetAsync($"{address}/web/config.json")).EnsureSuccessStatusCode();
                web = address;
            }
            catch (HttpRequestException)
            {
                grpc = address;
            }
        }

        Assert.NotEqual("", web);
        Assert.NotEqual("", grpc);
        return new WebAppHost(host, data, web, grpc);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (Directory.Exists(_data)) // made by development tokens, where they are accepted
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
