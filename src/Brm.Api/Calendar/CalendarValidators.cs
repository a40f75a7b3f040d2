using Brm.V1;
using FluentValidation;
using static Brm.Api.Infrastructure.ValidationRules;

namespace Brm.Api.Calendar;

public sealed class GetCalendarFeedRequestValidator : AbstractValidator<GetCalendarFeedRequest>
{
    public GetCalendarFeedRequestValidator() => RuleFor(x => x.Manager).RequiredText(NameLength);
}

public sealed class IssueCalendarFeedRequestValidator : AbstractValidator<IssueCalendarFeedRequest>
{
    public IssueCalendarFeedRequestValidator()
    {
        this.StreamMutationRules();
        RuleFor(x => x.Manager).RequiredText(NameLength);
    }
}

public sealed class RevokeCalendarFeedRequestValidator : AbstractValidator<RevokeCalendarFeedRequest>
{
    public RevokeCalendarFeedRequestValidator()
    {
        this.StreamMutationRules();
        RuleFor(x => x.Manager).RequiredText(NameLength);
    }
}
