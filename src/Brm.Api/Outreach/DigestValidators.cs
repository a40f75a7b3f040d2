using Brm.Domain.Outreach;
using Brm.V1;
using FluentValidation;
using static Brm.Api.Infrastructure.ValidationRules;

namespace Brm.Api.Outreach;

public sealed class SetDigestPreferencesRequestValidator : AbstractValidator<SetDigestPreferencesRequest>
{
    public SetDigestPreferencesRequestValidator()
    {
        this.MutationRules();
        RuleFor(x => x.Manager).RequiredText(NameLength);
        RuleFor(x => x.Email).OptionalEmail();
        RuleFor(x => x.Day).Specified();
        RuleFor(x => x.Hour).InclusiveBetween(0, 23).WithMessage("hour must be between 0 and 23");
        RuleFor(x => x.TimeZone).Must(v => DigestSchedule.Zone(v.Trim()) is not null)
            .WithMessage("time_zone must be an IANA time zone, e.g. Europe/London or UTC");
    }
}

public sealed class GetDigestPreferencesRequestValidator : AbstractValidator<GetDigestPreferencesRequest>
{
    public GetDigestPreferencesRequestValidator() => RuleFor(x => x.Manager).RequiredText(NameLength);
}

public sealed class PreviewDigestRequestValidator : AbstractValidator<PreviewDigestRequest>
{
    public PreviewDigestRequestValidator() => RuleFor(x => x.Manager).RequiredText(NameLength);
}
