using FluentValidation;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Brm.Api.Infrastructure;

/// <summary>
/// Validates every brm.v1 request with its FluentValidation validator before the service sees it. A brm.v1
/// request type without a validator is a bug (a test checks that every RPC has one), so it fails loudly.
/// Health and reflection requests are not ours and pass untouched.
/// </summary>
public sealed class ValidationInterceptor(IServiceProvider services) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await ValidateAsync(request, context.CancellationToken);
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await ValidateAsync(request, context.CancellationToken);
        await continuation(request, responseStream, context);
    }

    private async Task ValidateAsync<TRequest>(TRequest request, CancellationToken ct)
    {
        if (typeof(TRequest).Namespace != typeof(Brm.V1.RelationshipService).Namespace)
        {
            return;
        }

        var validator = services.GetService<IValidator<TRequest>>()
            ?? throw new InvalidOperationException($"No validator is registered for {typeof(TRequest).Name}.");
        await validator.ValidateAndThrowAsync(request, ct);
    }
}
