using Brm.Domain.CommunicationPlans;
using Brm.Domain.Relationships;

namespace Brm.Domain.Tests;

public sealed class CommunicationPlanSpecs
{
    private static readonly Guid Finance = Guid.NewGuid();
    private static readonly Guid Plan = CommunicationPlan.IdFor(Finance);
    private static readonly Guid Item = Guid.NewGuid();
    private static readonly Guid Need = Guid.NewGuid();
    private static readonly Guid RetiredNeed = Guid.NewGuid();
    private static readonly Guid Sent = Guid.NewGuid();
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 11, 2);
    private static readonly DateOnly Registered = new(2026, 10, 1);
    private const string Brm = "brm.jane";

    private static readonly Relationship Relationship = new object[]
    {
        new DepartmentRegistered(Finance, "finance", "Finance", Brm, Brm, new DateTimeOffset(Registered.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero)),
        new InformationNeedRecorded(Finance, Need, "Outages that hit month-end", Priority.High, null, Brm, Monday.AddDays(-20)),
        new InformationNeedRecorded(Finance, RetiredNeed, "Old need", Priority.Low, null, Brm, Monday.AddDays(-20)),
        new InformationNeedRetired(Finance, RetiredNeed, "met", Brm, Monday.AddDays(-10)),
    }.Aggregate((Relationship?)null, Relationship.Fold)!;

    private static readonly PlanItemDetails Details = new("IT update", Need, Channel.Email, "all staff", Cadence.Monthly, "brm.jane");

    private static readonly PlanItemAdded Added = new(
        Plan, Finance, Item, "IT update", Need, Channel.Email, "all staff", Cadence.Monthly, "brm.jane", Today, Brm, Monday);

    private static Spec<CommunicationPlan, PlanCommand> Spec(Relationship? relationship = null) =>
        new((c, s) => CommunicationPlanDecider.Decide(c, s, relationship ?? Relationship));

    private static AddPlanItem Add(DateOnly startsOn, PlanItemDetails? details = null) => new(Finance, Item, details ?? Details, startsOn, Brm, Monday);

    private static RecordCommunication Record(Guid? item, DateTimeOffset? at) =>
        new(Finance, Sent, item, at, Channel.Email, "October update", null, Brm, Monday);

    [Fact]
    public void Given_nothing_when_an_item_is_added_then_the_plan_starts_with_it() => Spec().When(Add(Today)).Then(Added);

    [Fact]
    public void Given_nothing_when_an_item_starts_before_the_relationship_existed_then_fails() =>
        Assert.Contains("before the relationship existed", Spec().When(Add(Registered.AddDays(-1))).ThenFails(DomainError.RuleBroken).Message,
            StringComparison.Ordinal);

    [Fact]
    public void Given_nothing_when_an_item_starts_the_day_the_relationship_began_then_added() =>
        Spec().When(Add(Registered)).Then(Added with { StartsOn = Registered });

    [Fact]
    public void Given_an_unknown_information_need_when_added_then_not_found() =>
        Spec().When(Add(Today, Details with { InformationNeedId = Guid.NewGuid() })).ThenFails(DomainError.NotFound);

    [Fact]
    public void Given_a_retired_information_need_when_added_then_fails() =>
        Spec().When(Add(Today, Details with { InformationNeedId = RetiredNeed })).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_an_archived_relationship_when_added_then_fails() =>
        Spec(Relationship.Fold(Relationship, new RelationshipArchived(Finance, "merged", Brm, Monday))).When(Add(Today)).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_an_item_when_changed_then_changed_with_all_its_values() =>
        Spec().Given(Added).When(new ChangePlanItem(Finance, Item, Details with { Cadence = Cadence.Weekly, Channel = Channel.Chat }, Brm, Monday))
            .Then(new PlanItemChanged(Plan, Finance, Item, "IT update", Need, Channel.Chat, "all staff", Cadence.Weekly, "brm.jane", Brm, Monday));

    [Fact]
    public void Given_an_item_when_changed_to_what_it_is_then_nothing() =>
        Spec().Given(Added).When(new ChangePlanItem(Finance, Item, Details, Brm, Monday)).ThenNothing();

    [Fact]
    public void Given_no_such_item_when_changed_then_not_found() =>
        Spec().Given(Added).When(new ChangePlanItem(Finance, Guid.NewGuid(), Details, Brm, Monday)).ThenFails(DomainError.NotFound);

    [Fact]
    public void Given_a_retired_item_when_changed_then_fails() =>
        Spec().Given(Added, new PlanItemRetired(Plan, Finance, Item, "nobody reads it", Brm, Monday))
            .When(new ChangePlanItem(Finance, Item, Details with { What = "New" }, Brm, Monday)).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_an_item_when_retired_then_retired() =>
        Spec().Given(Added).When(new RetirePlanItem(Finance, Item, "nobody reads it", Brm, Monday))
            .Then(new PlanItemRetired(Plan, Finance, Item, "nobody reads it", Brm, Monday));

    [Fact]
    public void Given_a_retired_item_when_retired_again_then_nothing() =>
        Spec().Given(Added, new PlanItemRetired(Plan, Finance, Item, "nobody reads it", Brm, Monday))
            .When(new RetirePlanItem(Finance, Item, "again", Brm, Monday)).ThenNothing();

    [Fact]
    public void Given_an_item_when_a_communication_is_recorded_then_delivered() =>
        Spec().Given(Added).When(Record(Item, Monday.AddHours(-1)))
            .Then(new CommunicationDelivered(Plan, Finance, Sent, Item, Channel.Email, "October update", null, Brm, Monday.AddHours(-1)));

    [Fact]
    public void Given_nothing_when_an_ad_hoc_update_is_recorded_then_the_plan_starts_with_it() =>
        Spec().When(Record(null, null)).Then(new CommunicationDelivered(Plan, Finance, Sent, null, Channel.Email, "October update", null, Brm, Monday));

    [Fact]
    public void Given_an_item_when_a_communication_is_recorded_in_the_future_then_fails() =>
        Spec().Given(Added).When(Record(Item, Monday.AddMinutes(1))).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_an_item_when_a_communication_is_recorded_before_it_started_then_fails() =>
        Spec().Given(Added).When(Record(Item, Monday.AddDays(-1))).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_a_retired_item_when_a_later_communication_is_recorded_then_fails() =>
        Spec().Given(Added, new PlanItemRetired(Plan, Finance, Item, "nobody reads it", Brm, Monday.AddHours(-2)))
            .When(Record(Item, Monday.AddHours(-1))).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_a_retired_item_it_stops_falling_due()
    {
        var plan = new object[] { Added, new PlanItemRetired(Plan, Finance, Item, "nobody reads it", Brm, Monday.AddDays(45)) }
            .Aggregate((CommunicationPlan?)null, CommunicationPlan.Fold)!;

        var assessment = plan.Assess(plan.Items[0], Today.AddDays(120));

        Assert.Null(assessment.NextDueOn);
        Assert.Single(assessment.Periods);
        Assert.Equal(0, plan.PlannedPerMonth);
    }

    [Fact]
    public void Given_a_cadence_changed_before_the_item_started_the_new_cadence_runs_from_the_start()
    {
        var later = Added with { StartsOn = Today.AddDays(30) };
        var plan = new object[] { later, new PlanItemChanged(Plan, Finance, Item, "IT update", Need, Channel.Email, "all staff", Cadence.Weekly, "brm.jane", Brm, Monday) }
            .Aggregate((CommunicationPlan?)null, CommunicationPlan.Fold)!;

        Assert.Equal([new CadenceSpan(Cadence.Weekly, Today.AddDays(30))], plan.Items[0].Schedule);
    }

    [Fact]
    public void As_of_a_past_moment_the_plan_has_the_items_cadences_and_communications_of_then()
    {
        DateTimeOffset On(int month, int day) => new(2026, month, day, 9, 0, 0, TimeSpan.Zero);
        var plan = new object[]
        {
            new PlanItemAdded(Plan, Finance, Item, "IT update", null, Channel.Email, "all staff", Cadence.Monthly, Brm, new DateOnly(2026, 6, 1), Brm, On(5, 25)),
            new CommunicationDelivered(Plan, Finance, Guid.NewGuid(), Item, Channel.Email, "June", null, Brm, On(6, 20)),
            new CommunicationDelivered(Plan, Finance, Guid.NewGuid(), Item, Channel.Email, "July", null, Brm, On(7, 15)),
            new PlanItemChanged(Plan, Finance, Item, "IT update", null, Channel.Email, "all staff", Cadence.Weekly, Brm, Brm, On(9, 1)),
            new CommunicationDelivered(Plan, Finance, Guid.NewGuid(), Item, Channel.Email, "week 1", null, Brm, On(9, 5)),
            new PlanItemRetired(Plan, Finance, Item, "replaced by the intranet", Brm, On(10, 15)),
        }.Aggregate((CommunicationPlan?)null, CommunicationPlan.Fold)!;

        var august = plan.AsOf(On(8, 15));

        var item = Assert.Single(august.Items);
        Assert.Equal((Cadence.Monthly, 1, true), (item.Cadence, item.Schedule.Count, item.IsActive));
        Assert.Equal(2, august.Communications.Count);
        Assert.Equal(new Adherence(2, 0, 0), august.Adherence(new DateOnly(2026, 8, 15)));
        Assert.Equal((Cadence.Weekly, false), (plan.AsOf(On(10, 20)).Items[0].Cadence, plan.AsOf(On(10, 20)).Items[0].IsActive));
        Assert.Empty(plan.AsOf(On(5, 20)).Items);
    }

    [Fact]
    public void Adding_an_item_for_a_department_without_preferences_warns_to_check_the_channel()
    {
        var warnings = PlanWarnings.Of(Add(Today), Relationship, null);

        Assert.Equal((true, false, 0), (warnings.ChannelNotPreferred, warnings.LoadOverThreshold, warnings.PreferredChannels.Count));
        Assert.Equal(["Finance has no recorded communication preferences: check that Email suits them"], warnings.Messages);
    }

    [Fact]
    public void Changing_an_item_to_a_channel_the_department_did_not_ask_for_warns_and_names_its_channels_once()
    {
        var warnings = PlanWarnings.Of(
            new ChangePlanItem(Finance, Item, Details with { Channel = Channel.Newsletter }, Brm, Monday), Preferring(Channel.Intranet, Channel.Email, Channel.Intranet), null);

        Assert.Equal([Channel.Intranet, Channel.Email], warnings.PreferredChannels);
        Assert.True(warnings.ChannelNotPreferred);
        Assert.Equal(["Newsletter is not one of Finance's preferred channels (Intranet, Email)"], warnings.Messages);
    }

    [Fact]
    public void Adding_an_item_on_a_preferred_channel_warns_of_nothing()
    {
        var warnings = PlanWarnings.Of(Add(Today), Preferring(Channel.Email), new PlannedLoad(Brm, 20, 20));

        Assert.Equal((false, false), (warnings.ChannelNotPreferred, warnings.LoadOverThreshold));
        Assert.Empty(warnings.Messages);
    }

    [Fact]
    public void Recording_a_communication_names_no_channel_to_warn_about() =>
        Assert.False(PlanWarnings.Of(Record(null, null), Relationship, null).ChannelNotPreferred);

    [Fact]
    public void A_load_above_the_threshold_is_warned_of_in_words()
    {
        var warnings = PlanWarnings.Of(Add(Today), Preferring(Channel.Email), new PlannedLoad(Brm, 21.67, 20));

        Assert.True(warnings.LoadOverThreshold);
        Assert.Equal(["brm.jane's plans now ask for 21.67 communications a month, above the 20 one person can keep to"], warnings.Messages);
    }

    [Fact]
    public void The_load_counts_the_plan_as_it_now_stands_with_the_managers_other_plans()
    {
        var hr = Guid.NewGuid();
        var stored = PlanOf(Finance, Cadence.Monthly);
        var changed = PlanOf(Finance, Cadence.Monthly, Cadence.Weekly);

        var load = PlannedLoad.Counting(changed, Brm, [ManagedLoad.Of(stored), ManagedLoad.Of(PlanOf(hr, Cadence.Weekly))], PlanLimits.DefaultMonthlyLoadThreshold);

        Assert.Equal(new PlannedLoad(Brm, 9.67, 20), load);
        Assert.False(load.OverThreshold);
    }

    [Fact]
    public void The_load_leaves_out_a_plan_whose_department_the_manager_no_longer_manages()
    {
        var hr = Guid.NewGuid();

        var load = PlannedLoad.Counting(PlanOf(Finance, Cadence.Weekly), Brm, [ManagedLoad.Of(PlanOf(hr, Cadence.Weekly))], 4);

        Assert.Equal(4.33, load.PerMonth);
        Assert.True(load.OverThreshold);
    }

    private static Relationship Preferring(params Channel[] channels) => channels
        .Select((c, n) => (object)new CommunicationPreferenceRecorded(Finance, c, $"audience {n}", null, Brm, Monday.AddDays(-5)))
        .Aggregate(Relationship, Relationship.Fold);

    private static CommunicationPlan PlanOf(Guid relationship, params Cadence[] cadences) => cadences
        .Select(c => (object)new PlanItemAdded(
            CommunicationPlan.IdFor(relationship), relationship, Guid.NewGuid(), $"{c} update", null, Channel.Email, "all staff", c, Brm, Today, Brm, Monday))
        .Aggregate((CommunicationPlan?)null, CommunicationPlan.Fold)!;

    [Fact]
    public void The_plan_id_is_derived_from_the_relationship_and_differs_from_it() =>
        Assert.Equal((Plan, false), (CommunicationPlan.IdFor(Finance), Plan == Finance));
    /// <summary>
    /// The plan keeps each item's last settled period as its communications and schedule change, so what is due is read
    /// from the item alone; a plan stored before (no period kept) is whole again at its next event, whatever the event.
    /// </summary>
    [Fact]
    public void The_plan_keeps_each_items_last_settled_period_through_communications_and_cadence_changes()
    {
        var plan = new object[]
        {
            Added,
            new CommunicationDelivered(Plan, Finance, Guid.NewGuid(), Item, Channel.Email, "November", null, Brm, Monday.AddDays(27)),
            new CommunicationDelivered(Plan, Finance, Guid.NewGuid(), null, Channel.Email, "ad hoc", null, Brm, Monday.AddDays(28)),
        }.Aggregate((CommunicationPlan?)null, CommunicationPlan.Fold)!;
        Assert.Equal(Today, plan.Items[0].LastSettledPeriod);
        Assert.Equal(plan.Assess(plan.Items[0], Today.AddDays(40)).NextDueOn, plan.Items[0].NextDueOn(Today.AddDays(40)));

        var stored = plan with { Items = [plan.Items[0] with { LastSettledPeriod = null }] };
        var weekly = CommunicationPlan.Fold(stored, new PlanItemChanged(
            Plan, Finance, Item, "IT update", Need, Channel.Email, "all staff", Cadence.Weekly, "brm.jane", Brm, Monday.AddDays(40)));
        Assert.Equal(Today, weekly.Items[0].LastSettledPeriod);
        Assert.Equal(weekly.Assess(weekly.Items[0], Today.AddDays(50)).NextDueOn, weekly.Items[0].NextDueOn(Today.AddDays(50)));

        var later = CommunicationPlan.Fold(stored, new CommunicationDelivered(Plan, Finance, Guid.NewGuid(), null, Channel.Email, "ad hoc", null, Brm, Monday.AddDays(41)));
        Assert.Equal(Today, later.Items[0].LastSettledPeriod);
    }
}
