using Brm.Domain.CommunicationPlans;

namespace Brm.Domain.Feedback;

// Two streams: one per request for feedback, one per feedback item, each event carrying its relationship.
// Past tense, stream id first, who and when last.

/// <summary>Every event of the Feedback capability.</summary>
public static class FeedbackEvents
{
    /// <summary>The events of a request for feedback's stream.</summary>
    public static readonly IReadOnlyList<Type> Request =
    [
        typeof(FeedbackRequested),
        typeof(FeedbackInvitationSent),
        typeof(FeedbackInvitationFailed),
        typeof(FeedbackLinkAnswered),
        typeof(FeedbackRequestRevoked),
        typeof(FeedbackRoundContinued),
    ];

    /// <summary>The events of a feedback item's stream.</summary>
    public static readonly IReadOnlyList<Type> Item =
    [
        typeof(FeedbackReceived),
        typeof(FeedbackAcknowledged),
        typeof(FeedbackActioned),
        typeof(FeedbackDeclined),
        typeof(FeedbackResponseSent),
        typeof(FeedbackTagsChanged),
    ];

    public static readonly IReadOnlyList<Type> All = [.. Request, .. Item];
}

/// <summary>The BRM asked <paramref name="AudienceStakeholderIds"/> for feedback at <paramref name="RequestedAt"/>.</summary>
public sealed record FeedbackRequested(
    Guid FeedbackRequestId,
    Guid RelationshipId,
    IReadOnlyList<Guid> AudienceStakeholderIds,
    Channel Channel,
    FeedbackSubject About,
    string? Question,
    FeedbackScale Scale,
    string RequestedBy,
    DateTimeOffset RequestedAt)
{
    /// <summary>How the audience is asked: <see cref="FeedbackDelivery.Email"/> mails each a personal link.</summary>
    public FeedbackDelivery Delivery { get; init; }

    /// <summary>Whether an answer through a link may be given anonymously.</summary>
    public bool AllowAnonymous { get; init; }

    /// <summary>
    /// A periodic request's series: the id of its first request (its own, for the first). Null for a request that is
    /// not periodic.
    /// </summary>
    public Guid? SeriesId { get; init; }

    /// <summary>The first day (UTC) of the period a periodic request asks about; null for a request that is not periodic.</summary>
    public DateOnly? PeriodStart { get; init; }
}

/// <summary>
/// The invitation (or, with <paramref name="Reminder"/>, the one reminder) with a personal link went to the stakeholder
/// (its address is not recorded: it is the stakeholder's, read when it was sent).
/// </summary>
public sealed record FeedbackInvitationSent(
    Guid FeedbackRequestId, Guid RelationshipId, Guid StakeholderId, bool Reminder, string MessageId, string SentBy, DateTimeOffset SentAt);

/// <summary>The invitation (or reminder) could not be delivered to the stakeholder, for good: <paramref name="Reason"/>.</summary>
public sealed record FeedbackInvitationFailed(
    Guid FeedbackRequestId, Guid RelationshipId, Guid StakeholderId, bool Reminder, string Reason, string FailedBy, DateTimeOffset FailedAt);

/// <summary>
/// The stakeholder answered through their personal link (their link is used up). Which answer is theirs is not
/// recorded here: an anonymous answer stays anonymous.
/// </summary>
public sealed record FeedbackLinkAnswered(Guid FeedbackRequestId, Guid RelationshipId, Guid StakeholderId, string AnsweredBy, DateTimeOffset AnsweredAt);

/// <summary>The BRM withdrew the request: its links stop working, and a periodic series asks no more.</summary>
public sealed record FeedbackRequestRevoked(Guid FeedbackRequestId, Guid RelationshipId, string? Reason, string RevokedBy, DateTimeOffset RevokedAt);

/// <summary>
/// A periodic request's period ended: the series goes on with <paramref name="NextFeedbackRequestId"/>, or, when null,
/// ends (<paramref name="Note"/> says why: the department archived, nobody left to ask).
/// </summary>
public sealed record FeedbackRoundContinued(
    Guid FeedbackRequestId, Guid RelationshipId, Guid? NextFeedbackRequestId, string? Note, string ContinuedBy, DateTimeOffset ContinuedAt);

/// <summary>
/// The business gave feedback at <paramref name="ReceivedAt"/>; <paramref name="RecordedBy"/> recorded it. A null
/// <paramref name="FromStakeholderId"/> is anonymous feedback: no stakeholder is linked to it.
/// </summary>
public sealed record FeedbackReceived(
    Guid FeedbackId,
    Guid RelationshipId,
    Guid? FromStakeholderId,
    Channel Channel,
    int? Rating,
    FeedbackScale Scale,
    string? Comment,
    FeedbackSubject About,
    Guid? FeedbackRequestId,
    string RecordedBy,
    DateTimeOffset ReceivedAt);

public sealed record FeedbackAcknowledged(Guid FeedbackId, Guid RelationshipId, string? Note, string AcknowledgedBy, DateTimeOffset AcknowledgedAt);

/// <summary>IT acts on the feedback through <paramref name="CommitmentId"/>, a commitment of the same relationship.</summary>
public sealed record FeedbackActioned(Guid FeedbackId, Guid RelationshipId, Guid CommitmentId, string ActionedBy, DateTimeOffset ActionedAt);

public sealed record FeedbackDeclined(Guid FeedbackId, Guid RelationshipId, string Reason, string DeclinedBy, DateTimeOffset DeclinedAt);

/// <summary>The business was told (sent at <paramref name="SentAt"/>): the loop is closed.</summary>
public sealed record FeedbackResponseSent(
    Guid FeedbackId,
    Guid RelationshipId,
    string Response,
    Channel Channel,
    IReadOnlyList<Guid> StakeholderIds,
    string SentBy,
    DateTimeOffset SentAt)
{
    /// <summary>The update (OutreachService.SendUpdate) that told the business; null when the BRM recorded it.</summary>
    public Guid? UpdateId { get; init; }
}

// The numbers match the brm.v1 enums, 0 being "unspecified" there and never valid here.

public enum FeedbackSubjectKind
{
    Meeting = 1,
    Commitment = 2,
    Periodic = 3,
    General = 4,
}

/// <summary>
/// What feedback, or a request for it, is about: a meeting or commitment (by id), a periodic check-in (at the
/// cadence communication plans use too), or general.
/// </summary>
public sealed record FeedbackSubject(FeedbackSubjectKind Kind, Guid? Id = null, Cadence? Cadence = null)
{
    public static readonly FeedbackSubject General = new(FeedbackSubjectKind.General);

    public static FeedbackSubject Meeting(Guid id) => new(FeedbackSubjectKind.Meeting, id);

    public static FeedbackSubject Commitment(Guid id) => new(FeedbackSubjectKind.Commitment, id);

    public static FeedbackSubject Periodic(Cadence cadence) => new(FeedbackSubjectKind.Periodic, Cadence: cadence);
}

/// <summary>Tags added to (and removed from) a feedback item: a change that changes nothing is not recorded.</summary>
public sealed record FeedbackTagsChanged(
    Guid FeedbackId, Guid RelationshipId, IReadOnlyList<string> Added, IReadOnlyList<string> Removed, string ChangedBy, DateTimeOffset ChangedAt);
