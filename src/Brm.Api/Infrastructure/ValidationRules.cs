using System.Linq.Expressions;
using System.Text;
using FluentValidation;
using Google.Protobuf.Collections;

namespace Brm.Api.Infrastructure;

/// <summary>The field rules every request shares; the limits they check are the domain's (<see cref="Brm.Domain.TextLimits"/>).</summary>
public static class ValidationRules
{
    public const int NameLength = Brm.Domain.TextLimits.NameLength;
    public const int TextLength = Brm.Domain.TextLimits.TextLength;
    public const int EmailLength = Brm.Domain.EmailAddress.MaxLength;

    /// <summary>Report fields by their proto (snake_case) names, in field violations and messages alike.</summary>
    public static void UseProtoFieldNames()
    {
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) => member is null ? null : ToSnakeCase(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) => member is null ? null : ToSnakeCase(member.Name);
    }

    public static string ToSnakeCase(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    public static IRuleBuilderOptions<T, string> Uuid<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().WithMessage("{PropertyName} is required")
            .Must(v => v.Length == 0 || IsUuid(v)).WithMessage("{PropertyName} must be a UUID (not the nil UUID)");

    public static IRuleBuilderOptions<T, string> OptionalUuid<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(v => v.Length == 0 || IsUuid(v)).WithMessage("{PropertyName} must be a UUID (not the nil UUID) when set");

    // The nil UUID names nothing: Marten refuses it as a stream id.
    private static bool IsUuid(string value) => Guid.TryParse(value, out var id) && id != Guid.Empty;

    public static IRuleBuilderOptions<T, string> RequiredText<T>(this IRuleBuilder<T, string> rule, int maxLength) =>
        rule.Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("{PropertyName} is required")
            .Must(v => v.Trim().Length <= maxLength).WithMessage($"{{PropertyName}} must be at most {maxLength} characters");

    public static IRuleBuilderOptions<T, string> OptionalText<T>(this IRuleBuilder<T, string> rule, int maxLength) =>
        rule.Must(v => v.Trim().Length <= maxLength).WithMessage($"{{PropertyName}} must be at most {maxLength} characters");

    public static IRuleBuilderOptions<T, string> OptionalEmail<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(v => v.Length == 0 || Brm.Domain.EmailAddress.IsValid(v)).WithMessage("{PropertyName} must be a valid email address")
            .MaximumLength(EmailLength);

    public static IRuleBuilderOptions<T, TEnum> Specified<T, TEnum>(this IRuleBuilder<T, TEnum> rule)
        where TEnum : struct, Enum =>
        rule.Must(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) != 0 && Enum.IsDefined(v))
            .WithMessage("{PropertyName} must be one of the defined values (not UNSPECIFIED)");

    /// <summary>
    /// A repeated enum filter: each entry one of the defined values, and no more entries than the enum defines
    /// (UNSPECIFIED aside), so a filter's size is bounded by its meaning.
    /// </summary>
    public static void EnumFilter<T, TEnum>(this AbstractValidator<T> validator, Expression<Func<T, IEnumerable<TEnum>>> values)
        where TEnum : struct, Enum
    {
        var defined = Enum.GetValues<TEnum>().Count(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) != 0);
        validator.RuleFor(values).Must(list => list.Count() <= defined).WithMessage($"{{PropertyName}} may hold at most {defined} entries, one per value");
        validator.RuleForEach(values).Specified();
    }

    /// <summary>A repeated field of at most <paramref name="max"/> entries.</summary>
    public static IRuleBuilderOptions<T, RepeatedField<TItem>> AtMost<T, TItem>(this IRuleBuilder<T, RepeatedField<TItem>> rule, int max) =>
        rule.Must(list => list.Count <= max).WithMessage($"{{PropertyName}} may hold at most {max} entries");

    public static IRuleBuilderOptions<T, long> Version<T>(this IRuleBuilder<T, long> rule) =>
        rule.GreaterThanOrEqualTo(1).WithMessage("{PropertyName} must be at least 1 when set");

    /// <summary>The rule of every mutation: an optional request id.</summary>
    public static void MutationRules<T>(this AbstractValidator<T> validator)
        where T : IMutation =>
        validator.RuleFor(x => x.RequestId).OptionalUuid();

    /// <summary>The rules of every mutation of an existing stream: an optional request id and expected version.</summary>
    public static void StreamMutationRules<T>(this AbstractValidator<T> validator)
        where T : IStreamMutation
    {
        validator.MutationRules();
        validator.RuleFor(x => x.ExpectedVersion).Version().When(x => x.HasExpectedVersion);
    }
}
