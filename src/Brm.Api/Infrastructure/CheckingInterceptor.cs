using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Brm.Api.Infrastructure;

/// <summary>An interceptor that checks each request (unary or server-streaming) before the call goes on, or throws.</summary>
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

    protected abstract Task CheckAsync<TRequest>(TRequest request, ServerCallContext context)
        where TRequest : class;
}
