using Brm.Api.Infrastructure;
using Brm.Api.Tags;
using Brm.Domain.Reporting;
using Brm.V1;
using FluentValidation;

namespace Brm.Api.Reporting;

public sealed class StreamEventsRequestValidator : AbstractValidator<StreamEventsRequest>
{
    /// <summary>The event type names a consumer may ask for: the EventPayload case names.</summary>
    public static readonly IReadOnlySet<string> EventTypes =
        EventPayload.Descriptor.Oneofs[0].Fields.Select(f => f.Name).ToHashSet();

    public StreamEventsRequestValidator()
    {
        RuleFor(x => x.After).GreaterThanOrEqualTo(0);
        RuleFor(x => x.EventTypes).AtMost(EventTypes.Count);
        RuleForEach(x => x.EventTypes).Must(EventTypes.Contains)
            .WithMessage("{PropertyName} has an unknown event type (see brm.v1.EventPayload)");
        RuleFor(x => x.RelationshipIds).AtMost(1000);
        RuleForEach(x => x.RelationshipIds).Uuid();
    }
}

public sealed class GetTimelineRequestValidator : AbstractValidator<GetTimelineRequest>
{
    public GetTimelineRequestValidator()
    {
        RuleFor(x => x.RelationshipId).Uuid();
        RuleFor(x => x.PageSize).PageSize();
        RuleFor(x => x.PageToken).MaximumLength(1000);
    }
}

public sealed class GetRelationshipAsOfRequestValidator : AbstractValidator<GetRelationshipAsOfRequest>
{
    public GetRelationshipAsOfRequestValidator()
    {
        RuleFor(x => x.RelationshipId).Uuid();
        RuleFor(x => x.AsOf).ValidTimestamp();
    }
}

public sealed class GetRelationshipHealthRequestValidator : AbstractValidator<GetRelationshipHealthRequest>
{
    public GetRelationshipHealthRequestValidator() => RuleFor(x => x.RelationshipId).Uuid();
}

public sealed class GetBriefingRequestValidator : AbstractValidator<GetBriefingRequest>
{
    public GetBriefingRequestValidator() => RuleFor(x => x.RelationshipId).Uuid();
}

public sealed class GetPortfolioRequestValidator : AbstractValidator<GetPortfolioRequest>
{
    public GetPortfolioRequestValidator()
    {
        this.Tags(x => x.Tags);
        RuleFor(x => x.Manager).OptionalText(ValidationRules.NameLength);
        RuleFor(x => x.Sort).Specified();
        RuleFor(x => x.PageSize).PageSize();
        RuleFor(x => x.PageToken).MaximumLength(1000);
        RuleFor(x => x.TrendMonths).InclusiveBetween(0, HealthTrend.MaxMonths)
            .WithMessage($"trend_months must be between 0 and {HealthTrend.MaxMonths} (0: no trend)");
    }
}
