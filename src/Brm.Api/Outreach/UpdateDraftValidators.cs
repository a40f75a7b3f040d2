using Brm.Api.Infrastructure;
using Brm.Domain.Outreach;
using Brm.V1;
using FluentValidation;
using static Brm.Api.Infrastructure.ValidationRules;

namespace Brm.Api.Outreach;

// One validator per request; the limits are the ones documented in outreach.proto (OutreachLimits).

/// <summary>
/// A period a client gives: both days valid, <c>from</c> not after <c>to</c>, <c>to</c> not after today, at most
/// <see cref="OutreachLimits.MaxPeriodDays"/> days from one to the other.
/// </summary>
public sealed class OutreachPeriodValidator : AbstractValidator<Period>
{
    public OutreachPeriodValidator(TimeProvider clock)
    {
        RuleFor(x => x.From).ValidDate();
        RuleFor(x => x.To).ValidDate();
        RuleFor(x => x).Custom((period, context) =>
        {
            if (!Valid(period.From) || !Valid(period.To))
            {
                return;
            }

            var days = new UpdatePeriod(period.From.ToDomain(), period.To.ToDomain());
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            if (days.Problem(today) is { } problem)
            {
                context.AddFailure(days.From <= days.To && days.To > today ? "to" : "from", problem);
            }
        });
    }

    private static bool Valid(Date? date) =>
        date is { Year: >= Domain.DateRange.MinYear and <= Domain.DateRange.MaxYear, Month: >= 1 and <= 12, Day: >= 1 } d && d.Day <= DateTime.DaysInMonth(d.Year, d.Month);
}

public sealed class ComposeUpdateRequestValidator : AbstractValidator<ComposeUpdateRequest>
{
    public ComposeUpdateRequestValidator(TimeProvider clock)
    {
        RuleFor(x => x.RelationshipId).Uuid();
        RuleFor(x => x.Period).SetValidator(new OutreachPeriodValidator(clock)!).When(x => x.Period is not null);
        RuleFor(x => x.PlanItemId).OptionalUuid();
    }
}

public sealed class SetUpdateTemplateRequestValidator : AbstractValidator<SetUpdateTemplateRequest>
{
    public SetUpdateTemplateRequestValidator()
    {
        this.StreamMutationRules();
        RuleFor(x => x.Subject).RequiredText(OutreachLimits.MaxSubjectLength)
            .Must(OneLine).WithMessage("{PropertyName} must be one line");
        RuleFor(x => x.Source).Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("{PropertyName} is required")
            .MaximumLength(OutreachLimits.MaxTemplateLength).WithMessage($"{{PropertyName}} must be at most {OutreachLimits.MaxTemplateLength} characters");

        // Validated on save, once the fields are well formed: both parse and render the sample updates, or the answer
        // says which, where and why.
        RuleFor(x => x).Custom((request, context) =>
        {
            if (WellFormed(request) && UpdateTemplating.Check(request.Subject, request.Source) is { } problem)
            {
                var field = problem.Part == TemplatePart.Subject ? "subject" : "source";
                context.AddFailure(field, $"{field}: {problem.Describe()}");
            }
        });
    }

    private static bool WellFormed(SetUpdateTemplateRequest request) =>
        !string.IsNullOrWhiteSpace(request.Subject) && request.Subject.Trim().Length <= OutreachLimits.MaxSubjectLength && OneLine(request.Subject)
        && !string.IsNullOrWhiteSpace(request.Source) && request.Source.Length <= OutreachLimits.MaxTemplateLength;

    private static bool OneLine(string text) => !text.Contains('\n', StringComparison.Ordinal) && !text.Contains('\r', StringComparison.Ordinal);
}

public sealed class GetUpdateTemplateRequestValidator : AbstractValidator<GetUpdateTemplateRequest>
{
    public GetUpdateTemplateRequestValidator() =>
        RuleFor(x => x.Version).GreaterThanOrEqualTo(0).WithMessage("{PropertyName} must be a template version (1 or more), or 0 for the one in force");
}
