using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace Brm.Domain.CommunicationPlans;

/// <summary>Why and when an item was retired.</summary>
public sealed record Retirement(string Reason, DateTimeOffset RetiredAt);

/// <summary>A recurring communication of the plan. Its schedule keeps every cadence it has had, from when.</summary>
public sealed record PlanItem(
    Guid Id,
    string What,
    Guid? InformationNeedId,
    Channel Channel,
    string Audience,
    string Owner,
    DateOnly StartsOn,
    ImmutableList<CadenceSpan> Schedule,
    DateTimeOffset AddedAt,
    DateTimeOffset UpdatedAt,
    Retirement? Retired)
{
    [JsonIgnore]
    public Cadence Cadence => Schedule[^1].Cadence;

    [JsonIgnore]
    public bool IsActive => Retired is null;

    [JsonIgnore]
    public DateOnly? RetiredOn => Retired is { } r ? DateOnly.FromDateTime(r.RetiredAt.UtcDateTime) : null;

    /// <summary>
    /// The first day of the last period a communication settled (<see cref="CommunicationPlans.Schedule.LastSettledPeriod"/>),
    /// kept by the plan from every communication for the item, so that what is due is found without them
    /// (<see cref="NextDueOn"/>: the agenda reads items, not a plan's whole history). Null while none has.
    /// </summary>
    public DateOnly? LastSettledPeriod { get; init; }

    /// <summary>When the item's next communication is due as of <paramref name="today"/>; null once retired.</summary>
    public DateOnly? NextDueOn(DateOnly today) => CommunicationPlans.Schedule.NextDueOn(Schedule, RetiredOn, LastSettledPeriod, today);
}

/// <summary>A communication that went out, for a plan item or ad hoc (no item).</summary>
public sealed record Communication(
    Guid Id, Guid? PlanItemId, DateTimeOffset DeliveredAt, Channel Channel, string Summary, string? Link, string DeliveredBy);

