using Brm.Domain.CommunicationPlans;

namespace Brm.Domain.Feedback;

/// <summary>
/// A request for feedback, as the BRM sent it: the state its decision reads and, stored inline, the document
/// answers are checked against and the response rate counts from. Answers are feedback items that name it.
/// </summary>
public sealed record FeedbackRequest(
    Guid Id,
    Guid RelationshipId,
    IReadOnlyList<Guid> AudienceStakeholderIds,
    Channel Channel,
    FeedbackSubject About,
    string? Question,
    FeedbackScale Scale,
    DateTimeOffset RequestedAt,
    string RequestedBy,
    long Version) : IEventSourced<FeedbackRequest>
{
    public FeedbackDelivery Delivery { get; init; }

    public bool AllowAnonymous { get; init; }

    /// <summary>A periodic request's series (the id of its first request); null when it is not periodic.</summary>
    public Guid? SeriesId { get; init; }

    /// <summary>The first day of the period a periodic request asks about.</summary>
    public DateOnly? PeriodStart { get; init; }

    /// <summary>With email delivery, one per audience member, in the audience's order; empty otherwise.</summary>
    public IReadOnlyList<FeedbackInvitation> Invitations { get; init; } = [];

    public DateTimeOffset? RevokedAt { get; init; }

    public string? RevokeReason { get; init; }

    /// <summary>Whether its period ended and the series went on (to <see cref="NextFeedbackRequestId"/>) or ended.</summary>
    public bool Continued { get; init; }

    public Guid? NextFeedbackRequestId { get; init; }

    /// <summary>A periodic request that has not been revoked nor continued: the series' current request.</summary>
    public bool IsSeriesHead => SeriesId is not null && RevokedAt is null && !Continued;

    public FeedbackRequest WithVersion(long version) => this with { Version = version };

    /// <summary>The actor of an answer given through a personal link: this, then ":" and the stakeholder's id unless anonymous.</summary>
    public const string LinkActor = "feedback-link";

    /// <summary>The actor recorded for an answer through <paramref name="stakeholderId"/>'s link (null: anonymous).</summary>
    public static string LinkActorFor(Guid? stakeholderId) => stakeholderId is { } id ? $"{LinkActor}:{id}" : LinkActor;

    /// <summary>
    /// How many of the audience answered: each audience member answering under their name or through their link once,
    /// each other anonymous answer once, never more than were asked.
    /// </summary>
    public int Responses(IEnumerable<FeedbackItem> answers)
    {
        var list = answers.Where(a => a.FeedbackRequestId == Id).ToList();
        var people = Invitations.Where(i => i.Answered).Select(i => i.StakeholderId)
            .Union(list.Where(a => a.FromStakeholderId is { } who && AudienceStakeholderIds.Contains(who)).Select(a => a.FromStakeholderId!.Value));
        var otherAnonymous = list.Count(a => a.IsAnonymous && !a.RecordedBy.StartsWith(LinkActor, StringComparison.Ordinal));
        return Math.Min(AudienceStakeholderIds.Count, people.Count() + otherAnonymous);
    }

    /// <summary><see cref="Responses"/> ÷ the audience; null for an empty audience.</summary>
    public double? ResponseRate(IEnumerable<FeedbackItem> answers) =>
        AudienceStakeholderIds.Count == 0 ? null : (double)Responses(answers) / AudienceStakeholderIds.Count;

    /// <summary>Why <paramref name="stakeholderId"/>'s link cannot be used now, or null when it can.</summary>
    public LinkRefusal? LinkRefusalFor(Guid stakeholderId) =>
        RevokedAt is not null ? LinkRefusal.Revoked
        : Invitations.FirstOrDefault(i => i.StakeholderId == stakeholderId) is not { } invitation ? LinkRefusal.NotInvited
        : invitation.Answered ? LinkRefusal.Used
        : null;

    /// <summary>
    /// Those to remind at <paramref name="now"/>: invited at least <paramref name="after"/> ago, not reminded yet, and
    /// not answered (through their link, or under their name in <paramref name="answeredByName"/>); none once revoked.
    /// </summary>
    public IReadOnlyList<Guid> RemindersDue(DateTimeOffset now, TimeSpan after, IReadOnlySet<Guid> answeredByName) =>
        RevokedAt is not null
            ? []
            : [.. Invitations.Where(i => i is { Status: InvitationStatus.Sent, Reminder: null, Answered: false }
                && i.At + after <= now && !answeredByName.Contains(i.StakeholderId)).Select(i => i.StakeholderId)];

    public static FeedbackRequest Fold(FeedbackRequest? state, object @event) => (state, @event) switch
    {
        (null, FeedbackRequested e) => new FeedbackRequest(
            e.FeedbackRequestId, e.RelationshipId, e.AudienceStakeholderIds, e.Channel, e.About, e.Question, e.Scale, e.RequestedAt, e.RequestedBy, 1)
        {
            Delivery = e.Delivery,
            AllowAnonymous = e.AllowAnonymous,
            SeriesId = e.SeriesId,
            PeriodStart = e.PeriodStart,
            Invitations = e.Delivery == FeedbackDelivery.Email ? [.. e.AudienceStakeholderIds.Select(id => new FeedbackInvitation(id))] : [],
        },
        (null, _) => throw new InvalidOperationException($"A feedback request stream cannot start with {@event.GetType().Name}."),
        ({ } s, FeedbackInvitationSent e) => s.WithInvitation(e.StakeholderId, i => e.Reminder
            ? i with { Reminder = InvitationStatus.Sent, ReminderAt = e.SentAt }
            : i with { Status = InvitationStatus.Sent, At = e.SentAt }),
        ({ } s, FeedbackInvitationFailed e) => s.WithInvitation(e.StakeholderId, i => e.Reminder
            ? i with { Reminder = InvitationStatus.Failed, ReminderAt = e.FailedAt }
            : i with { Status = InvitationStatus.Failed, At = e.FailedAt, FailureReason = e.Reason }),
        ({ } s, FeedbackLinkAnswered e) => s.WithInvitation(e.StakeholderId, i => i with { Answered = true }),
        ({ } s, FeedbackRequestRevoked e) => s with { RevokedAt = e.RevokedAt, RevokeReason = e.Reason },
        ({ } s, FeedbackRoundContinued e) => s with { Continued = true, NextFeedbackRequestId = e.NextFeedbackRequestId },
        ({ } s, _) => s,
    };

    private FeedbackRequest WithInvitation(Guid stakeholderId, Func<FeedbackInvitation, FeedbackInvitation> change) =>
        this with { Invitations = [.. Invitations.Select(i => i.StakeholderId == stakeholderId ? change(i) : i)] };
}

