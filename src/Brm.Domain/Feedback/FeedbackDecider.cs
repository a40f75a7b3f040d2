using Brm.Domain.Relationships;

namespace Brm.Domain.Feedback;

/// <summary>The documented limits of feedback.proto: the validators, the form and the decisions read them here.</summary>
public static class FeedbackLimits
{
    /// <summary>A comment's longest length, kept verbatim.</summary>
    public const int CommentLength = 4000;

    /// <summary>The widest range of any scale (NPS's): what a score is checked against before its request is known.</summary>
    public const int MinRating = FeedbackScales.LowestScore;
    public const int MaxRating = FeedbackScales.HighestScore;

    /// <summary>The most days a loop-open filter or window may ask for.</summary>
    public const int MaxDays = 3650;

    /// <summary>The loop-open window of the loop statistics when the caller gives none.</summary>
    public const int DefaultLoopOpenDays = FeedbackItem.CloseLoopWithinDays;
}

/// <summary>
/// Pure decisions: a command, the request's or item's state and its relationship's state in, the events out.
/// The relationship is read, never changed: it says who its current stakeholders are and whether it is archived.
/// A feedback item moves received → acknowledged → actioned | declined → responded, and only a response closes
/// the loop.
/// </summary>
public static class FeedbackDecider
{
    public static IReadOnlyList<object> Decide(RequestFeedback c, FeedbackRequest? state, Relationship relationship)
    {
        if (state is not null)
        {
            throw DomainException.AlreadyExists($"request for feedback {c.FeedbackRequestId} already exists");
        }

        relationship.EnsureNotArchived("new requests for feedback");
        var requestedAt = NotInTheFuture(c.RequestedAt ?? c.At, c.At, "asked for feedback");
        EnsureSubjectOf(c.RelationshipId, c.About, c.SubjectRelationshipId);
        relationship.EnsureCurrentStakeholders(c.AudienceStakeholderIds);
        if (c.Delivery == FeedbackDelivery.Email && c.Channel != Channel.Email)
        {
            throw DomainException.Rule("a request delivered by email is asked on the email channel");
        }

        var periodic = c.About.Cadence is { } cadence;
        return
        [
            new FeedbackRequested(
                c.FeedbackRequestId, c.RelationshipId, c.AudienceStakeholderIds, c.Channel, c.About, c.Question, c.Scale, c.By, requestedAt)
            {
                Delivery = c.Delivery,
                AllowAnonymous = c.AllowAnonymous,
                SeriesId = periodic ? c.SeriesId ?? c.FeedbackRequestId : null,
                PeriodStart = c.About.Cadence is { } every ? c.PeriodStart ?? FeedbackPeriods.StartOf(every, DateOnly.FromDateTime(requestedAt.UtcDateTime)) : null,
            },
        ];
    }

    /// <summary>Revoking stops the request's links and, for the series' current request, the series; once is enough.</summary>
    public static IReadOnlyList<object> Decide(RevokeFeedbackRequest c, FeedbackRequest? state) => state switch
    {
        null => throw DomainException.NotFound($"request for feedback {c.FeedbackRequestId} was not found"),
        { RevokedAt: not null } => [],
        _ => [new FeedbackRequestRevoked(state.Id, state.RelationshipId, c.Reason, c.By, c.At)],
    };

    /// <summary>A personal link is used once, by the stakeholder it was sent to, while the request stands.</summary>
    public static IReadOnlyList<object> Decide(AnswerThroughLink c, FeedbackRequest? state) =>
        state?.LinkRefusalFor(c.StakeholderId) switch
        {
            _ when state is null => throw DomainException.NotFound($"request for feedback {c.FeedbackRequestId} was not found"),
            LinkRefusal.Used => throw DomainException.AlreadyExists("this link was used: the answer was recorded, and a link answers once"),
            LinkRefusal.Revoked => throw DomainException.Rule("the request for feedback was withdrawn: its links no longer take answers"),
            LinkRefusal.NotInvited => throw DomainException.Rule("this stakeholder was not sent a link for this request"),
            _ => [new FeedbackLinkAnswered(state.Id, state.RelationshipId, c.StakeholderId, FeedbackRequest.LinkActor, c.At)],
        };

