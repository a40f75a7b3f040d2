using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.MeetingBuilders;

namespace Brm.Api.Tests;

/// <summary>
/// TagService over a real PostgreSQL: tags on every kind of item, the rules, the lists, portfolio and search filtered by
/// them, ListTags' counts, and each change in the feed, the timeline and the as-of view. Each test tags with words of
/// its own, so tests sharing the fixture do not see each other's tags.
/// </summary>
public sealed class TagTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly string _tag = "t" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Every_kind_of_item_carries_its_tags_sorted_and_a_repeat_changes_nothing()
    {
        var finance = await api.DepartmentAsync("Finance", [("Ana", StakeholderLevel.Executive)]);
        var (meeting, commitment, feedback) = await ItemsAsync(finance);
        TagTarget[] targets =
        [
            new() { RelationshipId = finance.Id },
            new() { Stakeholder = new StakeholderReference { RelationshipId = finance.Id, StakeholderId = finance["Ana"] } },
            new() { MeetingId = meeting }, new() { CommitmentId = commitment }, new() { FeedbackId = feedback },
        ];

        foreach (var target in targets)
        {
            var added = await api.Tags.AddTagsAsync(new AddTagsRequest { Target = target, Tags = { $"{_tag}-b", $"{_tag}-a", $"{_tag}-b" } });
            Assert.Equal([$"{_tag}-a", $"{_tag}-b"], added.Tags);
            var again = await api.Tags.AddTagsAsync(new AddTagsRequest { Target = target, Tags = { $"{_tag}-a" } });
            Assert.Equal(added.Version, again.Version);
            Assert.Equal(added.Tags, again.Tags);
            var removed = await api.Tags.RemoveTagsAsync(new RemoveTagsRequest { Target = target, Tags = { $"{_tag}-a", "never-there" } });
            Assert.Equal([$"{_tag}-b"], removed.Tags);
            Assert.Equal(added.Version + 1, removed.Version);
        }

        var relationship = (await api.Relationships.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = finance.Id })).Relationship;
        Assert.Equal([$"{_tag}-b"], relationship.Tags);
        Assert.Equal([$"{_tag}-b"], relationship.Stakeholders.Single().Tags);
        Assert.Equal([$"{_tag}-b"], (await api.Meetings.GetMeetingAsync(new GetMeetingRequest { MeetingId = meeting })).Meeting.Tags);
        Assert.Equal([$"{_tag}-b"], (await api.Commitments.GetCommitmentAsync(new GetCommitmentRequest { CommitmentId = commitment })).Commitment.Tags);
        Assert.Equal([$"{_tag}-b"], (await api.Feedback.GetFeedbackAsync(new GetFeedbackRequest { FeedbackId = feedback })).Feedback.Tags);
    }

    [Fact]
    public async Task Lists_and_the_portfolio_filter_by_every_tag_given()
    {
        var manager = "brm.tags." + _tag;
        var finance = await api.DepartmentAsync("Finance", [("Ana", StakeholderLevel.Executive)], manager);
        var hr = await api.DepartmentAsync("HR", [("Bo", StakeholderLevel.Executive)], manager);
        var (meeting, commitment, feedback) = await ItemsAsync(finance);
        await ItemsAsync(finance); // untagged neighbours
        await TagAsync(new TagTarget { RelationshipId = finance.Id }, _tag, "erp");
        await TagAsync(new TagTarget { RelationshipId = hr.Id }, _tag);
        await TagAsync(new TagTarget { MeetingId = meeting }, _tag, "security");
        await TagAsync(new TagTarget { CommitmentId = commitment }, _tag, "security");
        await TagAsync(new TagTarget { FeedbackId = feedback }, _tag, "security");

        var departments = await api.Relationships.ListRelationshipsAsync(new ListRelationshipsRequest { Manager = manager, Tags = { _tag } });
        Assert.Equal(["Finance", "HR"], departments.Relationships.Select(r => r.Name));
        var both = await api.Relationships.ListRelationshipsAsync(new ListRelationshipsRequest { Manager = manager, Tags = { _tag, "erp" } });
        Assert.Equal([finance.Id], both.Relationships.Select(r => r.Id));
        Assert.Equal([_tag, "erp"], both.Relationships.Single().Tags.Order(StringComparer.Ordinal).Reverse());

        var portfolio = await api.Reporting.GetPortfolioAsync(new GetPortfolioRequest { Manager = manager, Sort = PortfolioSort.Name, Tags = { "erp" } });
        Assert.Equal([finance.Id], portfolio.Rows.Select(r => r.RelationshipId));
        Assert.Contains("erp", portfolio.Rows.Single().Tags);

        Assert.Equal([meeting], (await api.Meetings.ListMeetingsAsync(new ListMeetingsRequest { RelationshipId = finance.Id, Tags = { _tag } }))
            .Meetings.Select(m => m.Id));
        Assert.Equal([commitment], (await api.Commitments.ListCommitmentsAsync(new ListCommitmentsRequest { RelationshipId = finance.Id, Tags = { _tag, "security" } }))
            .Commitments.Select(c => c.Id));
        Assert.Equal([feedback], (await api.Feedback.ListFeedbackAsync(new ListFeedbackRequest { RelationshipId = finance.Id, Tags = { _tag } }))
            .Feedback.Select(f => f.Id));
        Assert.Empty((await api.Commitments.ListCommitmentsAsync(new ListCommitmentsRequest { RelationshipId = finance.Id, Tags = { _tag, "erp" } })).Commitments);
    }

    [Fact]
    public async Task Search_finds_what_the_item_or_its_department_is_tagged_with()
    {
        var legal = await api.DepartmentAsync("Legal", [("Ana", StakeholderLevel.Executive)]);
        var sales = await api.DepartmentAsync("Sales", [("Bo", StakeholderLevel.Executive)]);
        var tagged = (await api.Meetings.LogConversationAsync(Talk(legal, $"Phishing drills {_tag}"))).Meeting.Id;
        await api.Meetings.LogConversationAsync(Talk(legal, $"Phishing again {_tag}"));
        var salesTalk = (await api.Meetings.LogConversationAsync(Talk(sales, $"Phishing at the fair {_tag}"))).Meeting.Id;
        await TagAsync(new TagTarget { MeetingId = tagged }, "security");
        await TagAsync(new TagTarget { RelationshipId = sales.Id }, "security");
        await api.WaitForProjectionsAsync();

        var hits = await api.Search.SearchAsync(new SearchRequest { Query = _tag, Tags = { "security" } });
        Assert.Equal(new[] { salesTalk, tagged }.Order(), hits.Hits.Select(h => h.SubjectId).Distinct().Order());
        Assert.Equal(3, (await api.Search.SearchAsync(new SearchRequest { Query = _tag })).Hits.Select(h => h.SubjectId).Distinct().Count());
        Assert.Empty((await api.Search.SearchAsync(new SearchRequest { Query = _tag, Tags = { "security", "nowhere" } })).Hits);

        // No query, a tag: everything that carries it, newest first (unranked, unmarked).
        await TagAsync(new TagTarget { MeetingId = tagged }, _tag);
        var browsed = await api.Search.SearchAsync(new SearchRequest { Tags = { _tag } });
        Assert.Equal([tagged], browsed.Hits.Select(h => h.SubjectId).Distinct());
        Assert.All(browsed.Hits, h => Assert.DoesNotContain("<mark>", h.SnippetHtml, StringComparison.Ordinal));
        Assert.Equal(["query"], (await FailsWith(StatusCode.InvalidArgument, api.Search.SearchAsync(new SearchRequest()))).ViolatedFields());
    }

    [Fact]
    public async Task ListTags_counts_the_items_of_each_kind_carrying_a_tag()
    {
        var ops = await api.DepartmentAsync("Operations", [("Ana", StakeholderLevel.Executive), ("Bo", StakeholderLevel.Staff)]);
        var (meeting, commitment, _) = await ItemsAsync(ops);
        await TagAsync(new TagTarget { RelationshipId = ops.Id }, _tag);
        await TagAsync(new TagTarget { Stakeholder = new StakeholderReference { RelationshipId = ops.Id, StakeholderId = ops["Ana"] } }, _tag);
        await TagAsync(new TagTarget { Stakeholder = new StakeholderReference { RelationshipId = ops.Id, StakeholderId = ops["Bo"] } }, _tag);
        await TagAsync(new TagTarget { MeetingId = meeting }, _tag, "zz-" + _tag);
        await TagAsync(new TagTarget { CommitmentId = commitment }, _tag);

        var tags = (await api.Tags.ListTagsAsync(new ListTagsRequest { RelationshipIds = { ops.Id } })).Tags;

        Assert.Equal([_tag, "zz-" + _tag], tags.Select(t => t.Tag));
        Assert.Equal(5, tags[0].Count);
        Assert.Equal(
            [(TaggedKind.Department, 1), (TaggedKind.Stakeholder, 2), (TaggedKind.Meeting, 1), (TaggedKind.Commitment, 1)],
            tags[0].Kinds.Select(k => (k.Kind, k.Count)));
        Assert.Contains((await api.Tags.ListTagsAsync(new ListTagsRequest())).Tags, t => t.Tag == _tag && t.Count == 5);
    }

    [Fact]
    public async Task A_change_is_in_the_feed_the_timeline_and_the_as_of_view()
    {
        var marketing = await api.DepartmentAsync("Marketing", [("Ana", StakeholderLevel.Executive)]);
        var before = api.Clock.GetUtcNow();
        api.Clock.Advance(TimeSpan.FromMinutes(1));
        await TagAsync(new TagTarget { RelationshipId = marketing.Id }, _tag);
        await TagAsync(new TagTarget { Stakeholder = new StakeholderReference { RelationshipId = marketing.Id, StakeholderId = marketing["Ana"] } }, "sponsor");
        await api.WaitForProjectionsAsync();

        using var call = api.Reporting.StreamEvents(
            new StreamEventsRequest { RelationshipIds = { marketing.Id }, EventTypes = { "relationship_tags_changed" } }, deadline: DateTime.UtcNow.AddSeconds(30));
        var changes = new List<TagsChanged>();
        await foreach (var message in call.ResponseStream.ReadAllAsync())
        {
            if (message.ItemCase == StreamEventsResponse.ItemOneofCase.Event)
            {
                changes.Add(message.Event.Payload.RelationshipTagsChanged);
            }
        }

        Assert.Equal(2, changes.Count);
        Assert.Equal(marketing.Id, changes[0].Target.RelationshipId);
        Assert.Equal([_tag], changes[0].Added);
        Assert.Equal(marketing["Ana"], changes[1].Target.Stakeholder.StakeholderId);
        Assert.Equal(["sponsor"], changes[1].Added);

        var timeline = await api.Reporting.GetTimelineAsync(new GetTimelineRequest { RelationshipId = marketing.Id });
        Assert.Contains(timeline.Entries, e => e.Summary == $"Tagged the department {_tag}");
        Assert.Contains(timeline.Entries, e => e.Summary == "Tagged a stakeholder sponsor");

        var then = await api.Reporting.GetRelationshipAsOfAsync(new GetRelationshipAsOfRequest { RelationshipId = marketing.Id, AsOf = At(before) });
        Assert.Empty(then.Relationship.Tags);
        var now = await api.Reporting.GetRelationshipAsOfAsync(new GetRelationshipAsOfRequest { RelationshipId = marketing.Id, AsOf = At(api.Clock.GetUtcNow()) });
        Assert.Equal([_tag], now.Relationship.Tags);
        Assert.Equal(["sponsor"], now.Relationship.Stakeholders.Single().Tags);
    }

    [Theory]
    [InlineData("Security")]
    [InlineData("two words")]
    [InlineData("-dash")]
    [InlineData("")]
    [InlineData("a2345678901234567890123456789012345678901")]
    public async Task A_tag_that_is_not_a_slug_is_invalid_argument_and_changes_nothing(string tag)
    {
        var hr = await api.DepartmentAsync("HR", [("Ana", StakeholderLevel.Executive)]);

        var failure = await FailsWith(StatusCode.InvalidArgument, api.Tags.AddTagsAsync(new AddTagsRequest
        {
            Target = new TagTarget { RelationshipId = hr.Id }, Tags = { "fine", tag },
        }));

        Assert.Equal(["tags[1]"], failure.ViolatedFields());
        Assert.Equal(hr.Relationship.Version, (await api.Relationships.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = hr.Id })).Relationship.Version);
        Assert.Equal(["tags[0]"], (await FailsWith(StatusCode.InvalidArgument, api.Search.SearchAsync(new SearchRequest { Query = "x", Tags = { tag } }))).ViolatedFields());
    }

    [Fact]
    public async Task A_target_must_name_one_existing_item()
    {
        var hr = await api.DepartmentAsync("HR", [("Ana", StakeholderLevel.Executive)]);

        Assert.Equal(["target"], (await FailsWith(StatusCode.InvalidArgument, api.Tags.AddTagsAsync(new AddTagsRequest { Tags = { "x" } }))).ViolatedFields());
        Assert.Equal(["target"], (await FailsWith(StatusCode.InvalidArgument, api.Tags.AddTagsAsync(new AddTagsRequest
        {
            Target = new TagTarget(), Tags = { "x" },
        }))).ViolatedFields());
        Assert.Equal(["tags"], (await FailsWith(StatusCode.InvalidArgument, api.Tags.AddTagsAsync(new AddTagsRequest
        {
            Target = new TagTarget { RelationshipId = hr.Id },
        }))).ViolatedFields());
        Assert.Equal(["target.stakeholder.stakeholder_id"], (await FailsWith(StatusCode.InvalidArgument, api.Tags.AddTagsAsync(new AddTagsRequest
        {
            Target = new TagTarget { Stakeholder = new StakeholderReference { RelationshipId = hr.Id, StakeholderId = "nope" } }, Tags = { "x" },
        }))).ViolatedFields());
        await FailsWith(StatusCode.NotFound, api.Tags.AddTagsAsync(new AddTagsRequest
        {
            Target = new TagTarget { MeetingId = hr.Id }, Tags = { "x" },
        }));
        await FailsWith(StatusCode.NotFound, api.Tags.AddTagsAsync(new AddTagsRequest
        {
            Target = new TagTarget { Stakeholder = new StakeholderReference { RelationshipId = hr.Id, StakeholderId = Guid.NewGuid().ToString() } }, Tags = { "x" },
        }));
    }

    [Fact]
    public async Task An_item_carries_at_most_twenty_tags_and_a_stale_version_is_aborted()
    {
        var hr = await api.DepartmentAsync("HR", [("Ana", StakeholderLevel.Executive)]);
        var target = new TagTarget { RelationshipId = hr.Id };
        var full = await api.Tags.AddTagsAsync(new AddTagsRequest { Target = target, Tags = { Enumerable.Range(1, 20).Select(i => $"t{i}") } });

        await FailsWith(StatusCode.ResourceExhausted, api.Tags.AddTagsAsync(new AddTagsRequest { Target = target, Tags = { "one-more" } }));
        await FailsWith(StatusCode.Aborted, api.Tags.RemoveTagsAsync(new RemoveTagsRequest { Target = target, Tags = { "t1" }, ExpectedVersion = full.Version - 1 }));
        var removed = await api.Tags.RemoveTagsAsync(new RemoveTagsRequest { Target = target, Tags = { "t1" }, ExpectedVersion = full.Version });
        Assert.Equal(19, removed.Tags.Count);
    }

    [Fact]
    public async Task Only_the_manager_of_the_items_relationship_or_an_admin_may_tag_it()
    {
        var owner = "brm.owner." + _tag;
        var owned = await api.DepartmentAsync("Owned", [("Ana", StakeholderLevel.Executive)], owner);
        var (meeting, commitment, feedback) = await ItemsAsync(owned);
        var stranger = new TagService.TagServiceClient(api.ChannelAs("brm.stranger." + _tag, Brm.Api.Security.Role.Brm));
        var manager = new TagService.TagServiceClient(api.ChannelAs(owner, Brm.Api.Security.Role.Brm));

        foreach (var target in new TagTarget[] { new() { MeetingId = meeting }, new() { CommitmentId = commitment }, new() { FeedbackId = feedback } })
        {
            await FailsWith(StatusCode.PermissionDenied, stranger.AddTagsAsync(new AddTagsRequest { Target = target, Tags = { "x" } }));
            Assert.Equal(["x"], (await manager.AddTagsAsync(new AddTagsRequest { Target = target, Tags = { "x" } })).Tags);
            await FailsWith(StatusCode.PermissionDenied, stranger.RemoveTagsAsync(new RemoveTagsRequest { Target = target, Tags = { "x" } }));
        }
    }

    [Fact]
    public async Task Erasing_a_stakeholder_erases_their_tags()
    {
        var hr = await api.DepartmentAsync("HR", [("Ana", StakeholderLevel.Executive)]);
        await TagAsync(new TagTarget { Stakeholder = new StakeholderReference { RelationshipId = hr.Id, StakeholderId = hr["Ana"] } }, "blocker-" + _tag, "security");
        // An update that uses a tag's word for its own meaning: a tag is a label, not the person's words, and stays.
        var item = await api.Plans.AddPlanItemAsync(PlanBuilders.Item(hr.Id, "IT update", Cadence.Monthly, Channel.Email, DateOnly.FromDateTime(api.Clock.GetUtcNow().UtcDateTime)));
        var update = (await api.Outreach.SendUpdateAsync(new SendUpdateRequest
        {
            RelationshipId = hr.Id, PlanItemId = item.PlanItemId, Subject = "Security review", BodyMarkdown = "The security review is done.",
            Addresses = { "hr@example.org" },
        })).Update;

        await api.Relationships.EraseStakeholderPersonalDataAsync(new EraseStakeholderPersonalDataRequest { RelationshipId = hr.Id, StakeholderId = hr["Ana"] });

        var relationship = (await api.Relationships.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = hr.Id })).Relationship;
        Assert.Empty(relationship.Stakeholders.Single().Tags);
        Assert.DoesNotContain((await api.Tags.ListTagsAsync(new ListTagsRequest { RelationshipIds = { hr.Id } })).Tags, t => t.Tag == "blocker-" + _tag);
        await using var session = api.Store.QuerySession();
        Assert.Empty(await session.QueryAsync<string>("select id::text from brm.mt_events where data::text like ?", $"%blocker-{_tag}%"));
        var after = (await api.Outreach.GetUpdateAsync(new GetUpdateRequest { UpdateId = update.Id })).Update;
        Assert.Equal(("Security review", "The security review is done."), (after.Subject, after.BodyMarkdown));
    }

    private async Task TagAsync(TagTarget target, params string[] tags) =>
        await api.Tags.AddTagsAsync(new AddTagsRequest { Target = target, Tags = { tags } });

    private static LogConversationRequest Talk(Department department, string point)
    {
        var request = Conversation(department, null, department.StakeholderIds.Keys.First());
        request.Conversation.BusinessRaised.Add(new RaisedPoint { Text = point, Kind = RaisedPointKind.Concern });
        return request;
    }

    /// <summary>A meeting (a logged conversation), a commitment and a feedback item of the department: their ids.</summary>
    private async Task<(string Meeting, string Commitment, string Feedback)> ItemsAsync(Department department)
    {
        var person = department.StakeholderIds.Keys.First();
        var meeting = (await api.Meetings.LogConversationAsync(Conversation(department, null, person))).Meeting.Id;
        var commitment = (await api.Commitments.MakeCommitmentAsync(CommitmentBuilders.Commitment(
            department.Relationship, "Fix the VPN", DateOnly.FromDateTime(api.Clock.GetUtcNow().UtcDateTime).AddDays(10)))).Commitment.Id;
        var feedback = (await api.Feedback.SubmitAsync(FeedbackBuilders.Give(department, person, "The VPN drops"))).Id;
        return (meeting, commitment, feedback);
    }
}
