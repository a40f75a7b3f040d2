using Brm.Api.Commitments;
using Brm.Api.Feedback.Links;
using Brm.Api.Infrastructure;
using Brm.Api.Tags;
using Brm.Domain;
using Brm.Domain.Commitments;
using Brm.Domain.Feedback;
using Brm.Domain.Meetings;
using Brm.Domain.Relationships;
using Brm.V1;
using Google.Protobuf;
using Grpc.Core;
using Marten;
using static Brm.Api.Infrastructure.ProtoFields;
using Commands = Brm.Domain.Feedback;
using Commitment = Brm.Domain.Commitments.Commitment;
using FeedbackSubject = Brm.Domain.Feedback.FeedbackSubject;
using FeedbackSubjectKind = Brm.Domain.Feedback.FeedbackSubjectKind;
using Relationship = Brm.Domain.Relationships.Relationship;

namespace Brm.Api.Feedback;

/// <summary>brm.v1.FeedbackService: each RPC builds one command or query and maps the result.</summary>
public sealed class FeedbackGrpcService(Mutations mutations, IQuerySession query, TimeProvider clock, PageCursors pages, FeedbackInvitations invitations)
    : FeedbackService.FeedbackServiceBase
{
    /// <summary>With email delivery, the invitations are queued in the same transaction (sent after the commit).</summary>
    public override Task<RequestFeedbackResponse> RequestFeedback(RequestFeedbackRequest request, ServerCallContext context) =>
        mutations.Run<FeedbackRequest, RequestFeedbackResponse>(request, context, Guid.CreateVersion7(), RelationshipHold.Of(Id(request.RelationshipId)), async (held, ct) =>
        {
            var (session, stream, relationship, stamp) = held;
            var about = NamedSubject(request.AboutMeetingId, request.AboutCommitmentId) ?? FeedbackSubject.Periodic(request.Periodic.ToDomain());
            var delivery = request.Delivery.ToDomain();
            var channel = delivery == Brm.Domain.Feedback.FeedbackDelivery.Email && request.Channel == V1.Channel.Unspecified ? Brm.Domain.Channel.Email : request.Channel.ToDomain();
            var command = new Commands.RequestFeedback(
                stream.Id, relationship.Id, Ids(request.AudienceStakeholderIds), channel, about,
                await SubjectRelationshipAsync(session, about, ct), Optional(request.Question), request.Scale.ToDomain(),
                request.RequestedAt?.ToDomain(), stamp.Actor, stamp.At)
            {
                Delivery = delivery, AllowAnonymous = request.AllowAnonymous,
            };
            var decided = stream.Decide(expectedVersion: null, state => FeedbackDecider.Decide(command, state, relationship));
            await invitations.QueueAsync(session, decided.State, ct);
            return new RequestFeedbackResponse { FeedbackRequest = decided.State.ToProto(), Version = decided.Version };
        });

    public override Task<RevokeFeedbackRequestResponse> RevokeFeedbackRequest(RevokeFeedbackRequestRequest request, ServerCallContext context)
    {
        var id = Id(request.FeedbackRequestId);
        return mutations.Decide<FeedbackRequest, RevokeFeedbackRequestResponse>(request, context, id, request.Expected(),
            (state, by) => FeedbackDecider.Decide(new Commands.RevokeFeedbackRequest(id, Optional(request.Reason), by.Actor, by.At), state),
            (decided, _) => new RevokeFeedbackRequestResponse { FeedbackRequest = decided.State.ToProto(), Version = decided.Version });
    }

    public override Task<SubmitFeedbackResponse> SubmitFeedback(SubmitFeedbackRequest request, ServerCallContext context) =>
        mutations.Run<FeedbackItem, SubmitFeedbackResponse>(request, context, Guid.CreateVersion7(), RelationshipHold.Of(Id(request.RelationshipId)), async (held, ct) =>
        {
            var (session, stream, relationship, stamp) = held;
            var about = NamedSubject(request.AboutMeetingId, request.AboutCommitmentId) ?? (request.General ? FeedbackSubject.General : null);
            var answers = OptionalId(request.FeedbackRequestId) is { } requestId ? await session.GetFeedbackRequestAsync(requestId, ct) : null;
            EnsureOnScale(request, answers?.Scale ?? Brm.Domain.Feedback.FeedbackScale.Rating);
            var command = new Commands.SubmitFeedback(
                stream.Id, relationship.Id, OptionalId(request.FromStakeholderId), request.Channel.ToDomain(),
                request.HasRating ? request.Rating : null, string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment, about,
                about is null ? null : await SubjectRelationshipAsync(session, about, ct), answers, request.ReceivedAt?.ToDomain(), stamp.Actor, stamp.At);
            var decided = stream.Decide(expectedVersion: null, state => FeedbackDecider.Decide(command, state, relationship));
            return new SubmitFeedbackResponse { Feedback = decided.State.ToProto(stamp.Today), Version = decided.Version };
        });

    public override Task<AcknowledgeFeedbackResponse> AcknowledgeFeedback(AcknowledgeFeedbackRequest request, ServerCallContext context) =>
        Change(request, context,
            (id, by) => new Commands.AcknowledgeFeedback(id, Optional(request.Note), by.Actor, by.At),
            (f, v) => new AcknowledgeFeedbackResponse { Feedback = f, Version = v });

    /// <summary>
    /// Acts on the feedback through an existing commitment, or through one made here with the feedback as its
    /// source: the new commitment's stream and the feedback's are appended in one transaction, or neither is. The
    /// feedback's relationship is held and its stream locked and fetched in one round trip; the commitment is read or
    /// made after it.
    /// </summary>
    public override Task<ActionFeedbackResponse> ActionFeedback(ActionFeedbackRequest request, ServerCallContext context) =>
        mutations.Run<FeedbackItem, ActionFeedbackResponse>(request, context, Id(request.FeedbackId), RelationshipHold.OfFeedback(Id(request.FeedbackId)), async (held, ct) =>
        {
            var (session, stream, relationship, stamp) = held;
            var feedback = stream.Aggregate ?? throw DomainException.NotFound($"feedback {stream.Id} was not found");
            var commitment = request.CommitmentCase == ActionFeedbackRequest.CommitmentOneofCase.CommitmentId
                ? await session.GetCommitmentAsync(Id(request.CommitmentId), ct)
                : await MakeCommitmentAsync(session, request.NewCommitment, feedback, relationship, stamp, ct);
            var command = new Commands.ActionFeedback(feedback.Id, commitment, stamp.Actor, stamp.At);
            var decided = stream.Decide(request.Expected(), state => FeedbackDecider.Decide(command, state, relationship));
            return new ActionFeedbackResponse
            {
                Feedback = decided.State.ToProto(stamp.Today), Version = decided.Version, Commitment = commitment.ToProto(stamp.Today),
            };
        });

    public override Task<DeclineFeedbackResponse> DeclineFeedback(DeclineFeedbackRequest request, ServerCallContext context) =>
        Change(request, context,
            (id, by) => new Commands.DeclineFeedback(id, request.Reason.Trim(), by.Actor, by.At),
            (f, v) => new DeclineFeedbackResponse { Feedback = f, Version = v });

    public override Task<RespondToFeedbackResponse> RespondToFeedback(RespondToFeedbackRequest request, ServerCallContext context) =>
        Change(request, context,
            (id, by) => new Commands.RespondToFeedback(id, request.Response.Trim(), request.Channel.ToDomain(), request.SentAt?.ToDomain(),
                Ids(request.StakeholderIds), by.Actor, by.At),
            (f, v) => new RespondToFeedbackResponse { Feedback = f, Version = v });

    public override async Task<GetFeedbackResponse> GetFeedback(GetFeedbackRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var feedback = await query.GetFeedbackAsync(Id(request.FeedbackId), ct);
        var commitment = feedback.ActionedCommitmentId is { } id ? await query.LoadAsync<Commitment>(id, ct) : null;
        return new GetFeedbackResponse { Feedback = feedback.ToProto(Today()), Commitment = commitment?.ToProto(Today()) };
    }

    public override async Task<ListFeedbackResponse> ListFeedback(ListFeedbackRequest request, ServerCallContext context)
    {
        var today = Today();
        var filter = new FeedbackFilter(
            OptionalId(request.RelationshipId),
            [.. request.Statuses.Select(s => s.ToDomain())],
            request.HasLoopOpenMoreThanDays ? request.LoopOpenMoreThanDays : null,
            request.HasMinRating ? request.MinRating : null,
            request.HasMaxRating ? request.MaxRating : null,
            OptionalId(request.FeedbackRequestId),
            TagRules.Filter(request.Tags));
        // "Open for more than N days" moves with the day: a token is only good on the day it was issued.
        var filters = $"{new ListFeedbackRequest(request) { PageSize = 0, PageToken = "" }}|today={(request.HasLoopOpenMoreThanDays ? today : default)}";
        var after = pages.Read<DateTimeOffset>(request.PageToken, filters, context) is { } cursor ? new FeedbackPosition(cursor.Key, cursor.Id) : null;
        var size = PageTokens.Size(request.PageSize);
        var page = await query.ListFeedbackAsync(filter, today, after, size + 1, context.CancellationToken);

        var response = new ListFeedbackResponse();
        response.Feedback.AddRange(page.Take(size).Select(f => f.ToProto(today)));
        if (page.Count > size)
        {
            var last = page[size - 1];
            response.NextPageToken = pages.Write(new PageCursor<DateTimeOffset>(last.ReceivedAt, last.Id), filters, context);
        }

        return response;
    }

    public override async Task<GetRequestForFeedbackResponse> GetRequestForFeedback(GetRequestForFeedbackRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var feedbackRequest = await query.GetFeedbackRequestAsync(Id(request.FeedbackRequestId), ct);
        var answers = await query.AnswersAsync([feedbackRequest.Id], ct);
        var answered = answers.Select(a => a.FromStakeholderId).OfType<Guid>().ToHashSet();
        var response = new GetRequestForFeedbackResponse
        {
            FeedbackRequest = feedbackRequest.ToProto(),
            Scores = Brm.Domain.Feedback.ScaleScores.From(answers).ToProto(),
            Answers = answers.Count,
            AnonymousAnswers = answers.Count(a => a.IsAnonymous),
            AnsweredStakeholderIds = { feedbackRequest.AudienceStakeholderIds.Where(answered.Contains).Select(id => id.ToString()) },
            NotAnsweredStakeholderIds = { feedbackRequest.AudienceStakeholderIds.Where(id => !answered.Contains(id)).Select(id => id.ToString()) },
        };
        if (feedbackRequest.ResponseRate(answers) is { } rate)
        {
            response.ResponseRate = rate;
        }

        return response;
    }

    public override async Task<GetFeedbackLoopStatsResponse> GetFeedbackLoopStats(GetFeedbackLoopStatsRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var relationshipId = OptionalId(request.RelationshipId) is { } id ? (await query.GetAsync(id, ct)).Id : (Guid?)null;
        var stats = await query.FeedbackLoopStatsAsync(
            relationshipId, request.PeriodStart?.ToDomain(), request.PeriodEnd?.ToDomain(), clock.GetUtcNow().ToMicroseconds(),
            request.LoopOpenDays == 0 ? FeedbackLimits.DefaultLoopOpenDays : request.LoopOpenDays, ct);
        return new GetFeedbackLoopStatsResponse { Stats = stats.ToProto() };
    }

    /// <summary>Every other change to an existing feedback item: its relationship (the one its document names) is held for the rules.</summary>
    private Task<TResponse> Change<TResponse>(
        IFeedbackMutation request,
        ServerCallContext context,
        Func<Guid, Stamp, FeedbackCommand> command,
        Func<V1.Feedback, long, TResponse> respond)
        where TResponse : class, IMessage<TResponse>, new()
    {
        var id = Id(request.FeedbackId);
        return mutations.Decide<FeedbackItem, TResponse>(request, context, id, request.Expected(), RelationshipHold.OfFeedback(id),
            (state, relationship, by) => FeedbackDecider.Decide(command(id, by), state, relationship),
            (decided, _, by) => respond(decided.State.ToProto(by.Today), decided.Version));
    }

    /// <summary>Makes, in the caller's unit of work, a commitment whose source is this feedback item.</summary>
    private static async Task<Commitment> MakeCommitmentAsync(
        IDocumentSession session, CommitmentDraft draft, FeedbackItem feedback, Relationship relationship, Stamp stamp, CancellationToken ct)
    {
        var command = new MakeCommitment(
            Guid.CreateVersion7(), feedback.RelationshipId, draft.Title.Trim(), Optional(draft.Description), draft.Owner.Trim(),
            draft.DueDate.ToDomain(), draft.Direction.ToDomain(), new CommitmentSource(SourceKind.Feedback, feedback.Id, null),
            feedback.RelationshipId, !draft.HasVisibleToBusiness || draft.VisibleToBusiness, stamp.Actor, stamp.At);
        var decided = await session.Decide<Commitment>(command.CommitmentId, null, state => CommitmentDecider.Decide(command, state, relationship), ct);
        return decided.State;
    }

    /// <summary>The meeting or commitment a request's `about` names (an unset oneof field reads empty), or null.</summary>
    private static FeedbackSubject? NamedSubject(string meetingId, string commitmentId) =>
        meetingId.Length > 0 ? FeedbackSubject.Meeting(Id(meetingId))
        : commitmentId.Length > 0 ? FeedbackSubject.Commitment(Id(commitmentId))
        : null;

    /// <summary>The relationship the meeting or commitment feedback is about belongs to; NOT_FOUND when it does not exist.</summary>
    private static async Task<Guid?> SubjectRelationshipAsync(IQuerySession session, FeedbackSubject about, CancellationToken ct) =>
        about.Kind switch
        {
            FeedbackSubjectKind.Meeting => (await session.GetMeetingAsync(about.Id!.Value, ct)).RelationshipId,
            FeedbackSubjectKind.Commitment => (await session.GetCommitmentAsync(about.Id!.Value, ct)).RelationshipId,
            _ => null,
        };

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>The domain's rule of a rating on its request's scale, reported as INVALID_ARGUMENT on rating (the fix is in that field).</summary>
    private static void EnsureOnScale(SubmitFeedbackRequest request, Brm.Domain.Feedback.FeedbackScale scale)
    {
        if (FeedbackAnswer.RatingProblem(scale, request.HasRating ? request.Rating : null) is { } problem)
        {
            throw new FluentValidation.ValidationException([new FluentValidation.Results.ValidationFailure("rating", problem)]);
        }
    }

}
