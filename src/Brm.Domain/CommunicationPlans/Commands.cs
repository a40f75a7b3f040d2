namespace Brm.Domain.CommunicationPlans;

/// <summary>A command on one department's plan; who and when come from the edge (credential and clock).</summary>
public abstract record PlanCommand(Guid RelationshipId, string By, DateTimeOffset At)
{
    /// <summary>The calendar day of <see cref="At"/> (days are counted in UTC).</summary>
    public DateOnly Today => DateOnly.FromDateTime(At.UtcDateTime);
}

/// <summary>What a plan item says: everything but its start date, which <see cref="AddPlanItem"/> alone sets.</summary>
public sealed record PlanItemDetails(string What, Guid? InformationNeedId, Channel Channel, string Audience, Cadence Cadence, string Owner);

public sealed record AddPlanItem(Guid RelationshipId, Guid PlanItemId, PlanItemDetails Details, DateOnly StartsOn, string By, DateTimeOffset At)
    : PlanCommand(RelationshipId, By, At);

public sealed record ChangePlanItem(Guid RelationshipId, Guid PlanItemId, PlanItemDetails Details, string By, DateTimeOffset At)
    : PlanCommand(RelationshipId, By, At);

public sealed record RetirePlanItem(Guid RelationshipId, Guid PlanItemId, string Reason, string By, DateTimeOffset At)
    : PlanCommand(RelationshipId, By, At);

/// <summary>A null <see cref="PlanItemId"/> is an ad-hoc update; a null <see cref="DeliveredAt"/> means now.</summary>
public sealed record RecordCommunication(
    Guid RelationshipId,
    Guid CommunicationId,
    Guid? PlanItemId,
    DateTimeOffset? DeliveredAt,
    Channel Channel,
    string Summary,
    string? Link,
    string By,
    DateTimeOffset At) : PlanCommand(RelationshipId, By, At);
