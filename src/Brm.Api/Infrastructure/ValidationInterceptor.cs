using FluentValidation;
using FluentValidation.Results;
using Google.Protobuf;
using Grpc.Core;

namespace Brm.Api.Infrastructure;

/// <summary>
/// Validates every brm.v1 request with its FluentValidation validator before the service sees it. A brm.v1
/// request type without a validator is a bug (a test checks that every RPC has one), so it fails loudly.
/// Health and reflection requests are not ours and pass untouched. Before the validator, every text of the request
/// (nested messages and repeated fields included) is checked for control characters, which no field of ours holds
/// and PostgreSQL cannot store (U+0000).
/// </summary>
public sealed class ValidationInterceptor(IServiceProvider services) : CheckingInterceptor
{
    protected override Task CheckAsync<TRequest>(TRequest request, ServerCallContext context)
    {
        if (typeof(TRequest).Namespace != typeof(Brm.V1.RelationshipService).Namespace)
        {
            return Task.CompletedTask;
        }

        // One failure per field, however many entries of a repeated field hold control characters.
        if (ControlCharacters((IMessage)request, "").DistinctBy(f => f.PropertyName).ToList() is { Count: > 0 } failures)
        {
            throw new ValidationException(failures);
        }

        // Synchronously: no rule of ours is asynchronous (FluentValidation refuses to run one synchronously, so a rule
        // that became so would fail every call of its RPC in the tests), and the asynchronous path costs a state machine
        // per rule on every call.
        var validator = services.GetService<IValidator<TRequest>>()
            ?? throw new InvalidOperationException($"No validator is registered for {typeof(TRequest).Name}.");
        validator.ValidateAndThrow(request);
        return Task.CompletedTask;
    }

    /// <summary>A failure for each text field of <paramref name="message"/> holding a control character other than tab, LF and CR.</summary>
    private static IEnumerable<ValidationFailure> ControlCharacters(IMessage message, string prefix)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var path = prefix + field.Name;
            var value = field.Accessor.GetValue(message);
            var values = field.IsRepeated && !field.IsMap ? ((System.Collections.IEnumerable)value).Cast<object>() : [value];
            foreach (var item in values)
            {
                switch (item)
                {
                    case string text when Brm.Domain.Feedback.FeedbackAnswer.HasControlCharacters(text):
                        yield return new ValidationFailure(path, $"{path} must not contain control characters (other than tab and line breaks)");
                        break;
                    case IMessage nested:
                        foreach (var failure in ControlCharacters(nested, path + "."))
                        {
                            yield return failure;
                        }

                        break;
                }
            }
        }
    }
}
