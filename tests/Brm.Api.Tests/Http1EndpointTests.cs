using System.Net;
using System.Text.Json;
using Brm.Api.Hosting;
using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Brm.Api.Tests;

/// <summary>
/// The second endpoint: the JSON routes over plain HTTP/1.1 (curl without flags, a spreadsheet), next to gRPC on
/// h2c, on a real Kestrel with two endpoints as the defaults make them.
/// </summary>
public sealed class Http1EndpointTests
{
    [Fact]
    public void With_nothing_configured_the_service_listens_on_http_2_and_http_1_1()
    {
        var builder = WebApplication.CreateBuilder();

        builder.UseDefaultEndpoints();

        Assert.Equal(
            [("http://localhost:50051", "Http2"), ("http://localhost:50052", "Http1")],
            builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().OrderBy(e => e["Url"], StringComparer.Ordinal).Select(e => (e["Url"], e["Protocols"])));
    }

    [Fact]
    public void Configured_addresses_are_left_as_they_are()
    {
        var withUrls = WebApplication.CreateBuilder(["--urls", "http://0.0.0.0:9000"]);
        withUrls.UseDefaultEndpoints();
        Assert.Empty(withUrls.Configuration.GetSection("Kestrel:Endpoints").GetChildren());

        var withEndpoints = WebApplication.CreateBuilder(["--Kestrel:Endpoints:Only:Url", "http://0.0.0.0:9001"]);
        withEndpoints.UseDefaultEndpoints();
        Assert.Equal(["Only"], withEndpoints.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e.Key));
    }

    [Fact]
    public async Task The_json_routes_answer_over_http_1_1_and_grpc_keeps_http_2()
    {
        await using var host = await TcpHost.StartAsync(
            ("Kestrel:Endpoints:Grpc:Url", "http://127.0.0.1:0"), ("Kestrel:Endpoints:Grpc:Protocols", "Http2"),
            ("Kestrel:Endpoints:Http1:Url", "http://127.0.0.1:0"), ("Kestrel:Endpoints:Http1:Protocols", "Http1"));
        Assert.Equal(2, host.Addresses.Count);

        // Each address answers one protocol: find the HTTP/1.1 one by asking both.
        using var http = new HttpClient(new SocketsHttpHandler())
        {
            DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        http.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.For("bi.loader", Role.Reporter));
        var answers = new Dictionary<string, HttpResponseMessage?>();
        foreach (var address in host.Addresses)
        {
            try
            {
                answers[address] = await http.GetAsync(new Uri(new Uri(address), "/v1/tags"));
            }
            catch (HttpRequestException)
            {
                answers[address] = null;
            }
        }

        // The HTTP/2-only endpoint refuses an HTTP/1.1 request (400, "HTTP/1.x request sent to HTTP/2 only endpoint").
        var http1 = Assert.Single(answers, a => a.Value?.StatusCode == HttpStatusCode.OK);
        Assert.Equal(HttpVersion.Version11, http1.Value!.Version);
        using var json = JsonDocument.Parse(await http1.Value.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);

        // gRPC on the other address, over HTTP/2 as ever.
        var grpc = answers.Single(a => a.Key != http1.Key).Key;
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(grpc, new Grpc.Net.Client.GrpcChannelOptions
        {
            HttpHandler = new BearerHandler(TestTokens.For("bi.loader", Role.Reporter), new SocketsHttpHandler()),
        });
        Assert.NotNull(await new TagService.TagServiceClient(channel).ListTagsAsync(new ListTagsRequest()));

        foreach (var answer in answers.Values)
        {
            answer?.Dispose();
        }
    }
}