    /// <summary>
    /// A periodic request's period ended: its series goes on with a request for the new period (the same audience, those
    /// still current; the same question, scale, delivery) or, when the department was archived or nobody is left to ask,
    /// ends. Returns the events of the ended request and the command that makes the next one (null when the series ends).
    /// </summary>
    public static (IReadOnlyList<object> Events, RequestFeedback? Next) Decide(ContinueRound c, FeedbackRequest? state, Relationship relationship)
    {
        if (state is null)
        {
            throw DomainException.NotFound($"request for feedback {c.FeedbackRequestId} was not found");
        }

        if (!state.IsSeriesHead)
        {
            return ([], null);
        }

        var audience = state.AudienceStakeholderIds.Where(id => relationship.Stakeholders.Any(s => s.Id == id && s.IsCurrent)).ToList();
        var end = relationship.Archived is not null ? "the department was archived" : audience.Count == 0 ? "nobody asked before is a current stakeholder" : null;
        if (end is not null)
        {
            return ([new FeedbackRoundContinued(state.Id, state.RelationshipId, null, end, c.By, c.At)], null);
        }

        var nextId = FeedbackPeriods.RequestId(state.SeriesId!.Value, c.PeriodStart);
        var next = new RequestFeedback(
            nextId, state.RelationshipId, audience, state.Channel, state.About, null, state.Question, state.Scale, null, c.By, c.At)
        {
            Delivery = state.Delivery, AllowAnonymous = state.AllowAnonymous, SeriesId = state.SeriesId, PeriodStart = c.PeriodStart,
        };
        return ([new FeedbackRoundContinued(state.Id, state.RelationshipId, nextId, null, c.By, c.At)], next);
    }

    public static IReadOnlyList<object> Decide(FeedbackCommand command, FeedbackItem? state, Relationship relationship) =>
        (command, state) switch
        {
            (SubmitFeedback c, null) => Submit(c, relationship),
            (SubmitFeedback, not null) => throw DomainException.AlreadyExists($"feedback {command.FeedbackId} already exists"),
            (_, null) => throw DomainException.NotFound($"feedback {command.FeedbackId} was not found"),
            (_, { LoopClosed: true } s) => throw DomainException.Rule(
                $"feedback {s.Id} was responded to: its loop is closed and it refuses changes"),
            (AcknowledgeFeedback, { Status: FeedbackStatus.Acknowledged }) => [],
            (AcknowledgeFeedback c, { Status: FeedbackStatus.Received } s) =>
                [new FeedbackAcknowledged(s.Id, s.RelationshipId, c.Note, c.By, c.At)],
            (AcknowledgeFeedback, var s) => throw DomainException.Rule($"feedback {s.Id} was already {Describe(s.Status)}, after it was acknowledged"),
            (ActionFeedback c, { Status: FeedbackStatus.Actioned } s) when c.Commitment.Id == s.ActionedCommitmentId => [],
            (DeclineFeedback c, { Status: FeedbackStatus.Declined, Declined: { } declined }) when c.Reason == declined.Text => [],
            (ActionFeedback or DeclineFeedback or RespondToFeedback, { Status: FeedbackStatus.Received } s) => throw DomainException.Rule(
                $"feedback {s.Id} has not been acknowledged: acknowledge it before actioning, declining or responding to it"),
            (ActionFeedback or DeclineFeedback, { Status: FeedbackStatus.Actioned or FeedbackStatus.Declined } s) => throw DomainException.Rule(
                $"feedback {s.Id} was already {Describe(s.Status)}: actioned and declined exclude each other, and each is decided once"),
            (ActionFeedback c, var s) => Action(c, s),
            (DeclineFeedback c, var s) => Decline(c, s),
            (RespondToFeedback c, var s) => Respond(c, s, relationship),
            _ => throw new InvalidOperationException($"No decision for {command.GetType().Name}."),
        };

