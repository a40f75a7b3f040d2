using Brm.Domain.Commitments;

namespace Brm.Domain.Feedback;

/// <summary>The command on a request for feedback's stream; who and when come from the edge (credential and clock).</summary>
public abstract record FeedbackRequestCommand(Guid FeedbackRequestId, string By, DateTimeOffset At);

/// <param name="SubjectRelationshipId">The relationship the meeting or commitment asked about belongs to, as found by the caller.</param>
/// <param name="RequestedAt">When they were asked; null means now.</param>
public sealed record RequestFeedback(
    Guid FeedbackRequestId,
    Guid RelationshipId,
    IReadOnlyList<Guid> AudienceStakeholderIds,
    Channel Channel,
    FeedbackSubject About,
    Guid? SubjectRelationshipId,
    string? Question,
    FeedbackScale Scale,
    DateTimeOffset? RequestedAt,
    string By,
    DateTimeOffset At) : FeedbackRequestCommand(FeedbackRequestId, By, At)
{
    public FeedbackDelivery Delivery { get; init; }

    public bool AllowAnonymous { get; init; }

    /// <summary>The series a periodic request continues; null starts one (its own id).</summary>
    public Guid? SeriesId { get; init; }

    /// <summary>The period a periodic request asks about; null: the period holding <see cref="RequestedAt"/>.</summary>
    public DateOnly? PeriodStart { get; init; }
}

public sealed record RevokeFeedbackRequest(Guid FeedbackRequestId, string? Reason, string By, DateTimeOffset At)
    : FeedbackRequestCommand(FeedbackRequestId, By, At);

/// <summary>The stakeholder answers through their personal link (the answer itself is a <see cref="SubmitFeedback"/>).</summary>
public sealed record AnswerThroughLink(Guid FeedbackRequestId, Guid StakeholderId, DateTimeOffset At)
    : FeedbackRequestCommand(FeedbackRequestId, FeedbackRequest.LinkActorFor(StakeholderId), At);

/// <summary>A periodic request's period ended: go on with the period starting <paramref name="PeriodStart"/>.</summary>
public sealed record ContinueRound(Guid FeedbackRequestId, DateOnly PeriodStart, string By, DateTimeOffset At)
    : FeedbackRequestCommand(FeedbackRequestId, By, At);

/// <summary>A command on one feedback item; who and when come from the edge (credential and clock).</summary>
public abstract record FeedbackCommand(Guid FeedbackId, string By, DateTimeOffset At);

/// <param name="FromStakeholderId">Null: anonymous.</param>
/// <param name="About">Null: what the answered request is about, or else general.</param>
/// <param name="SubjectRelationshipId">The relationship the meeting or commitment it is about belongs to, as found by the caller.</param>
/// <param name="Answers">The request for feedback it answers, as found by the caller.</param>
/// <param name="ReceivedAt">When the business gave it; null means now.</param>
public sealed record SubmitFeedback(
    Guid FeedbackId,
    Guid RelationshipId,
    Guid? FromStakeholderId,
    Channel Channel,
    int? Rating,
    string? Comment,
    FeedbackSubject? About,
    Guid? SubjectRelationshipId,
    FeedbackRequest? Answers,
    DateTimeOffset? ReceivedAt,
    string By,
    DateTimeOffset At) : FeedbackCommand(FeedbackId, By, At);

public sealed record AcknowledgeFeedback(Guid FeedbackId, string? Note, string By, DateTimeOffset At) : FeedbackCommand(FeedbackId, By, At);

/// <param name="Commitment">The commitment it is acted on through, as it stands (made in the same unit of work, or existing).</param>
public sealed record ActionFeedback(Guid FeedbackId, Commitment Commitment, string By, DateTimeOffset At) : FeedbackCommand(FeedbackId, By, At);

public sealed record DeclineFeedback(Guid FeedbackId, string Reason, string By, DateTimeOffset At) : FeedbackCommand(FeedbackId, By, At);

/// <param name="SentAt">When the response was sent; null means now.</param>
public sealed record RespondToFeedback(
    Guid FeedbackId,
    string Response,
    Channel Channel,
    DateTimeOffset? SentAt,
    IReadOnlyList<Guid> StakeholderIds,
    string By,
    DateTimeOffset At) : FeedbackCommand(FeedbackId, By, At);
