using Brm.Domain.CommunicationPlans;

namespace Brm.Domain.Feedback;

// Two streams: one per request for feedback, one per feedback item, each event carrying its relationship.
// Past tense, stream id first, who and when last.

/// <summary>Every event of the Feedback capability.</summary>
public static class FeedbackEvents
{
    /// <summary>The events of a request for feedback's stream.</summary>
    public static readonly IReadOnlyList<Type> Request = [typeof(FeedbackRequested)];

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
    DateTimeOffset RequestedAt);

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
