using Brm.Api.Infrastructure;
using Brm.Domain.Outreach;
using Brm.V1;
using FluentValidation;
using static Brm.Api.Infrastructure.ValidationRules;

namespace Brm.Api.Outreach;

// One validator per request of the sent updates; the limits are OutreachLimits' (outreach.proto documents them).

public sealed class SendUpdateRequestValidator : AbstractValidator<SendUpdateRequest>
{
    public SendUpdateRequestValidator()
    {
        this.MutationRules();
        RuleFor(x => x.RelationshipId).Uuid();
        RuleFor(x => x.PlanItemId).Uuid();
        RuleFor(x => x.Period).ChildRules(period =>
        {
            period.RuleFor(p => p.From).ValidDate();
            period.RuleFor(p => p.To).ValidDate();
        }).When(x => x.Period is not null);
        RuleFor(x => x.Period)
            .Must(p => p!.From.ToDomain() <= p.To.ToDomain()).WithMessage("period must not start after it ends")
            .Must(p => p!.To.ToDomain().DayNumber - p.From.ToDomain().DayNumber <= OutreachLimits.MaxPeriodDays)
            .WithMessage($"period must start at most {OutreachLimits.MaxPeriodDays} days before it ends")
            .When(x => x.Period is { From: { } from, To: { } to } && ProtoTime.IsValid(from) && ProtoTime.IsValid(to));
        RuleFor(x => x.Subject).RequiredText(OutreachLimits.MaxSubjectLength)
            .Must(s => s.IndexOfAny(['\r', '\n']) < 0).WithMessage("{PropertyName} must be one line");
        RuleFor(x => x.BodyMarkdown).Must(b => !string.IsNullOrWhiteSpace(b)).WithMessage("{PropertyName} is required")
            .MaximumLength(OutreachLimits.MaxBodyLength).WithMessage($"{{PropertyName}} must be at most {OutreachLimits.MaxBodyLength} characters");
        RuleFor(x => x.Facts).AtMost(OutreachLimits.SentFacts);
        RuleForEach(x => x.Facts).ChildRules(fact =>
        {
            fact.RuleFor(f => f.Kind).Specified();
            fact.RuleFor(f => f.Id).Uuid();
        });
        RuleFor(x => x.StakeholderIds).Must((request, ids) => ids.Count + request.Addresses.Count <= OutreachLimits.SentRecipients)
            .WithMessage($"stakeholder_ids and addresses may hold at most {OutreachLimits.SentRecipients} recipients together");
        RuleForEach(x => x.StakeholderIds).Uuid();
        RuleFor(x => x.Addresses).AtMost(OutreachLimits.SentRecipients);
        RuleForEach(x => x.Addresses).NotEmpty().WithMessage("{PropertyName} must be a valid email address").OptionalEmail();
    }
}

public sealed class GetUpdateRequestValidator : AbstractValidator<GetUpdateRequest>
{
    public GetUpdateRequestValidator() => RuleFor(x => x.UpdateId).Uuid();
}

public sealed class ListUpdatesRequestValidator : AbstractValidator<ListUpdatesRequest>
{
    public ListUpdatesRequestValidator()
    {
        RuleFor(x => x.RelationshipId).Uuid();
        RuleFor(x => x.PageSize).PageSize();
        RuleFor(x => x.PageToken).MaximumLength(1000);
    }
}
