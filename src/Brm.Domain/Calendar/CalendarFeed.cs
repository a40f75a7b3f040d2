using System.Text.Json.Serialization;
using Brm.Domain.Outreach;

namespace Brm.Domain.Calendar;

// The CalendarFeed stream: one per BRM (its id derived from the BRM's name), recording each secret address issued for
// their calendar feed and its revocation. It concerns no department: RelationshipId is empty, so the reporting feed
// carries its events and no department's timeline does.

/// <summary>Every event of the calendar feed's stream.</summary>
public static class CalendarFeedEvents
{
    public static readonly IReadOnlyList<Type> All = [typeof(CalendarFeedIssued), typeof(CalendarFeedRevoked)];
}

/// <summary>
/// A new secret address of <paramref name="Manager"/>'s calendar feed, of <paramref name="Generation"/> (the feed's
/// previous address, if any, stops working).
/// </summary>
public sealed record CalendarFeedIssued(Guid FeedId, string Manager, long Generation, string IssuedBy, DateTimeOffset IssuedAt)
{
    [JsonIgnore]
    public Guid RelationshipId => Guid.Empty;
}

/// <summary>The address of <paramref name="Generation"/> stopped working, and no other was issued.</summary>
public sealed record CalendarFeedRevoked(Guid FeedId, string Manager, long Generation, string RevokedBy, DateTimeOffset RevokedAt)
{
    [JsonIgnore]
    public Guid RelationshipId => Guid.Empty;
}

/// <summary>A BRM (or an admin for them) issues a new address for the BRM's feed: the old one stops working.</summary>
public sealed record IssueCalendarFeed(string Manager, string By, DateTimeOffset At);

/// <summary>A BRM (or an admin for them) revokes the feed's address, issuing none.</summary>
public sealed record RevokeCalendarFeed(string Manager, string By, DateTimeOffset At);

/// <summary>
/// A BRM's calendar feed: which generation of its address works (only while <see cref="Active"/>). A token names the
/// feed and a generation; it opens the feed only while that generation is the active one, so issuing a new address and
/// revoking are both durable (events), and every node agrees.
/// </summary>
public sealed record CalendarFeed(
    Guid Id,
    string Manager,
    long Generation,
    bool Active,
    string ChangedBy,
    DateTimeOffset ChangedAt,
    DateTimeOffset? IssuedAt,
    DateTimeOffset? RevokedAt,
    long Version) : IEventSourced<CalendarFeed>
{
    /// <summary>The stream of <paramref name="manager"/>'s feed: the same id for the same name, always.</summary>
    public static Guid IdFor(string manager) => DigestPreferences.DerivedId("calendar feed", manager);

    /// <summary>Whether a token of <paramref name="generation"/> opens the feed now.</summary>
    public bool Opens(long generation) => Active && generation == Generation;

    public CalendarFeed WithVersion(long version) => this with { Version = version };

    public static CalendarFeed Fold(CalendarFeed? state, object @event) => (state, @event) switch
    {
        (_, CalendarFeedIssued e) => new CalendarFeed(e.FeedId, e.Manager, e.Generation, true, e.IssuedBy, e.IssuedAt, e.IssuedAt, null, (state?.Version ?? 0) + 1),
        ({ } s, CalendarFeedRevoked e) => s with { Active = false, ChangedBy = e.RevokedBy, ChangedAt = e.RevokedAt, RevokedAt = e.RevokedAt },
        (null, _) => throw new InvalidOperationException($"A calendar feed stream cannot start with {@event.GetType().Name}."),
        ({ } s, _) => s,
    };
}

/// <summary>Pure decisions on a BRM's calendar feed.</summary>
public static class CalendarFeedDecider
{
    /// <summary>Issuing always makes a new generation (the way to replace an address that leaked); revoking an inactive feed changes nothing.</summary>
    public static IReadOnlyList<object> Decide(object command, CalendarFeed? state) => (command, state) switch
    {
        (IssueCalendarFeed c, _) => [new CalendarFeedIssued(CalendarFeed.IdFor(c.Manager), c.Manager, (state?.Generation ?? 0) + 1, c.By, c.At)],
        (RevokeCalendarFeed, null or { Active: false }) => [],
        (RevokeCalendarFeed c, { } s) => [new CalendarFeedRevoked(s.Id, s.Manager, s.Generation, c.By, c.At)],
        _ => throw new InvalidOperationException($"No decision for {command.GetType().Name}."),
    };
}

/// <summary>Stores <see cref="CalendarFeed"/> inline, one document per BRM who was issued one.</summary>
public sealed partial class CalendarFeedProjection() : FoldProjection<CalendarFeed>(CalendarFeedEvents.All);
