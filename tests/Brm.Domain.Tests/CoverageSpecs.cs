using Brm.Domain.Meetings;
using Brm.Domain.Relationships;

namespace Brm.Domain.Tests;

public sealed class CoverageSpecs
{
    private static readonly Guid Finance = Guid.NewGuid();
    private static readonly Guid Exec = Guid.NewGuid();
    private static readonly Guid Manager = Guid.NewGuid();
    private static readonly Guid Staff1 = Guid.NewGuid();
    private static readonly Guid Staff2 = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset WindowStart = Now.AddDays(-90);
    private const string Brm = "brm.jane";

    private static Relationship Relationship(params object[] more) =>
        new object[]
        {
            new DepartmentRegistered(Finance, "finance", "Finance", Brm, Brm, Now.AddYears(-1)),
            Added(Exec, StakeholderLevel.Executive),
            Added(Manager, StakeholderLevel.Manager),
            Added(Staff1, StakeholderLevel.Staff),
            Added(Staff2, StakeholderLevel.Staff),
        }.Concat(more).Aggregate((Relationship?)null, Relationships.Relationship.Fold)!;

    private static StakeholderAdded Added(Guid id, StakeholderLevel level) =>
        new(Finance, id, level.ToString(), "title", level, null, Degree.Medium, Degree.Medium, Brm, Now.AddYears(-1));

    private static Dictionary<Guid, Contact> Contacts(params (Guid Stakeholder, DateTimeOffset At)[] contacts) =>
        contacts.ToDictionary(c => c.Stakeholder, c => new Contact(c.Stakeholder, Guid.NewGuid(), MeetingKind.CoffeeChat, c.At));

    [Fact]
    public void A_contact_exactly_at_the_window_start_is_within_and_one_tick_earlier_is_not()
    {
        var coverage = RelationshipCoverage.Of(Relationship(), Contacts((Staff1, WindowStart), (Staff2, WindowStart.AddTicks(-1))), WindowStart);

        Assert.True(coverage.Stakeholders.Single(s => s.Stakeholder.Id == Staff1).WithinWindow);
        Assert.False(coverage.Stakeholders.Single(s => s.Stakeholder.Id == Staff2).WithinWindow);
        Assert.Equal(new CoverageCount(1, 2), CoverageCount.Of(coverage.Stakeholders, StakeholderLevel.Staff));
    }

    [Fact]
    public void Not_contacted_lists_never_contacted_first_in_added_order_then_the_oldest_contact()
    {
        var coverage = RelationshipCoverage.Of(
            Relationship(), Contacts((Staff2, WindowStart.AddDays(-1)), (Manager, WindowStart.AddDays(-30)), (Staff1, Now)), WindowStart);

        Assert.Equal([Exec, Manager, Staff2], coverage.NotContacted().Select(s => s.Stakeholder.Id));
    }

    [Fact]
    public void Counts_per_level_and_in_total()
    {
        var coverage = RelationshipCoverage.Of(Relationship(), Contacts((Manager, Now), (Staff1, Now.AddDays(-10))), WindowStart);

        Assert.Equal(new CoverageCount(0, 1), CoverageCount.Of(coverage.Stakeholders, StakeholderLevel.Executive));
        Assert.Equal(new CoverageCount(1, 1), CoverageCount.Of(coverage.Stakeholders, StakeholderLevel.Manager));
        Assert.Equal(new CoverageCount(1, 2), CoverageCount.Of(coverage.Stakeholders, StakeholderLevel.Staff));
        Assert.Equal(new CoverageCount(2, 4), CoverageCount.Of(coverage.Stakeholders));
    }

    [Fact]
    public void A_removed_stakeholder_leaves_the_counts_even_when_contacted()
    {
        var coverage = RelationshipCoverage.Of(
            Relationship(new StakeholderRemoved(Finance, Staff1, "left", Brm, Now)), Contacts((Staff1, Now)), WindowStart);

        Assert.DoesNotContain(coverage.Stakeholders, s => s.Stakeholder.Id == Staff1);
        Assert.Equal(new CoverageCount(0, 1), CoverageCount.Of(coverage.Stakeholders, StakeholderLevel.Staff));
    }
}
