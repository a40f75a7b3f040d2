using Brm.Api.Infrastructure;
using Brm.Api.Tags;
using Brm.V1;
using SearchLimits = Brm.Domain.Search.SearchLimits;
using FluentValidation;
using static Brm.Api.Infrastructure.ValidationRules;

namespace Brm.Api.Search;

public sealed class SearchRequestValidator : AbstractValidator<SearchRequest>
{
    public SearchRequestValidator()
    {
        this.Tags(x => x.Tags);
        RuleFor(x => x.Query).RequiredText(SearchLimits.MaxQueryLength).When(x => x.Tags.Count == 0);
        RuleFor(x => x.Query).OptionalText(SearchLimits.MaxQueryLength).When(x => x.Tags.Count > 0);
        RuleFor(x => x.Query).Must(q => !q.Any(char.IsControl)).WithMessage("query must not hold control characters");
        RuleFor(x => x.RelationshipIds).AtMost(SearchLimits.MaxDepartments);
        RuleForEach(x => x.RelationshipIds).Uuid();
        this.EnumFilter(x => x.Kinds);
        RuleFor(x => x.From).ValidDate().When(x => x.From is not null);
        RuleFor(x => x.To).ValidDate().When(x => x.To is not null);
        RuleFor(x => x).Custom((request, context) =>
        {
            if (request.From is { } from && request.To is { } to && IsAfter(from, to))
            {
                context.AddFailure("from", "from must not be after to");
            }
        });
        RuleFor(x => x.PageSize).PageSize();
    }

    private static bool IsAfter(Date from, Date to) =>
        (from.Year, from.Month, from.Day).CompareTo((to.Year, to.Month, to.Day)) > 0;
}
