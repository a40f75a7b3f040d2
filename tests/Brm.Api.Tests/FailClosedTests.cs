using Brm.Api.Reporting;
using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Brm.Api.Tests;

/// <summary>
/// A service with RPCs that exist only in the tests, mapped beside ReportingService: a unary RPC in a package other
/// than brm.v1, and a client-streaming and a bidi RPC in brm.v1. None is named by the access policy.
/// </summary>
public sealed class ProbeFixture : ApiFixture
{
    public static readonly Method<Empty, Empty> Outside = Probe(MethodType.Unary, "brmtest.v1.OutsideService", "Ping");
    public static readonly Method<Empty, Empty> Upload = Probe(MethodType.ClientStreaming, "brm.v1.ProbeService", "Upload");
    public static readonly Method<Empty, Empty> Chat = Probe(MethodType.DuplexStreaming, "brm.v1.ProbeService", "Chat");

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IServiceMethodProvider<ReportingGrpcService>, ProbeMethods>();

    private static Method<Empty, Empty> Probe(MethodType type, string service, string name)
    {
        var marshaller = Marshallers.Create(m => m.ToByteArray(), Empty.Parser.ParseFrom);
        return new Method<Empty, Empty>(type, service, name, marshaller, marshaller);
    }

    private sealed class ProbeMethods : IServiceMethodProvider<ReportingGrpcService>
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<ReportingGrpcService> context)
        {
            context.AddUnaryMethod(Outside, [], (_, _, _) => Task.FromResult(new Empty()));
            context.AddClientStreamingMethod(Upload, [], async (_, requests, _) =>
            {
                while (await requests.MoveNext())
                {
                }

                return new Empty();
            });
            context.AddDuplexStreamingMethod(Chat, [], async (_, requests, responses, _) =>
            {
                while (await requests.MoveNext())
                {
                    await responses.WriteAsync(new Empty());
                }
            });
        }
    }
}

/// <summary>Every handler kind of every package is guarded unless the access policy names it; health and reflection stay open.</summary>
public sealed class FailClosedTests(ProbeFixture api) : IClassFixture<ProbeFixture>
{
    [Fact]
    public async Task Rpcs_the_policy_does_not_name_are_unauthenticated_without_a_token_and_denied_with_one()
    {
        Assert.Equal(StatusCode.Unauthenticated, await CallAllAsync(api.ChannelWith(null)));
        Assert.Equal(StatusCode.PermissionDenied, await CallAllAsync(api.ChannelAs("admin.probe", Role.Admin)));
    }

    [Fact]
    public async Task Health_and_reflection_stay_open_without_a_token()
    {
        var anonymous = api.ChannelWith(null);

        var health = await new Health.HealthClient(anonymous).CheckAsync(new HealthCheckRequest());
        using var reflection = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(anonymous).ServerReflectionInfo();
        await reflection.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
        await reflection.RequestStream.CompleteAsync();

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.True(await reflection.ResponseStream.MoveNext());
    }

    // The one status all three probes answer on this channel (the test fails naming any that differs).
    private static async Task<StatusCode> CallAllAsync(GrpcChannel channel)
    {
        var invoker = channel.CreateCallInvoker();
        var outside = await StatusOf(async () => await invoker.AsyncUnaryCall(ProbeFixture.Outside, null, new CallOptions(), new Empty()));
        var upload = await StatusOf(async () =>
        {
            using var call = invoker.AsyncClientStreamingCall(ProbeFixture.Upload, null, new CallOptions());
            await call.RequestStream.CompleteAsync();
            await call.ResponseAsync;
        });
        var chat = await StatusOf(async () =>
        {
            using var call = invoker.AsyncDuplexStreamingCall(ProbeFixture.Chat, null, new CallOptions());
            await call.RequestStream.CompleteAsync();
            while (await call.ResponseStream.MoveNext())
            {
            }
        });

        Assert.True(outside == upload && upload == chat, $"unary outside brm.v1: {outside}, client-streaming: {upload}, bidi: {chat}");
        return outside;
    }

    private static async Task<StatusCode> StatusOf(Func<Task> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }
}
