using Marten;

namespace Brm.Domain.Tags;

/// <summary>How many items of one kind carry a tag.</summary>
public sealed record TagCount(string Tag, TaggedKind Kind, int Count);

/// <summary>Reads of the tags the projected documents carry.</summary>
public static class TagQueries
{
    /// <summary>
    /// Every tag in use, per kind of item, with how many items carry it, by tag; only the departments of
    /// <paramref name="relationshipIds"/> when there are any. Removed stakeholders' tags are not counted.
    /// </summary>
    public static Task<IReadOnlyList<TagCount>> TagCountsAsync(
        this IQuerySession session, IReadOnlyCollection<Guid> relationshipIds, CancellationToken ct)
    {
        const string schema = BrmDomain.Schema;
        var sql = $"""
            select jsonb_build_object('Tag', t.tag, 'Kind', t.kind, 'Count', count(*))
            from (
                select d.id as relationship_id, '{TaggedKind.Department}' as kind, jsonb_array_elements_text(d.data -> 'Tags') as tag
                from {schema}.mt_doc_relationship as d
                union all
                select d.id, '{TaggedKind.Stakeholder}', jsonb_array_elements_text(s -> 'Tags')
                from {schema}.mt_doc_relationship as d cross join jsonb_array_elements(d.data -> 'Stakeholders') as s
                where s ->> 'RemovedAt' is null
                union all
                select d.relationship_id, '{TaggedKind.Meeting}', jsonb_array_elements_text(d.data -> 'Tags') from {schema}.mt_doc_meeting as d
                union all
                select d.relationship_id, '{TaggedKind.Commitment}', jsonb_array_elements_text(d.data -> 'Tags') from {schema}.mt_doc_commitment as d
                union all
                select d.relationship_id, '{TaggedKind.Feedback}', jsonb_array_elements_text(d.data -> 'Tags') from {schema}.mt_doc_feedbackitem as d
            ) as t
            where cardinality(?::uuid[]) = 0 or t.relationship_id = any(?::uuid[])
            group by t.tag, t.kind
            order by t.tag collate "C"
            """;
        var ids = relationshipIds.ToArray();
        return session.QueryAsync<TagCount>(sql, ct, ids, ids);
    }
}