    private static object[] Submit(SubmitFeedback c, Relationship relationship)
    {
        var scale = c.Answers?.Scale ?? FeedbackScale.Rating;
        if (FeedbackAnswer.RatingProblem(scale, c.Rating) is { } offScale)
        {
            throw DomainException.Rule(offScale);
        }

        if (!FeedbackAnswer.HasContent(c.Rating, c.Comment))
        {
            throw DomainException.Rule(FeedbackAnswer.CommentOrRatingRequired);
        }

        relationship.EnsureNotArchived("new feedback");
        var receivedAt = NotInTheFuture(c.ReceivedAt ?? c.At, c.At, "received feedback");
        if (c.FromStakeholderId is { } from)
        {
            relationship.CurrentStakeholder(from);
        }

        if (c.Answers is { } request)
        {
            if (request.RelationshipId != c.RelationshipId)
            {
                throw DomainException.Rule(
                    $"request for feedback {request.Id} belongs to another relationship: an answer must match its request's relationship");
            }

            if (receivedAt < request.RequestedAt)
            {
                throw DomainException.Rule($"feedback cannot answer a request before it was sent ({request.RequestedAt:O})");
            }
        }

        if (c.About is { } about)
        {
            EnsureSubjectOf(c.RelationshipId, about, c.SubjectRelationshipId);
        }

        return
        [
            new FeedbackReceived(c.FeedbackId, c.RelationshipId, c.FromStakeholderId, c.Channel, c.Rating, c.Answers?.Scale ?? FeedbackScale.Rating, c.Comment,
                c.About ?? c.Answers?.About ?? FeedbackSubject.General, c.Answers?.Id, c.By, receivedAt),
        ];
    }

    private static object[] Action(ActionFeedback c, FeedbackItem s)
    {
        if (c.Commitment.RelationshipId != s.RelationshipId)
        {
            throw DomainException.Rule($"commitment {c.Commitment.Id} belongs to another relationship: feedback is acted on within its own");
        }

        if (c.Commitment.Status == CommitmentStatus.Cancelled)
        {
            throw DomainException.Rule($"commitment {c.Commitment.Id} was cancelled: feedback cannot be acted on through it");
        }

        return [new FeedbackActioned(s.Id, s.RelationshipId, c.Commitment.Id, c.By, c.At)];
    }

    private static object[] Decline(DeclineFeedback c, FeedbackItem s) =>
        DeclineReason.Problem(c.Reason) is { } problem
            ? throw DomainException.Rule(problem)
            : [new FeedbackDeclined(s.Id, s.RelationshipId, c.Reason, c.By, c.At)];

    private static object[] Respond(RespondToFeedback c, FeedbackItem s, Relationship relationship)
    {
        var sentAt = NotInTheFuture(c.SentAt ?? c.At, c.At, "responded");
        if (sentAt < s.ReceivedAt)
        {
            throw DomainException.Rule($"a response cannot be sent before the feedback was received ({s.ReceivedAt:O})");
        }

        relationship.EnsureCurrentStakeholders(c.StakeholderIds);
        return [new FeedbackResponseSent(s.Id, s.RelationshipId, c.Response, c.Channel, c.StakeholderIds, c.By, sentAt)];
    }

    /// <summary>A meeting or commitment that feedback (or a request) is about must belong to the same relationship.</summary>
    private static void EnsureSubjectOf(Guid relationshipId, FeedbackSubject about, Guid? subjectRelationshipId)
    {
        if (about.Kind is FeedbackSubjectKind.Meeting or FeedbackSubjectKind.Commitment && subjectRelationshipId != relationshipId)
        {
            throw DomainException.Rule($"the {about.Kind.ToString().ToLowerInvariant()} {about.Id} belongs to another relationship");
        }
    }

    private static DateTimeOffset NotInTheFuture(DateTimeOffset when, DateTimeOffset now, string what) =>
        when <= now ? when : throw DomainException.Rule($"nobody can have {what} in the future: {when:O} is after now ({now:O})");

    private static string Describe(FeedbackStatus status) => status.ToString().ToLowerInvariant();
}
