using System.Net;
using Brm.Api.Infrastructure;
using Brm.Api.Tags;
using Brm.Domain.Reporting;
using Brm.Domain.Search;
using Brm.V1;
using Grpc.Core;
using Marten;
using static Brm.Api.Infrastructure.ProtoFields;
using SearchKind = Brm.Domain.Search.SearchKind;

namespace Brm.Api.Search;

/// <summary>brm.v1.SearchService: one query, mapped; the ranking and snippets are PostgreSQL's (<see cref="SearchQueries"/>).</summary>
public sealed class SearchGrpcService(IQuerySession query, IDocumentStore store, PageCursors pages, IConfiguration configuration) : SearchService.SearchServiceBase
{
    private readonly string _config = SearchQueries.CheckedConfig(configuration["Search:TextSearchConfig"]);

    public override async Task<SearchResponse> Search(SearchRequest request, ServerCallContext context)
    {
        var filter = new SearchFilter(
            request.Query.Trim(),
            [.. request.RelationshipIds.Select(Id).Distinct()],
            [.. request.Kinds.Select(k => (SearchKind)(int)k).Distinct()],
            request.From?.ToDomain().ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            request.To?.ToDomain().AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            TagRules.Filter(request.Tags));
        var filters = $"search={filter.Query}|{string.Join(',', filter.RelationshipIds)}|{string.Join(',', filter.Kinds)}|{filter.From:O}|{filter.Until:O}"
            + $"|{string.Join(',', filter.Tags!)}";
        var offset = pages.Read<long>(request.PageToken, filters, context)?.Key ?? 0;
        var size = PageTokens.Size(request.PageSize);

        var freshness = new Freshness
        {
            Position = await store.ProjectionPositionAsync(SearchProjection.ProjectionName, context.CancellationToken),
            HighWaterMark = await store.HighWaterMarkAsync(context.CancellationToken),
        };
        var rows = await query.SearchAsync(_config, filter, (int)offset, size + 1, context.CancellationToken);
        var response = new SearchResponse { Freshness = freshness };
        response.Hits.AddRange(rows.Take(size).Select(ToProto));
        if (rows.Count > size)
        {
            response.NextPageToken = pages.Write(new PageCursor<long>(offset + size, Guid.Empty), filters, context);
        }

        return response;
    }

    private static SearchHit ToProto(SearchRow row) => new()
    {
        Kind = (V1.SearchKind)(int)row.Entry.Kind,
        RelationshipId = row.Entry.RelationshipId.ToString(),
        Department = row.Department,
        SubjectId = row.Entry.SubjectId.ToString(),
        At = row.Entry.At.ToProto(),
        SnippetHtml = Snippet(row.Snippet),
        Rank = row.Rank,
    };

    /// <summary>The snippet as HTML: every character escaped, then each match wrapped in <c>&lt;mark&gt;</c>.</summary>
    public static string Snippet(string marked) =>
        WebUtility.HtmlEncode(marked)
            .Replace(SearchQueries.MarkStart.ToString(), "<mark>", StringComparison.Ordinal)
            .Replace(SearchQueries.MarkEnd.ToString(), "</mark>", StringComparison.Ordinal);
}
