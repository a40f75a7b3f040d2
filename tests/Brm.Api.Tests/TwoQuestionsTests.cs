using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.MeetingBuilders;

namespace Brm.Api.Tests;

/// <summary>
/// The two questions (what information do you need from IT, how do you want to hear it): the health signal, when
/// they were last asked, confirming the answers, and the portfolio sorted by the signal.
/// </summary>
public sealed class TwoQuestionsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly DateTimeOffset Asked = new(2025, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Both_answers_count_for_12_months_then_go_stale_until_the_department_confirms_them()
    {
        api.Clock.Set(Asked);
        var finance = await api.DepartmentAsync("Finance", [("Alice", StakeholderLevel.Executive)], NewManager());
        await AnswerAsync(finance, needs: true, preferences: true);

        var fresh = await HealthAsync(finance);
        api.Clock.Set(Asked.AddMonths(12));
        var lastDay = await HealthAsync(finance);
        api.Clock.Set(Asked.AddMonths(12).AddSeconds(1));
        var stale = await HealthAsync(finance);

        Assert.Equal((1.0, 10.0, "2/2, 0 days ago"), Signal(fresh));
        Assert.Equal(Asked, fresh.TwoQuestionsAskedAt.ToDateTimeOffset());
        Assert.Equal((1.0, 10.0, "2/2, 365 days ago"), Signal(lastDay));
        Assert.Equal((0.0, 10.0, "2/2, 365 days ago"), Signal(stale));
        Assert.Contains("more than 12 months: ask them again, or confirm the answers on record", stale.Signals.Single(s => s.Name == "two_questions").Explanation,
            StringComparison.Ordinal);

        var confirmedAt = api.Clock.GetUtcNow();
        var request = new ReviewNeedsAndPreferencesRequest { RequestId = Guid.NewGuid().ToString(), RelationshipId = finance.Id };
        var reviewed = await api.Relationships.ReviewNeedsAndPreferencesAsync(request);
        var events = await api.EventCountAsync();
        var repeated = await api.Relationships.ReviewNeedsAndPreferencesAsync(request);
        var confirmed = await HealthAsync(finance);

        Assert.Equal(confirmedAt, reviewed.Relationship.TwoQuestionsAskedAt.ToDateTimeOffset());
        Assert.Equal(reviewed.Version, repeated.Version);
        Assert.Equal(events, await api.EventCountAsync());
        Assert.Equal((1.0, 10.0, "2/2, 0 days ago"), Signal(confirmed));
        Assert.Equal(confirmedAt, confirmed.TwoQuestionsAskedAt.ToDateTimeOffset());
        await api.WaitForProjectionsAsync();
        var timeline = await api.Reporting.GetTimelineAsync(new GetTimelineRequest { RelationshipId = finance.Id, PageSize = 1 });
        Assert.StartsWith("Asked the two questions again", timeline.Entries[0].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_answer_counts_half_and_a_department_nobody_asked_has_no_date()
    {
        api.Clock.Set(Asked);
        var hr = await api.DepartmentAsync("HR", [("Hana", StakeholderLevel.Staff)], NewManager());

        var never = await HealthAsync(hr);
        await AnswerAsync(hr, needs: false, preferences: true);
        var half = await HealthAsync(hr);

        Assert.Equal((0.0, 10.0, "never asked"), Signal(never));
        Assert.Null(never.TwoQuestionsAskedAt);
        Assert.Equal((0.5, 10.0, "1/2, 0 days ago"), Signal(half));
        Assert.Contains("ask what information the department needs from IT", half.Signals.Single(s => s.Name == "two_questions").Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Confirming_needs_an_answer_on_record_an_owner_and_a_relationship_id()
    {
        api.Clock.Set(Asked);
        var manager = NewManager();
        var quiet = await api.DepartmentAsync("Quiet", [("Quentin", StakeholderLevel.Manager)], manager);

        var nothing = await FailsWith(StatusCode.FailedPrecondition, api.Relationships.ReviewNeedsAndPreferencesAsync(
            new ReviewNeedsAndPreferencesRequest { RelationshipId = quiet.Id }));
        var invalid = await FailsWith(StatusCode.InvalidArgument, api.Relationships.ReviewNeedsAndPreferencesAsync(
            new ReviewNeedsAndPreferencesRequest { RelationshipId = "finance", RequestId = "again" }));
        await AnswerAsync(quiet, needs: true, preferences: false);
        await FailsWith(StatusCode.PermissionDenied, api.RelationshipsAs("brm.someone-else", Api.Security.Role.Brm).ReviewNeedsAndPreferencesAsync(
            new ReviewNeedsAndPreferencesRequest { RelationshipId = quiet.Id }));
        var owner = await api.RelationshipsAs(manager, Api.Security.Role.Brm).ReviewNeedsAndPreferencesAsync(
            new ReviewNeedsAndPreferencesRequest { RelationshipId = quiet.Id, ExpectedVersion = 3 });

        Assert.Contains("record the department's answers first", nothing.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(["relationship_id", "request_id"], invalid.ViolatedFields().Order());
        Assert.Equal(4, owner.Version);
    }

    [Fact]
    public async Task The_portfolio_sorts_by_the_two_questions_worst_first_page_by_page_with_when_they_were_asked()
    {
        api.Clock.Set(Asked);
        var manager = NewManager();
        var both = await api.DepartmentAsync("Both answered", [("Bea", StakeholderLevel.Staff)], manager);
        await AnswerAsync(both, needs: true, preferences: true);
        var needsOnly = await api.DepartmentAsync("Needs only", [("Nils", StakeholderLevel.Staff)], manager);
        await AnswerAsync(needsOnly, needs: true, preferences: false);
        var never = await api.DepartmentAsync("Never asked", [("Nora", StakeholderLevel.Staff)], manager);
        var empty = await api.DepartmentAsync("No one yet", [], manager);
        api.Clock.Set(Asked.AddDays(30));

        var first = await api.Reporting.GetPortfolioAsync(new GetPortfolioRequest { Manager = manager, Sort = PortfolioSort.TwoQuestions, PageSize = 2 });
        var second = await api.Reporting.GetPortfolioAsync(new GetPortfolioRequest
        {
            Manager = manager, Sort = PortfolioSort.TwoQuestions, PageSize = 2, PageToken = first.NextPageToken,
        });
        var rows = first.Rows.Concat(second.Rows).ToList();

        Assert.Equal([never.Id, needsOnly.Id, both.Id, empty.Id], rows.Select(r => r.RelationshipId));
        Assert.Equal(new double?[] { 0.0, 0.5, 1.0, null }, rows.Select(r => r.Signals.Single(s => s.Name == "two_questions") is { HasScore: true } s ? s.Score : (double?)null));
        Assert.Equal(new DateTimeOffset?[] { null, Asked, Asked, null }, rows.Select(r => r.TwoQuestionsAskedAt?.ToDateTimeOffset()));
        Assert.Equal("", second.NextPageToken);
        Assert.All(rows, r => Assert.Equal(
            ["contact_recency", "coverage", "two_questions", "plan_adherence", "commitments_on_time", "commitments_overdue", "feedback_loops_closed",
                "declines_not_told", "maturity_gap"],
            r.Signals.Select(s => s.Name)));
    }

    [Fact]
    public async Task The_portfolio_sorts_by_any_signal()
    {
        api.Clock.Set(Asked);
        var manager = NewManager();
        var talkedTo = await api.DepartmentAsync("Talked to", [("Tia", StakeholderLevel.Staff)], manager);
        await api.Meetings.LogConversationAsync(Conversation(talkedTo, Asked.AddHours(-1), "Tia"));
        var silent = await api.DepartmentAsync("Silent", [("Sam", StakeholderLevel.Staff)], manager);

        foreach (var sort in Enum.GetValues<PortfolioSort>().Where(s => s is not PortfolioSort.Unspecified))
        {
            var portfolio = await api.Reporting.GetPortfolioAsync(new GetPortfolioRequest { Manager = manager, Sort = sort });
            Assert.Equal(2, portfolio.Rows.Count);
        }

        var byRecency = await api.Reporting.GetPortfolioAsync(new GetPortfolioRequest { Manager = manager, Sort = PortfolioSort.ContactRecency });
        Assert.Equal([silent.Id, talkedTo.Id], byRecency.Rows.Select(r => r.RelationshipId));
    }

    private static string NewManager() => "brm." + Guid.NewGuid().ToString("N")[..8];

    private static (double? Score, double Weight, string Value) Signal(GetRelationshipHealthResponse health)
    {
        var signal = health.Signals.Single(s => s.Name == "two_questions");
        return (signal.HasScore ? signal.Score : null, signal.Weight, signal.Value);
    }

    private Task<GetRelationshipHealthResponse> HealthAsync(Department department) =>
        api.Reporting.GetRelationshipHealthAsync(new GetRelationshipHealthRequest { RelationshipId = department.Id }).ResponseAsync;

    private async Task AnswerAsync(Department department, bool needs, bool preferences)
    {
        if (needs)
        {
            await api.Relationships.RecordInformationNeedAsync(new RecordInformationNeedRequest
            {
                RelationshipId = department.Id, Description = "Planned outages of the systems we use", Priority = Priority.High,
            });
        }

        if (preferences)
        {
            await api.Relationships.RecordCommunicationPreferenceAsync(new RecordCommunicationPreferenceRequest
            {
                RelationshipId = department.Id, Channel = Channel.Email, Audience = "everyone",
            });
        }
    }
}

/// <summary>A service whose answers to the two questions stay current for six months.</summary>
public sealed class SixMonthsFixture : ApiFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("Health:TwoQuestionsReviewMonths", "6")];
}

public sealed class TwoQuestionsPeriodTests(SixMonthsFixture api) : IClassFixture<SixMonthsFixture>
{
    [Fact]
    public async Task The_period_is_configured_in_months()
    {
        var asked = new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);
        api.Clock.Set(asked);
        var legal = await api.DepartmentAsync("Legal", [("Lee", StakeholderLevel.Manager)], "brm.legal");
        await api.Relationships.RecordCommunicationPreferenceAsync(new RecordCommunicationPreferenceRequest
        {
            RelationshipId = legal.Id, Channel = Channel.Email, Audience = "legal team",
        });
        await api.Relationships.RecordInformationNeedAsync(new RecordInformationNeedRequest
        {
            RelationshipId = legal.Id, Description = "Data protection incidents", Priority = Priority.High,
        });

        api.Clock.Set(asked.AddMonths(6));
        var current = await api.Reporting.GetRelationshipHealthAsync(new GetRelationshipHealthRequest { RelationshipId = legal.Id });
        api.Clock.Set(asked.AddMonths(6).AddDays(1));
        var stale = await api.Reporting.GetRelationshipHealthAsync(new GetRelationshipHealthRequest { RelationshipId = legal.Id });

        Assert.Equal(1.0, current.Signals.Single(s => s.Name == "two_questions").Score);
        Assert.Equal(0.0, stale.Signals.Single(s => s.Name == "two_questions").Score);
        Assert.Contains("more than 6 months", stale.Signals.Single(s => s.Name == "two_questions").Explanation, StringComparison.Ordinal);
    }
}
