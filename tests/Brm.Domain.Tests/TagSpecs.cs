using Brm.Domain.Meetings;
using Brm.Domain.Relationships;
using Brm.Domain.Tags;

namespace Brm.Domain.Tests;

public sealed class TagSpecs
{
    private static readonly DateTimeOffset At = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Relationship = Guid.NewGuid(), Meeting = Guid.NewGuid(), Person = Guid.NewGuid();

    private static IReadOnlyList<object> Decide(bool add, IReadOnlyList<string> current, params string[] tags) =>
        Tagging.Decide(new TagChange(add, tags, "brm.jane", At), current,
            (added, removed) => new MeetingTagsChanged(Meeting, Relationship, added, removed, "brm.jane", At), "meeting");

    [Theory]
    [InlineData("security", true)]
    [InlineData("erp-upgrade-2027", true)]
    [InlineData("", false)]
    [InlineData("Security", false)]
    [InlineData("two words", false)]
    [InlineData("-leading", false)]
    [InlineData("trailing-", false)]
    [InlineData("double--hyphen", false)]
    [InlineData("café", false)]
    [InlineData("a234567890123456789012345678901234567890", true)]
    [InlineData("a2345678901234567890123456789012345678901", false)]
    public void A_tag_is_a_short_lower_case_slug(string tag, bool valid) => Assert.Equal(valid, Tagging.IsTag(tag));

    [Fact]
    public void Adding_records_only_the_tags_the_item_lacks_sorted_and_once()
    {
        var change = Assert.IsType<MeetingTagsChanged>(Assert.Single(Decide(true, ["vpn"], "vpn", "security", "audit", "security")));

        Assert.Equal(["audit", "security"], change.Added);
        Assert.Empty(change.Removed);
    }

    [Fact]
    public void A_change_that_changes_nothing_records_nothing()
    {
        Assert.Empty(Decide(true, ["vpn"], "vpn"));
        Assert.Empty(Decide(false, ["vpn"], "security"));
    }

    [Fact]
    public void Removing_records_only_the_tags_the_item_carries()
    {
        var change = Assert.IsType<MeetingTagsChanged>(Assert.Single(Decide(false, ["audit", "vpn"], "vpn", "security")));

        Assert.Equal(["vpn"], change.Removed);
        Assert.Empty(change.Added);
    }

    [Fact]
    public void An_item_carries_at_most_the_limit()
    {
        var full = Enumerable.Range(1, TagLimits.PerItem).Select(i => $"tag-{i}").ToList();

        Assert.Equal(DomainError.LimitExceeded, Assert.Throws<DomainException>(() => Decide(true, full, "one-more")).Error);
        Assert.Empty(Decide(true, full, "tag-1"));
        Assert.Single(Decide(true, full[1..], "one-more"));
    }

    [Fact]
    public void The_department_and_each_stakeholder_keep_their_own_tags_and_an_erased_person_keeps_none()
    {
        var state = new object[]
        {
            new DepartmentRegistered(Relationship, "fin", "Finance", "brm.jane", "admin", At),
            new StakeholderAdded(Relationship, Person, "Ana Ruiz", "CFO", StakeholderLevel.Executive, null, Degree.High, Degree.High, "brm.jane", At),
            new RelationshipTagsChanged(Relationship, null, ["erp", "finance-systems"], [], "brm.jane", At),
            new RelationshipTagsChanged(Relationship, Person, ["sponsor"], [], "brm.jane", At),
            new RelationshipTagsChanged(Relationship, null, [], ["erp"], "brm.jane", At),
        }.Aggregate((Relationship?)null, Brm.Domain.Relationships.Relationship.Fold)!;

        Assert.Equal(["finance-systems"], state.Tags);
        Assert.Equal(["sponsor"], state.Stakeholders.Single().Tags);

        var erased = Brm.Domain.Relationships.Relationship.Fold(state, new StakeholderPersonalDataErased(Relationship, Person, "admin", At));
        Assert.Empty(erased.Stakeholders.Single().Tags);
    }
}
