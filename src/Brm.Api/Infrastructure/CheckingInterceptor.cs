using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Brm.Api.Infrastructure;

/// <summary>
/// An interceptor that checks each call before it goes on, or throws: the request of a unary or server-streaming
/// call, and the start of a call that streams its requests (client-streaming, bidi), whose messages come later.
/// </summary>
public abstract class CheckingInterceptor : Interceptor
{
    public sealed override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await CheckAsync(request, context);
        return await continuation(request, context);
    }

    public sealed override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await CheckAsync(request, context);
        await continuation(request, responseStream, context);
    }

    public sealed override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await CheckStreamAsync<TRequest>(context);
        return await continuation(requestStream, context);
    }

    public sealed override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await CheckStreamAsync<TRequest>(context);
        await continuation(requestStream, responseStream, context);
    }

    protected abstract Task CheckAsync<TRequest>(TRequest request, ServerCallContext context)
        where TRequest : class;

    /// <summary>Checks the start of a call whose requests are a stream; by default nothing.</summary>
    protected virtual Task CheckStreamAsync<TRequest>(ServerCallContext context)
        where TRequest : class => Task.CompletedTask;
}
