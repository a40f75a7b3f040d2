using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.MeetingBuilders;

namespace Brm.Api.Tests;

/// <summary>
/// SearchService over a real PostgreSQL: ranking, snippets escaped and highlighted, every filter, paging, accents,
/// erasure, hostile queries, and the full-text index in use. Each test searches its own department (a fresh word
/// per test), so tests sharing the fixture do not see each other's hits.
/// </summary>
public sealed class SearchTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly string _word = "zq" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Words_close_together_rank_first_a_phrase_finds_only_them_and_matches_are_marked()
    {
        var finance = await api.DepartmentAsync("Finance", [("Ana", StakeholderLevel.Manager)]);
        var close = await PointAsync(finance, $"The VPN drops every morning at nine {_word}");
        var scattered = await FeedbackAsync(finance, $"Coffee drops on the keyboard are our fault, but the {_word} VPN is fine");

        var hits = (await SearchAsync($"vpn drops {_word}", finance)).Hits;

        Assert.Equal([close, scattered], hits.Select(h => h.SubjectId));
        Assert.True(hits[0].Rank > hits[1].Rank);
        Assert.Equal((SearchKind.ConversationPoint, "Finance", finance.Id), (hits[0].Kind, hits[0].Department, hits[0].RelationshipId));
        Assert.Contains("<mark>VPN</mark> <mark>drops</mark> every morning", hits[0].SnippetHtml, StringComparison.Ordinal);

        var phrase = (await SearchAsync($"\"vpn drops\" {_word}", finance)).Hits;
        Assert.Equal([close], phrase.Select(h => h.SubjectId));
        Assert.Empty((await SearchAsync($"vpn -drops {_word}", finance)).Hits);
    }

    [Fact]
    public async Task A_snippet_is_escaped_html_with_only_the_marks_as_markup()
    {
        var legal = await api.DepartmentAsync("Legal", [("Ana", StakeholderLevel.Manager)]);
        await FeedbackAsync(legal, $"<b>Laptops</b> & <script>alert(1)</script> laptops: 3 < 5 > 4 {_word}");

        var hit = Assert.Single((await SearchAsync($"laptop {_word}", legal)).Hits);

        Assert.DoesNotContain("<script", hit.SnippetHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", hit.SnippetHtml, StringComparison.Ordinal);
        // PostgreSQL's snippet drops what its parser reads as tags; what is left is escaped, the marks are the only markup.
        Assert.Contains("<mark>Laptops</mark>", hit.SnippetHtml, StringComparison.Ordinal);
        Assert.Contains("&amp;", hit.SnippetHtml, StringComparison.Ordinal);
        Assert.Contains("3 &lt; 5 &gt; 4", hit.SnippetHtml, StringComparison.Ordinal);
        Assert.Equal(hit.SnippetHtml.Split('<').Length - 1, 2 * System.Text.RegularExpressions.Regex.Count(hit.SnippetHtml, "<mark>"));
    }

    [Fact]
    public async Task Accents_are_folded_and_words_are_stemmed()
    {
        var hr = await api.DepartmentAsync("HR", [("Ana", StakeholderLevel.Manager)]);
        var point = await PointAsync(hr, $"The café printers are jamming again {_word}");

        Assert.Equal([point], (await SearchAsync($"cafe printer jammed {_word}", hr)).Hits.Select(h => h.SubjectId));
    }

    [Fact]
    public async Task A_word_ending_in_a_star_is_a_prefix()
    {
        var hr = await api.DepartmentAsync("HR", [("Ana", StakeholderLevel.Manager)]);
        var point = await PointAsync(hr, $"Onboarding checklists work well now {_word}");

        var hit = Assert.Single((await SearchAsync($"checkl* {_word}", hr)).Hits);
        Assert.Equal(point, hit.SubjectId);
        Assert.Contains("<mark>checklists</mark>", hit.SnippetHtml, StringComparison.Ordinal);
        Assert.Empty((await SearchAsync($"checkl {_word}", hr)).Hits); // without the star, a word is the whole word
        Assert.Equal([point], (await SearchAsync($"{_word[..7]}*", hr)).Hits.Select(h => h.SubjectId));
        Assert.Empty((await SearchAsync($"checkl* -{_word[..7]}*", hr)).Hits); // -prefix* excludes
    }

    [Fact]
    public async Task Kinds_departments_and_period_filter_the_hits()
    {
        var sales = await api.DepartmentAsync("Sales", [("Ana", StakeholderLevel.Manager)]);
        var other = await api.DepartmentAsync("Other", [("Ana", StakeholderLevel.Manager)]);
        var point = await PointAsync(sales, $"CRM licences {_word}");
        var feedback = await FeedbackAsync(sales, $"More CRM licences please {_word}");
        var commitment = (await api.Commitments.MakeCommitmentAsync(
            CommitmentBuilders.Commitment(sales.Relationship, $"Order CRM licences {_word}", DateOnly.FromDateTime(api.Clock.GetUtcNow().UtcDateTime).AddDays(20)))).Commitment.Id;
        var need = (await api.Relationships.RecordInformationNeedAsync(new RecordInformationNeedRequest
        {
            RelationshipId = sales.Id, Description = $"Licence counts {_word} each quarter", Priority = Priority.Medium,
        })).InformationNeedId;
        await FeedbackAsync(other, $"CRM licences {_word}");
        await api.WaitForProjectionsAsync();

        var all = await SearchAsync($"licences {_word}");
        Assert.Equal(5, all.Hits.Count);
        Assert.InRange(all.Freshness.Position, 1, all.Freshness.HighWaterMark); // how far the index has read, never past the committed events
        Assert.Equal(new[] { need, point, feedback, commitment }.Order(), (await SearchAsync($"licence {_word}", sales)).Hits.Select(h => h.SubjectId).Order());
        Assert.Equal([feedback], (await SearchAsync($"licences {_word}", sales, [SearchKind.Feedback])).Hits.Select(h => h.SubjectId));
        Assert.Equal(new[] { commitment, feedback }.Order(),
            (await SearchAsync($"licences {_word}", sales, [SearchKind.Feedback, SearchKind.Commitment])).Hits.Select(h => h.SubjectId).Order());

        var today = DateOnly.FromDateTime(api.Clock.GetUtcNow().UtcDateTime);
        Assert.Equal(4, (await SearchAsync($"licences {_word}", sales, from: today, to: today)).Hits.Count);
        Assert.Empty((await SearchAsync($"licences {_word}", sales, from: today.AddDays(1))).Hits);
        Assert.Empty((await SearchAsync($"licences {_word}", sales, to: today.AddDays(-1))).Hits);
    }

    [Fact]
    public async Task Hits_come_page_by_page_and_a_token_is_good_only_for_its_query()
    {
        var ops = await api.DepartmentAsync("Operations", [("Ana", StakeholderLevel.Manager)]);
        for (var i = 0; i < 5; i++)
        {
            await FeedbackAsync(ops, $"Scanner {i} loses wifi {_word}");
        }

        await api.WaitForProjectionsAsync();
        var request = new SearchRequest { Query = $"scanner {_word}", RelationshipIds = { ops.Id }, PageSize = 2 };
        var seen = new List<string>();
        var pages = 0;
        do
        {
            var page = await api.Search.SearchAsync(request);
            seen.AddRange(page.Hits.Select(h => h.SubjectId));
            request.PageToken = page.NextPageToken;
            pages++;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal((3, 5), (pages, seen.Distinct().Count()));
        var first = await api.Search.SearchAsync(new SearchRequest { Query = $"scanner {_word}", RelationshipIds = { ops.Id }, PageSize = 2 });
        var failure = await FailsWith(StatusCode.InvalidArgument,
            api.Search.SearchAsync(new SearchRequest { Query = $"wifi {_word}", RelationshipIds = { ops.Id }, PageSize = 2, PageToken = first.NextPageToken }));
        Assert.Equal(["page_token"], failure.ViolatedFields());
    }

    [Fact]
    public async Task After_erasure_no_search_finds_the_persons_words()
    {
        var finance = await api.DepartmentAsync("Finance", [("Fay", StakeholderLevel.Staff)]);
        await FeedbackAsync(finance, $"The expense tool {_word} eats my receipts", "Fay");
        await api.WaitForProjectionsAsync();
        Assert.Single((await SearchAsync($"receipts {_word}", finance)).Hits);

        await api.Relationships.EraseStakeholderPersonalDataAsync(new EraseStakeholderPersonalDataRequest { RelationshipId = finance.Id, StakeholderId = finance["Fay"] });
        await api.WaitForProjectionsAsync();

        Assert.Empty((await SearchAsync($"receipts {_word}", finance)).Hits);
        await using var session = api.Store.QuerySession();
        Assert.Empty(await session.QueryAsync<string>($"select id from brm.mt_doc_searchentry where data::text like ?", $"%{_word}%"));
    }

    [Theory]
    [InlineData("!!! & | ( ) :* <-> \\")]
    [InlineData("\"unclosed phrase")]
    [InlineData("or or or -")]
    [InlineData("the a an")]
    [InlineData("* ** the* -* :*")]
    public async Task Operators_and_stop_words_are_a_plain_answer(string query)
    {
        var response = await api.Search.SearchAsync(new SearchRequest { Query = query });

        Assert.Empty(response.Hits); // no searchable word left: nothing found, no error
    }

    [Theory]
    [InlineData("query", "")]
    [InlineData("query", "tab\there")]
    [InlineData("query", "nul\0")]
    public async Task A_bad_query_is_invalid_argument(string field, string query)
    {
        var failure = await FailsWith(StatusCode.InvalidArgument, api.Search.SearchAsync(new SearchRequest { Query = query }));

        Assert.Equal([field], failure.ViolatedFields());
    }

    [Fact]
    public async Task A_query_of_ten_thousand_characters_or_a_period_backwards_is_invalid_argument()
    {
        var longQuery = await FailsWith(StatusCode.InvalidArgument, api.Search.SearchAsync(new SearchRequest { Query = new string('a', 10_000) }));
        Assert.Equal(["query"], longQuery.ViolatedFields());

        var backwards = await FailsWith(StatusCode.InvalidArgument, api.Search.SearchAsync(new SearchRequest
        {
            Query = "vpn", From = CommitmentBuilders.Day(new DateOnly(2026, 5, 2)), To = CommitmentBuilders.Day(new DateOnly(2026, 5, 1)),
        }));
        Assert.Equal(["from"], backwards.ViolatedFields());
    }

    [Fact]
    public async Task The_search_uses_the_full_text_index()
    {
        await using var connection = new Npgsql.NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var off = new Npgsql.NpgsqlCommand("set local enable_seqscan = off", connection, transaction))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = new Npgsql.NpgsqlCommand(
            $"explain select id from brm.mt_doc_searchentry where {Brm.Domain.Search.SearchQueries.Vector("english")} @@ websearch_to_tsquery('english', 'vpn')",
            connection, transaction);
        var plan = "";
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan += "\n" + reader.GetString(0);
            }
        }

        Assert.Contains("mt_doc_searchentry_idx_fts", plan, StringComparison.Ordinal);
    }

    private async Task<SearchResponse> SearchAsync(
        string query, Department? department = null, SearchKind[]? kinds = null, DateOnly? from = null, DateOnly? to = null)
    {
        await api.WaitForProjectionsAsync();
        var request = new SearchRequest { Query = query, Kinds = { kinds ?? [] } };
        if (department is not null)
        {
            request.RelationshipIds.Add(department.Id);
        }

        request.From = from is { } f ? CommitmentBuilders.Day(f) : null;
        request.To = to is { } t ? CommitmentBuilders.Day(t) : null;
        return await api.Search.SearchAsync(request);
    }

    /// <summary>A conversation where the business raised <paramref name="text"/>; the meeting's id.</summary>
    private async Task<string> PointAsync(Department department, string text)
    {
        var request = Conversation(department, null, "Ana");
        request.Conversation.BusinessRaised.Add(new RaisedPoint { Text = text, Kind = RaisedPointKind.Concern });
        return (await api.Meetings.LogConversationAsync(request)).Meeting.Id;
    }

    /// <summary>Feedback with <paramref name="comment"/> from <paramref name="from"/>; its id.</summary>
    private async Task<string> FeedbackAsync(Department department, string comment, string from = "Ana") =>
        (await api.Feedback.SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            RelationshipId = department.Id, FromStakeholderId = department[from], Channel = Channel.Email, Comment = comment,
        })).Feedback.Id;
}
