using FluentValidation;
using Grpc.Core;

namespace Brm.Api.Infrastructure;

/// <summary>
/// Validates every brm.v1 request with its FluentValidation validator before the service sees it. A brm.v1
/// request type without a validator is a bug (a test checks that every RPC has one), so it fails loudly.
/// Health and reflection requests are not ours and pass untouched.
/// </summary>
public sealed class ValidationInterceptor(IServiceProvider services) : CheckingInterceptor
{
    protected override async Task CheckAsync<TRequest>(TRequest request, ServerCallContext context)
    {
        if (typeof(TRequest).Namespace != typeof(Brm.V1.RelationshipService).Namespace)
        {
            return;
        }

        var validator = services.GetService<IValidator<TRequest>>()
            ?? throw new InvalidOperationException($"No validator is registered for {typeof(TRequest).Name}.");
        await validator.ValidateAndThrowAsync(request, context.CancellationToken);
    }
}