/// <summary>
/// One department's communication plan: its items (retired ones kept, flagged) and every communication that
/// went out. The state decisions read and, stored inline, the document GetPlan and GetAgenda read. Whether a
/// period was kept, and what is due, are derived from dates at read time (<see cref="Schedule"/>), never stored.
/// </summary>
[DuplicatedWithoutIndex(nameof(PlannedPerMonth))]
public sealed record CommunicationPlan(
    Guid Id,
    Guid RelationshipId,
    ImmutableList<PlanItem> Items,
    ImmutableList<Communication> Communications,
    DateTimeOffset UpdatedAt,
    long Version) : IEventSourced<CommunicationPlan>
{
    private static readonly Guid Namespace = new("3f0c1a52-8d7e-4b5a-9a55-6a1f0c2b7e11");

    /// <summary>
    /// The plan's stream id, derived from its relationship's: every department has exactly one plan, found
    /// without a lookup, and two first items added at once cannot start two plans.
    /// </summary>
    public static Guid IdFor(Guid relationshipId)
    {
        var hash = SHA256.HashData([.. Namespace.ToByteArray(), .. relationshipId.ToByteArray()]);
        return new Guid(hash.AsSpan(0, 16));
    }

    /// <summary>An empty plan for a relationship that has none yet (version 0).</summary>
    public static CommunicationPlan Empty(Guid relationshipId) => new(IdFor(relationshipId), relationshipId, [], [], default, 0);

    public IEnumerable<PlanItem> ActiveItems() => Items.Where(i => i.IsActive);

    public PlanItem Item(Guid planItemId) =>
        Items.Find(i => i.Id == planItemId) ?? throw DomainException.NotFound($"plan item {planItemId} was not found in this relationship's plan");

    /// <summary>How the item has been kept, as of <paramref name="today"/>.</summary>
    public ItemAssessment Assess(PlanItem item, DateOnly today) =>
        Schedule.Assess(item.Schedule, item.RetiredOn, Communications.Where(c => c.PlanItemId == item.Id).Select(c => c.DeliveredAt), today);

    /// <summary>Every item's periods together, retired items' past periods included.</summary>
    public Adherence Adherence(DateOnly today) => CommunicationPlans.Adherence.Sum(Items.Select(i => Assess(i, today).Adherence));

    /// <summary>
    /// Communications per month this plan asks for: its active items' cadences. Stored with the plan, in a column of its
    /// own, so that a manager's planned load sums one number per plan (CommunicationPlanQueries.PlannedLoadAsync) rather
    /// than reading every plan's items.
    /// </summary>
    public double PlannedPerMonth => PlannedPerMonthOf(Items);

    /// <summary>Communications per month these items ask for: the active ones' cadences.</summary>
    public static double PlannedPerMonthOf(IEnumerable<PlanItem> items) =>
        items.Where(i => i.IsActive).Sum(i => CommunicationPlans.Schedule.PerMonth(i.Cadence));

    public CommunicationPlan WithVersion(long version) => this with { Version = version };

    /// <summary>
    /// The plan as it stood at a moment, from the times its items and communications carry: the items added by
    /// then (not yet retired then, with the cadences in force by that day) and the communications that had gone
    /// out by then. Health "30 days ago" reads it. What an item said before a later change is not kept.
    /// </summary>
    public CommunicationPlan AsOf(DateTimeOffset moment)
    {
        var day = DateOnly.FromDateTime(moment.UtcDateTime);
        return (this with
        {
            Items = Items.Where(i => i.AddedAt <= moment).Select(i => i with
            {
                Schedule = i.Schedule.TakeWhile((s, n) => n == 0 || s.From <= day).ToImmutableList(),
                Retired = i.Retired is { } r && r.RetiredAt <= moment ? r : null,
            }).ToImmutableList(),
            Communications = Communications.Where(c => c.DeliveredAt <= moment).ToImmutableList(),
        }).Settled();
    }

    public static CommunicationPlan Fold(CommunicationPlan? state, object @event)
    {
        // A plan starts with its first item or its first (ad-hoc) communication.
        var plan = state ?? @event switch
        {
            PlanItemAdded e => Empty(e.RelationshipId),
            CommunicationDelivered e => Empty(e.RelationshipId),
            _ => throw new InvalidOperationException($"A communication plan stream cannot start with {@event.GetType().Name}."),
        };
        var folded = @event switch
        {
            PlanItemAdded e => plan with
            {
                Items = plan.Items.Add(new PlanItem(
                    e.PlanItemId, e.What, e.InformationNeedId, e.Channel, e.Audience, e.Owner, e.StartsOn, [new CadenceSpan(e.Cadence, e.StartsOn)],
                    e.AddedAt, e.AddedAt, null)),
                UpdatedAt = e.AddedAt,
            },
            PlanItemChanged e => plan.WithItem(e.PlanItemId, e.ChangedAt, i => i with
            {
                What = e.What,
                InformationNeedId = e.InformationNeedId,
                Channel = e.Channel,
                Audience = e.Audience,
                Owner = e.Owner,
                Schedule = Reschedule(i, e.Cadence, DateOnly.FromDateTime(e.ChangedAt.UtcDateTime)),
            }),
            PlanItemRetired e => plan.WithItem(e.PlanItemId, e.RetiredAt, i => i with { Retired = new Retirement(e.Reason, e.RetiredAt) }),
            CommunicationDelivered e => plan with
            {
                Communications = plan.Communications.Add(new Communication(
                    e.CommunicationId, e.PlanItemId, e.DeliveredAt, e.Channel, e.Summary, e.Link, e.DeliveredBy)),
                UpdatedAt = e.DeliveredAt > plan.UpdatedAt ? e.DeliveredAt : plan.UpdatedAt,
            },
            _ => plan,
        };
        // What an item's communications settled changes with them and with its schedule. Every item's, not only the
        // event's: a document stored before items kept it is then whole again at its next event.
        return folded.Settled();
    }

    /// <summary>
    /// The plan with each item's <see cref="PlanItem.LastSettledPeriod"/> found again from its schedule and communications
    /// (the projection keeps it; <see cref="PlanSettlement"/> brings plans stored before it up to date).
    /// </summary>
    public CommunicationPlan Settled() => this with { Items = Items.Select(Settled).ToImmutableList() };

    private PlanItem Settled(PlanItem item) => item with
    {
        LastSettledPeriod = CommunicationPlans.Schedule.LastSettledPeriod(
            item.Schedule, item.RetiredOn, Communications.Where(c => c.PlanItemId == item.Id).Select(c => c.DeliveredAt)),
    };

    /// <summary>A new cadence runs from <paramref name="from"/>; before the item starts, it simply replaces the old one.</summary>
    private static ImmutableList<CadenceSpan> Reschedule(PlanItem item, Cadence cadence, DateOnly from) =>
        cadence == item.Cadence ? item.Schedule
        : from <= item.StartsOn ? [new CadenceSpan(cadence, item.StartsOn)]
        : item.Schedule.RemoveAll(s => s.From >= from).Add(new CadenceSpan(cadence, from));

    private CommunicationPlan WithItem(Guid id, DateTimeOffset at, Func<PlanItem, PlanItem> change) => this with
    {
        Items = Items.Select(i => i.Id == id ? change(i) with { UpdatedAt = at } : i).ToImmutableList(),
        UpdatedAt = at,
    };
}
