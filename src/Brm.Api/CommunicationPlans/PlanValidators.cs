using Brm.Api.Infrastructure;
using Brm.Api.Meetings;
using Brm.V1;
using FluentValidation;
using static Brm.Api.Infrastructure.ValidationRules;
using PlanLimits = Brm.Domain.CommunicationPlans.PlanLimits;

namespace Brm.Api.CommunicationPlans;

// One validator per request; the limits are the domain's (PlanLimits), documented in communication_plans.proto.

/// <summary>What every mutation of a plan carries.</summary>
public abstract class PlanChangeValidator<T> : AbstractValidator<T>
    where T : IPlanMutation
{
    protected PlanChangeValidator()
    {
        this.StreamMutationRules();
        RuleFor(x => x.RelationshipId).Uuid();
    }
}

public sealed class PlanItemDetailsValidator : AbstractValidator<PlanItemDetails>
{
    public PlanItemDetailsValidator()
    {
        RuleFor(x => x.What).RequiredText(NameLength);
        RuleFor(x => x.InformationNeedId).OptionalUuid();
        RuleFor(x => x.Channel).Specified();
        RuleFor(x => x.Audience).RequiredText(NameLength);
        RuleFor(x => x.Cadence).Specified();
        RuleFor(x => x.Owner).RequiredText(NameLength);
    }
}

public sealed class AddPlanItemRequestValidator : PlanChangeValidator<AddPlanItemRequest>
{
    public AddPlanItemRequestValidator()
    {
        RuleFor(x => x.Item).Required(new PlanItemDetailsValidator());
        RuleFor(x => x.StartsOn).ValidDate();
    }
}

public sealed class ChangePlanItemRequestValidator : PlanChangeValidator<ChangePlanItemRequest>
{
    public ChangePlanItemRequestValidator()
    {
        RuleFor(x => x.PlanItemId).Uuid();
        RuleFor(x => x.Item).Required(new PlanItemDetailsValidator());
    }
}

public sealed class RetirePlanItemRequestValidator : PlanChangeValidator<RetirePlanItemRequest>
{
    public RetirePlanItemRequestValidator()
    {
        RuleFor(x => x.PlanItemId).Uuid();
        RuleFor(x => x.Reason).RequiredText(TextLength);
    }
}

public sealed class RecordCommunicationRequestValidator : PlanChangeValidator<RecordCommunicationRequest>
{
    public RecordCommunicationRequestValidator()
    {
        RuleFor(x => x.PlanItemId).OptionalUuid();
        RuleFor(x => x.DeliveredAt).ValidTimestamp().When(x => x.DeliveredAt is not null);
        RuleFor(x => x.Channel).Specified();
        RuleFor(x => x.Summary).RequiredText(TextLength);
        RuleFor(x => x.Link).OptionalText(TextLength);
    }
}

public sealed class GetPlanRequestValidator : AbstractValidator<GetPlanRequest>
{
    public GetPlanRequestValidator() => RuleFor(x => x.RelationshipId).Uuid();
}

public sealed class GetAgendaRequestValidator : AbstractValidator<GetAgendaRequest>
{
    public GetAgendaRequestValidator()
    {
        RuleFor(x => x.Manager).RequiredText(NameLength);
        RuleFor(x => x.HorizonDays).InclusiveBetween(0, PlanLimits.MaxHorizonDays)
            .WithMessage($"horizon_days must be between 0 and {PlanLimits.MaxHorizonDays} (0 means {PlanLimits.DefaultHorizonDays})");
    }
}
