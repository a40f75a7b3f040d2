namespace Brm.Domain.CommunicationPlans;

// The CommunicationPlan stream: one per department (its id derived from the relationship's, see
// CommunicationPlan.IdFor), each event carrying its relationship. Past tense, stream id first, who and when last.

/// <summary>Every event of the CommunicationPlan stream.</summary>
public static class CommunicationPlanEvents
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(PlanItemAdded),
        typeof(PlanItemChanged),
        typeof(PlanItemRetired),
        typeof(CommunicationDelivered),
    ];
}

/// <summary>How often a plan item goes out: one communication per period.</summary>
public enum Cadence
{
    Weekly = 1,
    Fortnightly = 2,
    Monthly = 3,
    Quarterly = 4,
}

/// <summary>A recurring communication: what goes out, to whom, how, how often, from when, and who sends it.</summary>
public sealed record PlanItemAdded(
    Guid PlanId,
    Guid RelationshipId,
    Guid PlanItemId,
    string What,
    Guid? InformationNeedId,
    Channel Channel,
    string Audience,
    Cadence Cadence,
    string Owner,
    DateOnly StartsOn,
    string AddedBy,
    DateTimeOffset AddedAt);

/// <summary>
/// The item's new values, all of them. A new cadence takes effect on the day of the change (the periods of the
/// old cadence that ended before it keep their outcome), or from the start date if the item has not started yet.
/// </summary>
public sealed record PlanItemChanged(
    Guid PlanId,
    Guid RelationshipId,
    Guid PlanItemId,
    string What,
    Guid? InformationNeedId,
    Channel Channel,
    string Audience,
    Cadence Cadence,
    string Owner,
    string ChangedBy,
    DateTimeOffset ChangedAt);

/// <summary>The item stops falling due from the day it is retired.</summary>
public sealed record PlanItemRetired(Guid PlanId, Guid RelationshipId, Guid PlanItemId, string Reason, string RetiredBy, DateTimeOffset RetiredAt);

/// <summary>
/// A communication went out at <paramref name="DeliveredAt"/> (which the BRM may give as earlier than when it
/// was recorded): for a plan item, or ad hoc when <paramref name="PlanItemId"/> is null.
/// </summary>
public sealed record CommunicationDelivered(
    Guid PlanId,
    Guid RelationshipId,
    Guid CommunicationId,
    Guid? PlanItemId,
    Channel Channel,
    string Summary,
    string? Link,
    string DeliveredBy,
    DateTimeOffset DeliveredAt)
{
    /// <summary>The update (OutreachService.SendUpdate) this communication was; null when the BRM recorded it.</summary>
    public Guid? UpdateId { get; init; }
}
