using System.Text.Json;
using System.Text.RegularExpressions;
using Brm.Domain.Commitments;
using Brm.Domain.Feedback;
using Brm.Domain.Meetings;
using Brm.Domain.Relationships;

namespace Brm.Domain.Tags;

/// <summary>The documented tag limits (see tags.proto).</summary>
public static class TagLimits
{
    /// <summary>Tags one item (a department, a stakeholder, a meeting, a commitment, a feedback item) carries at most.</summary>
    public const int PerItem = 20;

    /// <summary>A tag's length at most.</summary>
    public const int Length = 40;

    /// <summary>Tags one request adds, removes or filters by at most.</summary>
    public const int PerRequest = PerItem;
}

/// <summary>What can carry tags.</summary>
public enum TaggedKind
{
    Department = 1,
    Stakeholder = 2,
    Meeting = 3,
    Commitment = 4,
    Feedback = 5,
}

/// <summary>
/// Tags: short lower-case slugs a BRM puts on departments, stakeholders, meetings, commitments and feedback to find
/// them again ("security", "erp-upgrade"). Every item keeps its tags sorted; a change is one event on the item's own
/// stream (what it added, what it removed), and a change that changes nothing appends nothing.
/// </summary>
public static partial class Tagging
{
    /// <summary>A slug: a-z and 0-9, words joined by single hyphens, 1-<see cref="TagLimits.Length"/> characters.</summary>
    public static bool IsTag(string tag) => tag.Length is > 0 and <= TagLimits.Length && Slug().IsMatch(tag);

    /// <summary>
    /// The event recording <paramref name="change"/> on an item carrying <paramref name="current"/>, made by
    /// <paramref name="record"/> from what is really added and removed; none when the item already is as asked.
    /// Over <see cref="TagLimits.PerItem"/> tags is a limit (the item is named by <paramref name="item"/>).
    /// </summary>
    public static IReadOnlyList<object> Decide(
        TagChange change, IReadOnlyList<string> current, Func<IReadOnlyList<string>, IReadOnlyList<string>, object> record, string item)
    {
        var asked = change.Tags.Distinct().Order(StringComparer.Ordinal).ToList();
        IReadOnlyList<string> added = change.Add ? [.. asked.Where(t => !current.Contains(t))] : [];
        IReadOnlyList<string> removed = change.Add ? [] : [.. asked.Where(current.Contains)];
        if (current.Count + added.Count > TagLimits.PerItem)
        {
            throw DomainException.Limit($"{item} carries {current.Count} tags, and an item carries at most {TagLimits.PerItem}");
        }

        return added.Count + removed.Count == 0 ? [] : [record(added, removed)];
    }

    /// <summary>The tags after a change: sorted, each once.</summary>
    public static IReadOnlyList<string> Apply(IReadOnlyList<string> current, IReadOnlyList<string> added, IReadOnlyList<string> removed) =>
        [.. current.Except(removed).Union(added).Order(StringComparer.Ordinal)];

    /// <summary>
    /// The condition every list's tag filter uses: the document (alias <c>d</c>) carries every tag of the parameter
    /// (<see cref="CarriesAllParameter"/>).
    /// </summary>
    public const string CarriesAllSql = "d.data -> 'Tags' @> ?::jsonb";

    public static string CarriesAllParameter(IEnumerable<string> tags) => JsonSerializer.Serialize(tags.ToArray());

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Slug();
}

/// <summary>Add (or remove) these tags; who and when.</summary>
public sealed record TagChange(bool Add, IReadOnlyList<string> Tags, string By, DateTimeOffset At);

/// <summary>
/// The decision for each kind of item: it must exist (NOT_FOUND), and a department or stakeholder of an archived
/// relationship, or a stakeholder removed or erased, refuses changes, as for every other change of them.
/// </summary>
public static class TagDecider
{
    public static IReadOnlyList<object> Department(TagChange change, Relationship relationship)
    {
        relationship.EnsureNotArchived("changes");
        return Tagging.Decide(change, relationship.Tags,
            (added, removed) => new RelationshipTagsChanged(relationship.Id, null, added, removed, change.By, change.At),
            $"relationship '{relationship.Code}'");
    }

    public static IReadOnlyList<object> Stakeholder(TagChange change, Relationship relationship, Guid stakeholderId)
    {
        relationship.EnsureNotArchived("changes");
        var stakeholder = relationship.CurrentStakeholder(stakeholderId);
        return Tagging.Decide(change, stakeholder.Tags,
            (added, removed) => new RelationshipTagsChanged(relationship.Id, stakeholderId, added, removed, change.By, change.At),
            $"stakeholder {stakeholderId}");
    }

    public static IReadOnlyList<object> Meeting(TagChange change, Meeting meeting) =>
        Tagging.Decide(change, meeting.Tags,
            (added, removed) => new MeetingTagsChanged(meeting.Id, meeting.RelationshipId, added, removed, change.By, change.At),
            $"meeting {meeting.Id}");

    public static IReadOnlyList<object> Commitment(TagChange change, Commitment commitment) =>
        Tagging.Decide(change, commitment.Tags,
            (added, removed) => new CommitmentTagsChanged(commitment.Id, commitment.RelationshipId, added, removed, change.By, change.At),
            $"commitment {commitment.Id}");

    public static IReadOnlyList<object> Feedback(TagChange change, FeedbackItem feedback) =>
        Tagging.Decide(change, feedback.Tags,
            (added, removed) => new FeedbackTagsChanged(feedback.Id, feedback.RelationshipId, added, removed, change.By, change.At),
            $"feedback {feedback.Id}");
}
