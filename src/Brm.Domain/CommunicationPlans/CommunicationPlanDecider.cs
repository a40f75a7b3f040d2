using Brm.Domain.Relationships;

namespace Brm.Domain.CommunicationPlans;

/// <summary>The documented limits of communication_plans.proto: the validators, the decisions and the mapping read them here.</summary>
public static class PlanLimits
{
    /// <summary>The most items one plan holds, retired ones included.</summary>
    public const int MaxItems = 100;

    /// <summary>The days an agenda looks ahead when the caller gives none, and the most it may ask for.</summary>
    public const int DefaultHorizonDays = 7;
    public const int MaxHorizonDays = 366;

    /// <summary>How many communications a plan shows, newest first.</summary>
    public const int RecentCommunications = 50;

    /// <summary>How many assessed periods each item shows.</summary>
    public const int RecentPeriods = 6;

    /// <summary>How many communications a month one BRM can keep to, unless configured otherwise.</summary>
    public const int DefaultMonthlyLoadThreshold = 20;
}

/// <summary>
/// Pure decisions: a command, the department's plan (null before its first item) and its relationship in, the
/// events out. The relationship is read, never changed: its registration day, information needs and archive.
/// </summary>
public static class CommunicationPlanDecider
{
    public static IReadOnlyList<object> Decide(PlanCommand command, CommunicationPlan? state, Relationship relationship)
    {
        var plan = state ?? CommunicationPlan.Empty(relationship.Id);
        return command switch
        {
            AddPlanItem c => Add(c, plan, relationship),
            ChangePlanItem c => Change(c, plan, relationship),
            RetirePlanItem c => plan.Item(c.PlanItemId) is { IsActive: false }
                ? []
                : [new PlanItemRetired(plan.Id, plan.RelationshipId, c.PlanItemId, c.Reason, c.By, c.At)],
            RecordCommunication c => Record(c, plan, relationship),
            _ => throw new InvalidOperationException($"No decision for {command.GetType().Name}."),
        };
    }

    private static object[] Add(AddPlanItem c, CommunicationPlan plan, Relationship relationship)
    {
        relationship.EnsureNotArchived("new plan items");
        if (c.StartsOn < relationship.RegisteredOn())
        {
            throw DomainException.Rule(
                $"a plan item cannot start ({c.StartsOn:yyyy-MM-dd}) before the relationship existed (registered {relationship.RegisteredOn():yyyy-MM-dd})");
        }

        if (plan.Items.Count >= PlanLimits.MaxItems)
        {
            throw DomainException.Limit($"a plan holds at most {PlanLimits.MaxItems} items, retired ones included");
        }

        EnsureNeed(c.Details, relationship);
        var d = c.Details;
        return
        [
            new PlanItemAdded(plan.Id, plan.RelationshipId, c.PlanItemId, d.What, d.InformationNeedId, d.Channel, d.Audience, d.Cadence, d.Owner,
                c.StartsOn, c.By, c.At),
        ];
    }

    private static object[] Change(ChangePlanItem c, CommunicationPlan plan, Relationship relationship)
    {
        var item = EnsureActive(plan.Item(c.PlanItemId), "changed");
        relationship.EnsureNotArchived("changes to its plan");
        var d = c.Details;
        if (new PlanItemDetails(item.What, item.InformationNeedId, item.Channel, item.Audience, item.Cadence, item.Owner) == d)
        {
            return [];
        }

        if (d.InformationNeedId != item.InformationNeedId)
        {
            EnsureNeed(d, relationship);
        }

        return [new PlanItemChanged(plan.Id, plan.RelationshipId, item.Id, d.What, d.InformationNeedId, d.Channel, d.Audience, d.Cadence, d.Owner, c.By, c.At)];
    }

    private static object[] Record(RecordCommunication c, CommunicationPlan plan, Relationship relationship)
    {
        relationship.EnsureNotArchived("new communications");
        var deliveredAt = c.DeliveredAt ?? c.At;
        var day = DateOnly.FromDateTime(deliveredAt.UtcDateTime);
        if (deliveredAt > c.At)
        {
            throw DomainException.Rule($"a communication cannot go out in the future: delivered at {deliveredAt:O}, it is now {c.At:O}");
        }

        if (c.PlanItemId is { } itemId)
        {
            var item = plan.Item(itemId);
            if (day < item.StartsOn)
            {
                throw DomainException.Rule($"plan item {itemId} starts on {item.StartsOn:yyyy-MM-dd}: a communication for it cannot go out before");
            }

            if (item.Retired is { } retired && deliveredAt >= retired.RetiredAt)
            {
                throw DomainException.Rule($"plan item {itemId} was retired at {retired.RetiredAt:O}: only earlier communications can be recorded for it");
            }
        }
        else if (day < relationship.RegisteredOn())
        {
            throw DomainException.Rule($"a communication cannot go out before the relationship existed (registered {relationship.RegisteredOn():yyyy-MM-dd})");
        }

        return [new CommunicationDelivered(plan.Id, plan.RelationshipId, c.CommunicationId, c.PlanItemId, c.Channel, c.Summary, c.Link, c.By, deliveredAt)];
    }

    private static PlanItem EnsureActive(PlanItem item, string refused) =>
        item.IsActive ? item : throw DomainException.Rule($"plan item {item.Id} was retired: a retired item cannot be {refused}");

    private static void EnsureNeed(PlanItemDetails details, Relationship relationship)
    {
        if (details.InformationNeedId is { } need)
        {
            relationship.ActiveInformationNeed(need);
        }
    }
}
