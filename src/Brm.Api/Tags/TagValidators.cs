using System.Linq.Expressions;
using Brm.Api.Infrastructure;
using Brm.Domain.Search;
using Brm.Domain.Tags;
using Brm.V1;
using FluentValidation;
using static Brm.Api.Infrastructure.ValidationRules;

namespace Brm.Api.Tags;

/// <summary>The rules of a tag list, shared by the changes and by every filter: at most 20, each a slug.</summary>
public static class TagRules
{
    /// <summary>A validated tag filter as the queries take it: each tag once, in ordinal order (so page tokens compare).</summary>
    public static IReadOnlyList<string> Filter(IEnumerable<string> tags) => [.. tags.Distinct().Order(StringComparer.Ordinal)];

    public static void Tags<T>(this AbstractValidator<T> validator, Expression<Func<T, IEnumerable<string>>> tags)
    {
        validator.RuleFor(tags).Must(t => t.Count() <= TagLimits.PerRequest).WithMessage($"{{PropertyName}} may hold at most {TagLimits.PerRequest} entries");
        validator.RuleForEach(tags).Must(Tagging.IsTag)
            .WithMessage($"{{PropertyName}} must be 1-{TagLimits.Length} characters: a-z and 0-9, words joined by single hyphens (\"erp-upgrade\")");
    }
}

public abstract class TagChangeValidator<T> : AbstractValidator<T>
    where T : ITagMutation
{
    protected TagChangeValidator()
    {
        this.StreamMutationRules();
        RuleFor(x => x.Target).NotNull().WithMessage("target is required")
            .Must(t => t is null || t.TargetCase != TagTarget.TargetOneofCase.None)
            .WithMessage("target must name a department, stakeholder, meeting, commitment or feedback item")
            .SetValidator(new TagTargetValidator()!);
        RuleFor(x => x.Tags).Must(t => t.Count > 0).WithMessage("tags must hold at least one tag");
        this.Tags(x => x.Tags);
    }
}

/// <summary>Exactly one item, named by well-formed ids.</summary>
public sealed class TagTargetValidator : AbstractValidator<TagTarget>
{
    public TagTargetValidator()
    {
        RuleFor(x => x.RelationshipId).Uuid().When(x => x.TargetCase == TagTarget.TargetOneofCase.RelationshipId);
        RuleFor(x => x.Stakeholder).SetValidator(new StakeholderReferenceValidator()!).When(x => x.TargetCase == TagTarget.TargetOneofCase.Stakeholder);
        RuleFor(x => x.MeetingId).Uuid().When(x => x.TargetCase == TagTarget.TargetOneofCase.MeetingId);
        RuleFor(x => x.CommitmentId).Uuid().When(x => x.TargetCase == TagTarget.TargetOneofCase.CommitmentId);
        RuleFor(x => x.FeedbackId).Uuid().When(x => x.TargetCase == TagTarget.TargetOneofCase.FeedbackId);
    }
}

public sealed class StakeholderReferenceValidator : AbstractValidator<StakeholderReference>
{
    public StakeholderReferenceValidator()
    {
        RuleFor(x => x.RelationshipId).Uuid();
        RuleFor(x => x.StakeholderId).Uuid();
    }
}

public sealed class AddTagsRequestValidator : TagChangeValidator<AddTagsRequest>;

public sealed class RemoveTagsRequestValidator : TagChangeValidator<RemoveTagsRequest>;

public sealed class ListTagsRequestValidator : AbstractValidator<ListTagsRequest>
{
    public ListTagsRequestValidator()
    {
        RuleFor(x => x.RelationshipIds).AtMost(SearchLimits.MaxDepartments);
        RuleForEach(x => x.RelationshipIds).Uuid();
    }
}