public enum InvitationStatus
{
    Pending = 0,
    Sent = 1,
    Failed = 2,
}

/// <summary>
/// One audience member's personal link: the invitation (pending until the outbox sends it, then sent or failed), the one
/// reminder (null until due), and whether the link was used.
/// </summary>
public sealed record FeedbackInvitation(
    Guid StakeholderId,
    InvitationStatus Status = InvitationStatus.Pending,
    DateTimeOffset? At = null,
    string? FailureReason = null,
    InvitationStatus? Reminder = null,
    DateTimeOffset? ReminderAt = null,
    bool Answered = false);

/// <summary>Why a personal link does not open the form.</summary>
public enum LinkRefusal
{
    /// <summary>The link was used: the stakeholder answered.</summary>
    Used,

    /// <summary>The BRM revoked the request.</summary>
    Revoked,

    /// <summary>The stakeholder was not sent a link for this request.</summary>
    NotInvited,
}

/// <summary>The periods of periodic requests, in UTC days.</summary>
public static class FeedbackPeriods
{
    /// <summary>
    /// The first day of the period of <paramref name="cadence"/> that holds <paramref name="day"/>: its week's Monday
    /// (weekly; fortnightly, every other Monday counted from 5 January 2026), the 1st of its month, of its quarter.
    /// </summary>
    public static DateOnly StartOf(Cadence cadence, DateOnly day) => cadence switch
    {
        Cadence.Weekly => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
        Cadence.Fortnightly => day.AddDays(-((((day.DayNumber - FortnightAnchor.DayNumber) % 14) + 14) % 14)),
        Cadence.Monthly => new DateOnly(day.Year, day.Month, 1),
        Cadence.Quarterly => new DateOnly(day.Year, ((day.Month - 1) / 3 * 3) + 1, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(cadence), cadence, "not a cadence"),
    };

    /// <summary>The first day of the period after the one starting <paramref name="start"/>.</summary>
    public static DateOnly Next(Cadence cadence, DateOnly start) => StartOf(cadence, cadence switch
    {
        Cadence.Weekly => start.AddDays(7),
        Cadence.Fortnightly => start.AddDays(14),
        Cadence.Monthly => start.AddMonths(1),
        _ => start.AddMonths(3),
    });

    /// <summary>
    /// The period a series' next request asks about at <paramref name="now"/>, or null while <paramref name="request"/>'s
    /// own period lasts or it is not its series' current request. After a long stop, the period holding now (the ones
    /// missed are not asked about after the fact).
    /// </summary>
    public static DateOnly? NextDue(FeedbackRequest request, DateTimeOffset now)
    {
        if (!request.IsSeriesHead || request.PeriodStart is not { } start || request.About.Cadence is not { } cadence)
        {
            return null;
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return Next(cadence, start) <= today ? StartOf(cadence, today) : null;
    }

    /// <summary>The id of a series' request for the period starting <paramref name="periodStart"/>: the same on every node.</summary>
    public static Guid RequestId(Guid seriesId, DateOnly periodStart) =>
        Outreach.DigestPreferences.DerivedId($"feedback round {periodStart:yyyy-MM-dd}", seriesId.ToString());

    private static readonly DateOnly FortnightAnchor = new(2026, 1, 5);
}
