using Brm.Api.Infrastructure;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Client;

namespace Brm.Api.Tests.Support;

/// <summary>Every RPC of every brm.v1 service, read from the generated descriptors, and a way to call any of them.</summary>
public static class Rpcs
{
    /// <summary>All brm.v1 RPCs: a service added to protos/ shows up here without anyone listing it.</summary>
    public static IReadOnlyList<MethodDescriptor> All => BrmRpcs.All;

    /// <summary>"Service/Rpc", e.g. <c>RelationshipService/AddStakeholder</c>.</summary>
    public static string Name(this MethodDescriptor method) => $"{method.Service.Name}/{method.Name}";

    public static MethodDescriptor Named(string name) => All.Single(m => m.Name() == name);

    /// <summary>
    /// Calls <paramref name="method"/> with <paramref name="body"/> as the request's bytes, as they are: the
    /// status, and the response's bytes when it answered (a server stream: its first message).
    /// </summary>
    public static async Task<(Status Status, byte[]? Response)> CallRawAsync(this GrpcChannel channel, MethodDescriptor method, byte[] body)
    {
        var bytes = Marshallers.Create<byte[]>(b => b, b => b);
        var invoker = channel.CreateCallInvoker();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var options = new CallOptions(cancellationToken: timeout.Token);
        try
        {
            if (method.IsServerStreaming)
            {
                var streaming = new Method<byte[], byte[]>(MethodType.ServerStreaming, method.Service.FullName, method.Name, bytes, bytes);
                using var call = invoker.AsyncServerStreamingCall(streaming, null, options, body);
                return (Status.DefaultSuccess, await call.ResponseStream.MoveNext(timeout.Token) ? call.ResponseStream.Current : []);
            }

            var unary = new Method<byte[], byte[]>(MethodType.Unary, method.Service.FullName, method.Name, bytes, bytes);
            return (Status.DefaultSuccess, await invoker.AsyncUnaryCall(unary, null, options, body));
        }
        catch (RpcException e)
        {
            return (e.Status, null);
        }
    }

    /// <summary>
    /// Calls <paramref name="method"/> with <paramref name="request"/> and returns the status: OK once a unary call
    /// answers or a server stream delivers its first message (or ends cleanly).
    /// </summary>
    public static async Task<Status> CallAsync(this GrpcChannel channel, MethodDescriptor method, IMessage request)
    {
        var marshaller = Marshallers.Create<IMessage>(m => m.ToByteArray(), method.OutputType.Parser.ParseFrom);
        var invoker = channel.CreateCallInvoker();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            if (method.IsServerStreaming)
            {
                var streaming = new Method<IMessage, IMessage>(
                    MethodType.ServerStreaming, method.Service.FullName, method.Name, marshaller, marshaller);
                using var call = invoker.AsyncServerStreamingCall(streaming, null, new CallOptions(cancellationToken: timeout.Token), request);
                await call.ResponseStream.MoveNext(timeout.Token);
            }
            else
            {
                var unary = new Method<IMessage, IMessage>(MethodType.Unary, method.Service.FullName, method.Name, marshaller, marshaller);
                await invoker.AsyncUnaryCall(unary, null, new CallOptions(cancellationToken: timeout.Token), request);
            }

            return Status.DefaultSuccess;
        }
        catch (RpcException e)
        {
            return e.Status;
        }
    }
}
