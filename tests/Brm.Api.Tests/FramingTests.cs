using System.Net;
using System.Net.Http.Headers;
using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Google.Protobuf.Reflection;
using Brm.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Brm.Api.Tests;

/// <summary>
/// Request bodies that are not one gRPC message, sent as raw HTTP/2 gRPC requests to every brm.v1 RPC: with a valid
/// token they are INVALID_ARGUMENT, never INTERNAL; without one they are UNAUTHENTICATED before the body is read.
/// </summary>
public sealed class FramingTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly byte[] EmptyMessage = [0, 0, 0, 0, 0];

    /// <summary>Each malformed body: its bytes and the grpc-encoding it is sent with (none when null).</summary>
    private static readonly (string Kind, byte[] Body, string? Encoding)[] Malformed =
    [
        ("two messages in one call", [.. EmptyMessage, .. EmptyMessage], null),
        ("stray bytes after the message", [.. EmptyMessage, 0x01, 0x02], null),
        ("the compressed flag without grpc-encoding", [1, 0, 0, 0, 0], null),
        ("the compressed flag with grpc-encoding identity", [1, 0, 0, 0, 0], "identity"),
        ("bytes that are not the request message", [0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF], null),
    ];

    public static TheoryData<string> AllRpcs() => [.. Rpcs.All.Select(m => m.Name())];

    [Theory]
    [MemberData(nameof(AllRpcs))]
    public async Task Malformed_framing_is_invalid_argument_for_a_caller_with_a_token(string rpc)
    {
        foreach (var (kind, body, encoding) in Malformed)
        {
            var (status, detail) = await SendAsync(Rpcs.Named(rpc), body, encoding, TestTokens.For("admin.framing", Role.Admin));

            Assert.True(status == StatusCode.InvalidArgument, $"{rpc}, {kind}: {status} {detail}");
        }
    }

    [Theory]
    [MemberData(nameof(AllRpcs))]
    public async Task Malformed_framing_without_a_valid_token_is_unauthenticated_before_the_body_is_read(string rpc)
    {
        foreach (var token in (string?[])[null, TestTokens.Expired("admin.framing", Role.Admin)])
        {
            foreach (var (kind, body, encoding) in Malformed)
            {
                var (status, detail) = await SendAsync(Rpcs.Named(rpc), body, encoding, token);

                Assert.True(status == StatusCode.Unauthenticated, $"{rpc}, {kind}, token {(token is null ? "none" : "expired")}: {status} {detail}");
            }
        }
    }

    [Fact]
    public async Task A_malformed_call_multiplexed_with_valid_ones_on_one_connection_fails_alone()
    {
        await using var host = await TcpHost.StartAsync();
        using var connection = new SocketsHttpHandler(); // one HTTP/2 connection, shared by every call below
        using var channel = GrpcChannel.ForAddress($"http://{host.Authority}", new GrpcChannelOptions
        {
            HttpHandler = new BearerHandler(TestTokens.For("admin.multiplex", Role.Admin), connection),
            DisposeHttpClient = false,
        });
        using var raw = new HttpClient(new BearerHandler(TestTokens.For("admin.multiplex", Role.Admin), connection), disposeHandler: false)
        {
            BaseAddress = new Uri($"http://{host.Authority}"),
        };
        var relationships = new RelationshipService.RelationshipServiceClient(channel);
        await relationships.ListRelationshipsAsync(new ListRelationshipsRequest()); // the connection is open

        var valid = Enumerable.Range(0, 8).Select(_ => relationships.ListRelationshipsAsync(new ListRelationshipsRequest()).ResponseAsync).ToList();
        var hostile = SendAsync(raw, Rpcs.Named("RelationshipService/ListRelationships"), [.. EmptyMessage, 0x01, 0x02], encoding: null);
        await Task.WhenAll(valid); // each answers OK, or this throws

        Assert.Equal(StatusCode.InvalidArgument, (await hostile).Status);
        Assert.NotNull(await relationships.ListRelationshipsAsync(new ListRelationshipsRequest())); // the connection still serves
    }

    private async Task<(StatusCode Status, string Detail)> SendAsync(MethodDescriptor method, byte[] body, string? encoding, string? token)
    {
        using var client = api.HttpWith(token);
        return await SendAsync(client, method, body, encoding);
    }

    /// <summary>POSTs <paramref name="body"/> as a gRPC request over HTTP/2 and reads the status, from headers or trailers.</summary>
    private static async Task<(StatusCode Status, string Detail)> SendAsync(HttpClient client, MethodDescriptor method, byte[] body, string? encoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/{method.Service.FullName}/{method.Name}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.ParseAdd("trailers");
        if (encoding is not null)
        {
            request.Headers.Add("grpc-encoding", encoding);
        }

        using var response = await client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var headers = response.Headers.Concat(response.TrailingHeaders).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        Assert.True(headers.TryGetValue("grpc-status", out var code), $"{method.Name()}: HTTP {response.StatusCode} without grpc-status");
        return ((StatusCode)int.Parse(code, System.Globalization.CultureInfo.InvariantCulture), headers.GetValueOrDefault("grpc-message", ""));
    }
}
