using Brm.Domain.Relationships;

namespace Brm.Domain.Tests;

public sealed class RelationshipSpecs
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly Guid Alice = Guid.NewGuid();
    private static readonly Guid Bob = Guid.NewGuid();
    private static readonly Guid Need = Guid.NewGuid();
    private static readonly DateTimeOffset Day1 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Day2 = Day1.AddDays(1);
    private const string Brm = "brm.jane";

    private static Spec<Relationship, RelationshipCommand> Spec() => new(RelationshipDecider.Decide);

    private static readonly DepartmentRegistered Registered = new(Id, "finance", "Finance", null, Brm, Day1);

    private static readonly StakeholderAdded AliceAdded = new(
        Id, Alice, "Alice Smith", "CFO", StakeholderLevel.Executive, "alice@example.com", Degree.High, Degree.Medium, Brm, Day1);

    private static readonly StakeholderAdded BobAdded = new(
        Id, Bob, "Bob Jones", "Accounts clerk", StakeholderLevel.Staff, null, Degree.Low, Degree.High, Brm, Day1);

    private static readonly RelationshipArchived Archived = new(Id, "department merged into Operations", Brm, Day1);

    [Fact]
    public void Given_nothing_when_registered_then_department_registered() =>
        Spec().When(new RegisterDepartment(Id, "finance", "Finance", "brm.jane", Brm, Day1))
            .Then(new DepartmentRegistered(Id, "finance", "Finance", "brm.jane", Brm, Day1));

    [Fact]
    public void Given_registered_when_registered_again_then_fails_already_exists() =>
        Spec().Given(Registered).When(new RegisterDepartment(Id, "finance", "Finance", null, Brm, Day1))
            .ThenFails(DomainError.AlreadyExists);

    [Fact]
    public void Given_nothing_when_renamed_then_fails_not_found() =>
        Spec().When(new RenameDepartment(Id, "Finance & Tax", Brm, Day1)).ThenFails(DomainError.NotFound);

    [Fact]
    public void Given_registered_when_renamed_then_department_renamed() =>
        Spec().Given(Registered).When(new RenameDepartment(Id, "Finance & Tax", Brm, Day2))
            .Then(new DepartmentRenamed(Id, "Finance & Tax", Brm, Day2));

    [Fact]
    public void Given_registered_when_renamed_to_same_name_then_nothing() =>
        Spec().Given(Registered).When(new RenameDepartment(Id, "Finance", Brm, Day2)).ThenNothing();

    [Fact]
    public void Given_registered_when_manager_assigned_then_manager_assigned() =>
        Spec().Given(Registered).When(new AssignManager(Id, "brm.omar", Brm, Day2))
            .Then(new RelationshipManagerAssigned(Id, "brm.omar", Brm, Day2));

    [Fact]
    public void Given_manager_assigned_when_same_manager_assigned_then_nothing() =>
        Spec().Given(Registered, new RelationshipManagerAssigned(Id, "brm.omar", Brm, Day1))
            .When(new AssignManager(Id, "brm.omar", Brm, Day2)).ThenNothing();

    [Fact]
    public void Given_registered_when_stakeholder_added_then_stakeholder_added() =>
        Spec().Given(Registered)
            .When(new AddStakeholder(Id, Alice, "Alice Smith", "CFO", StakeholderLevel.Executive, "alice@example.com", Degree.High,
                Degree.Medium, Brm, Day1))
            .Then(AliceAdded);

    [Fact]
    public void Given_stakeholder_with_email_when_another_added_with_same_email_then_fails_already_exists() =>
        Spec().Given(Registered, AliceAdded)
            .When(new AddStakeholder(Id, Bob, "A. Smith", "CFO", StakeholderLevel.Executive, "ALICE@example.com", Degree.High,
                Degree.High, Brm, Day2))
            .ThenFails(DomainError.AlreadyExists);

    [Fact]
    public void Given_removed_stakeholder_when_another_added_with_their_email_then_stakeholder_added() =>
        Spec().Given(Registered, AliceAdded, new StakeholderRemoved(Id, Alice, "left", Brm, Day1))
            .When(new AddStakeholder(Id, Bob, "Alicia Smith", "CFO", StakeholderLevel.Executive, "alice@example.com", Degree.High,
                Degree.High, Brm, Day2))
            .Then(new StakeholderAdded(Id, Bob, "Alicia Smith", "CFO", StakeholderLevel.Executive, "alice@example.com", Degree.High,
                Degree.High, Brm, Day2));

    [Fact]
    public void Given_stakeholder_when_title_updated_then_updated_with_every_field() =>
        Spec().Given(Registered, AliceAdded)
            .When(new UpdateStakeholder(Id, Alice, null, "Chief Financial Officer", null, null, null, Degree.High, Brm, Day2))
            .Then(new StakeholderUpdated(Id, Alice, "Alice Smith", "Chief Financial Officer", StakeholderLevel.Executive,
                "alice@example.com", Degree.High, Degree.High, Brm, Day2));

    [Fact]
    public void Given_stakeholder_when_email_cleared_then_updated_without_email() =>
        Spec().Given(Registered, AliceAdded)
            .When(new UpdateStakeholder(Id, Alice, null, null, null, "", null, null, Brm, Day2))
            .Then(new StakeholderUpdated(Id, Alice, "Alice Smith", "CFO", StakeholderLevel.Executive, null, Degree.High,
                Degree.Medium, Brm, Day2));

    [Fact]
    public void Given_stakeholder_when_updated_with_same_values_then_nothing() =>
        Spec().Given(Registered, AliceAdded)
            .When(new UpdateStakeholder(Id, Alice, "Alice Smith", "CFO", null, null, null, null, Brm, Day2)).ThenNothing();

    [Fact]
    public void Given_two_stakeholders_when_one_takes_the_others_email_then_fails_already_exists() =>
        Spec().Given(Registered, AliceAdded, BobAdded)
            .When(new UpdateStakeholder(Id, Bob, null, null, null, "alice@example.com", null, null, Brm, Day2))
            .ThenFails(DomainError.AlreadyExists);

    [Fact]
    public void Given_no_such_stakeholder_when_updated_then_fails_not_found() =>
        Spec().Given(Registered)
            .When(new UpdateStakeholder(Id, Alice, "Alice", null, null, null, null, null, Brm, Day2))
            .ThenFails(DomainError.NotFound);

    [Fact]
    public void Given_removed_stakeholder_when_updated_then_fails() =>
        Spec().Given(Registered, AliceAdded, new StakeholderRemoved(Id, Alice, null, Brm, Day1))
            .When(new UpdateStakeholder(Id, Alice, "Alice", null, null, null, null, null, Brm, Day2))
            .ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_stakeholder_when_removed_then_stakeholder_removed() =>
        Spec().Given(Registered, AliceAdded).When(new RemoveStakeholder(Id, Alice, "left the company", Brm, Day2))
            .Then(new StakeholderRemoved(Id, Alice, "left the company", Brm, Day2));

    [Fact]
    public void Given_removed_stakeholder_when_removed_again_then_nothing() =>
        Spec().Given(Registered, AliceAdded, new StakeholderRemoved(Id, Alice, null, Brm, Day1))
            .When(new RemoveStakeholder(Id, Alice, null, Brm, Day2)).ThenNothing();

    [Fact]
    public void Given_no_such_stakeholder_when_removed_then_fails_not_found() =>
        Spec().Given(Registered).When(new RemoveStakeholder(Id, Alice, null, Brm, Day2)).ThenFails(DomainError.NotFound);

    [Fact]
    public void Given_stakeholder_when_need_recorded_by_them_then_need_recorded() =>
        Spec().Given(Registered, AliceAdded)
            .When(new RecordInformationNeed(Id, Need, "monthly outage summary", Priority.High, Alice, Brm, Day2))
            .Then(new InformationNeedRecorded(Id, Need, "monthly outage summary", Priority.High, Alice, Brm, Day2));

    [Fact]
    public void Given_unknown_stakeholder_when_need_recorded_by_them_then_fails_not_found() =>
        Spec().Given(Registered)
            .When(new RecordInformationNeed(Id, Need, "monthly outage summary", Priority.High, Alice, Brm, Day2))
            .ThenFails(DomainError.NotFound);

    [Fact]
    public void Given_need_when_retired_then_need_retired() =>
        Spec().Given(Registered, new InformationNeedRecorded(Id, Need, "release notes", Priority.Low, null, Brm, Day1))
            .When(new RetireInformationNeed(Id, Need, "replaced by the intranet page", Brm, Day2))
            .Then(new InformationNeedRetired(Id, Need, "replaced by the intranet page", Brm, Day2));

    [Fact]
    public void Given_retired_need_when_retired_again_then_nothing() =>
        Spec().Given(Registered, new InformationNeedRecorded(Id, Need, "release notes", Priority.Low, null, Brm, Day1),
                new InformationNeedRetired(Id, Need, "no longer read", Brm, Day1))
            .When(new RetireInformationNeed(Id, Need, "no longer read", Brm, Day2)).ThenNothing();

    [Fact]
    public void Given_no_such_need_when_retired_then_fails_not_found() =>
        Spec().Given(Registered).When(new RetireInformationNeed(Id, Need, "gone", Brm, Day2)).ThenFails(DomainError.NotFound);

    [Fact]
    public void Given_maximum_active_needs_when_another_recorded_then_fails_limit() =>
        Spec().Given([Registered, .. Enumerable.Range(0, RelationshipLimits.ActiveInformationNeeds)
                .Select(i => new InformationNeedRecorded(Id, Guid.NewGuid(), $"need {i}", Priority.Low, null, Brm, Day1))])
            .When(new RecordInformationNeed(Id, Need, "one too many", Priority.Low, null, Brm, Day2))
            .ThenFails(DomainError.LimitExceeded);

    [Fact]
    public void Given_registered_when_preference_recorded_then_preference_recorded() =>
        Spec().Given(Registered)
            .When(new RecordCommunicationPreference(Id, Channel.Email, "all staff", "first Monday of the month", Brm, Day2))
            .Then(new CommunicationPreferenceRecorded(Id, Channel.Email, "all staff", "first Monday of the month", Brm, Day2));

    [Fact]
    public void Given_preference_when_recorded_again_unchanged_then_nothing() =>
        Spec().Given(Registered, new CommunicationPreferenceRecorded(Id, Channel.Email, "all staff", "monthly", Brm, Day1))
            .When(new RecordCommunicationPreference(Id, Channel.Email, "all staff", "monthly", Brm, Day2)).ThenNothing();

    [Fact]
    public void Given_preference_when_same_channel_and_audience_recorded_with_new_notes_then_it_replaces_the_old_one()
    {
        var state = new[]
        {
            Registered,
            (object)new CommunicationPreferenceRecorded(Id, Channel.Email, "all staff", "monthly", Brm, Day1),
            new CommunicationPreferenceRecorded(Id, Channel.Email, "All Staff", "fortnightly", Brm, Day2),
        }.Aggregate((Relationship?)null, Relationship.Fold)!;

        var preference = Assert.Single(state.CommunicationPreferences);
        Assert.Equal("fortnightly", preference.Notes);
    }

    [Fact]
    public void Given_registered_when_maturity_assessed_then_assessed_even_when_level_repeats() =>
        Spec().Given(Registered, new MaturityAssessed(Id, MaturitySide.It, MaturityLevel.OrderTaker, "tickets only", Brm, Day1))
            .When(new AssessMaturity(Id, MaturitySide.It, MaturityLevel.OrderTaker, "still tickets only", Brm, Day2))
            .Then(new MaturityAssessed(Id, MaturitySide.It, MaturityLevel.OrderTaker, "still tickets only", Brm, Day2));

    [Fact]
    public void Given_both_sides_assessed_then_gap_is_business_minus_it()
    {
        var state = new object[]
        {
            Registered,
            new MaturityAssessed(Id, MaturitySide.Business, MaturityLevel.AdHoc, "survey", Brm, Day1),
            new MaturityAssessed(Id, MaturitySide.It, MaturityLevel.ServiceProvider, "workshop", Brm, Day1),
        }.Aggregate((Relationship?)null, Relationship.Fold)!;

        Assert.Equal(-2, state.MaturityGap());
    }

    [Fact]
    public void Given_registered_when_archived_then_archived() =>
        Spec().Given(Registered).When(new ArchiveRelationship(Id, "department merged into Operations", Brm, Day1))
            .Then(Archived);

    [Fact]
    public void Given_archived_when_archived_again_then_nothing() =>
        Spec().Given(Registered, Archived).When(new ArchiveRelationship(Id, "again", Brm, Day2)).ThenNothing();

    [Fact]
    public void Given_archived_when_stakeholder_added_then_fails_rule() =>
        Assert.Contains("archived", Spec().Given(Registered, Archived)
            .When(new AddStakeholder(Id, Alice, "Alice", "CFO", StakeholderLevel.Executive, null, Degree.High, Degree.High, Brm, Day2))
            .ThenFails(DomainError.RuleBroken).Message, StringComparison.Ordinal);

    [Fact]
    public void Given_archived_when_renamed_then_fails_rule() =>
        Spec().Given(Registered, Archived).When(new RenameDepartment(Id, "Ops", Brm, Day2)).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_stakeholders_then_counts_per_level_leave_out_removed_ones()
    {
        var state = new object[] { Registered, AliceAdded, BobAdded, new StakeholderRemoved(Id, Bob, null, Brm, Day2) }
            .Aggregate((Relationship?)null, Relationship.Fold)!;

        Assert.Equal(1, state.CountStakeholders(StakeholderLevel.Executive));
        Assert.Equal(0, state.CountStakeholders(StakeholderLevel.Staff));
        Assert.Equal(Day2, state.UpdatedAt);
    }

    private static readonly StakeholderPersonalDataErased AliceErased = new(Id, Alice, "admin.ops", Day2);

    [Fact]
    public void Given_stakeholder_when_personal_data_erased_then_erased() =>
        Spec().Given(Registered, AliceAdded).When(new EraseStakeholderPersonalData(Id, Alice, "admin.ops", Day2)).Then(AliceErased);

    [Fact]
    public void Given_erased_when_erased_again_then_nothing() =>
        Spec().Given(Registered, AliceAdded, AliceErased).When(new EraseStakeholderPersonalData(Id, Alice, "admin.ops", Day2)).ThenNothing();

    [Fact]
    public void Given_archived_and_removed_stakeholder_when_erased_then_erased() =>
        Spec().Given(Registered, AliceAdded, new StakeholderRemoved(Id, Alice, "left", Brm, Day1), Archived)
            .When(new EraseStakeholderPersonalData(Id, Alice, "admin.ops", Day2)).Then(AliceErased);

    [Fact]
    public void Given_registered_when_unknown_stakeholder_erased_then_fails_not_found() =>
        Spec().Given(Registered).When(new EraseStakeholderPersonalData(Id, Alice, "admin.ops", Day2)).ThenFails(DomainError.NotFound);

    [Fact]
    public void Given_erased_when_updated_then_fails_rule() =>
        Assert.Contains("erased", Spec().Given(Registered, AliceAdded, AliceErased)
            .When(new UpdateStakeholder(Id, Alice, "Alice Smith", null, null, null, null, null, Brm, Day2))
            .ThenFails(DomainError.RuleBroken).Message, StringComparison.Ordinal);

    [Fact]
    public void Given_erased_then_a_placeholder_keeps_the_counts()
    {
        var state = new object[] { Registered, AliceAdded, BobAdded, AliceErased }.Aggregate((Relationship?)null, Relationship.Fold)!;

        var alice = state.Stakeholders.Single(s => s.Id == Alice);
        Assert.Equal((Stakeholder.ErasedName, "", null, true), (alice.Name, alice.Title, alice.Email, alice.Erased));
        Assert.Equal((StakeholderLevel.Executive, Degree.High, Degree.Medium), (alice.Level, alice.Influence, alice.Interest));
        Assert.Equal(1, state.CountStakeholders(StakeholderLevel.Executive));
        Assert.Equal(2, state.CurrentStakeholders().Count());
    }

    [Fact]
    public void Given_many_removals_then_the_state_keeps_the_current_stakeholders_and_the_last_removed_ones()
    {
        var cycles = RelationshipLimits.RemovedStakeholdersKept + 10;
        var removed = Enumerable.Range(0, cycles).Select(_ => Guid.NewGuid()).ToList();
        var events = new List<object> { Registered, AliceAdded };
        foreach (var (id, i) in removed.Select((id, i) => (id, i)))
        {
            events.Add(BobAdded with { StakeholderId = id, Email = null });
            events.Add(new StakeholderRemoved(Id, id, null, Brm, Day1.AddMinutes(i)));
        }

        var state = events.Aggregate((Relationship?)null, Relationship.Fold)!;

        Assert.Equal([Alice, .. removed[^RelationshipLimits.RemovedStakeholdersKept..]], state.Stakeholders.Select(s => s.Id));
        Spec().Given([.. events]).When(new RemoveStakeholder(Id, removed[^1], null, Brm, Day2)).ThenNothing();
    }

    [Fact]
    public void Given_many_retirements_then_the_state_keeps_the_active_needs_and_the_last_retired_ones()
    {
        var cycles = RelationshipLimits.RetiredInformationNeedsKept + 10;
        var retired = Enumerable.Range(0, cycles).Select(_ => Guid.NewGuid()).ToList();
        var events = new List<object> { Registered, new InformationNeedRecorded(Id, Need, "cost report", Priority.High, null, Brm, Day1) };
        foreach (var (id, i) in retired.Select((id, i) => (id, i)))
        {
            events.Add(new InformationNeedRecorded(Id, id, "status page", Priority.Low, null, Brm, Day1));
            events.Add(new InformationNeedRetired(Id, id, "answered", Brm, Day1.AddMinutes(i)));
        }

        var state = events.Aggregate((Relationship?)null, Relationship.Fold)!;

        Assert.Equal([Need, .. retired[^RelationshipLimits.RetiredInformationNeedsKept..]], state.InformationNeeds.Select(n => n.Id));
    }

    [Fact]
    public void Given_a_stakeholder_the_state_no_longer_carries_but_the_events_added_when_erased_then_erased() =>
        Spec().Given(Registered).When(new EraseStakeholderPersonalData(Id, Alice, "admin.ops", Day2, StakeholderHistory.Added)).Then(AliceErased);

    [Fact]
    public void Given_a_stakeholder_the_state_no_longer_carries_and_the_events_erased_when_erased_then_nothing() =>
        Spec().Given(Registered).When(new EraseStakeholderPersonalData(Id, Alice, "admin.ops", Day2, StakeholderHistory.Erased)).ThenNothing();
}
