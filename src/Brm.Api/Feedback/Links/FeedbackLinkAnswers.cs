using Brm.Api.Infrastructure;
using Brm.Domain;
using Brm.Domain.Feedback;
using Brm.Domain.Relationships;
using Marten;

namespace Brm.Api.Feedback.Links;

/// <summary>Why a link does not open the form: each has its page and HTTP status.</summary>
public enum LinkProblem
{
    /// <summary>Not a link this service issued (altered, truncated, or for a request that does not exist): 404.</summary>
    Invalid,

    /// <summary>Past the request's expiry: 410.</summary>
    Expired,

    /// <summary>The BRM withdrew the request: 410.</summary>
    Revoked,

    /// <summary>The answer was given already: 409.</summary>
    Used,

    /// <summary>The department or the person is no longer asked (archived, removed): 410.</summary>
    Closed,
}

/// <summary>A link that opens the form: the request, its department, and whose link it is.</summary>
public sealed record OpenLink(FeedbackLink Link, FeedbackRequest Request, Relationship Relationship);

/// <summary>The outcome of an answer: recorded, refused for the link (<see cref="Problem"/>), or the fields to correct.</summary>
public sealed record AnswerOutcome(LinkProblem? Problem, IReadOnlyList<(string Field, string Message)> FieldErrors)
{
    public bool Recorded => Problem is null && FieldErrors.Count == 0;
}

/// <summary>
/// Opens personal links and records their answers, through the same decider and rules as <c>SubmitFeedback</c>: the
/// answer is a <see cref="FeedbackReceived"/> from the stakeholder (or anonymous, where the request allows it) on the
/// web-form channel, recorded by the link (<see cref="FeedbackRequest.LinkActorFor"/>), in one transaction with the
/// <see cref="FeedbackLinkAnswered"/> that uses the link up; the request's stream is held meanwhile, so of two submits
/// of one link, one is recorded and the other finds it used.
/// </summary>
public sealed class FeedbackLinkAnswers(IDocumentStore store, FeedbackLinkTokens tokens, TimeProvider clock)
{
    /// <summary>The link in <paramref name="token"/> if it opens the form now, else why not.</summary>
    public async Task<(OpenLink? Open, LinkProblem? Problem)> OpenAsync(string token, CancellationToken ct)
    {
        if (tokens.Read(token) is not { } link)
        {
            return (null, LinkProblem.Invalid);
        }

        await using var query = store.QuerySession();
        if (await query.LoadAsync<FeedbackRequest>(link.FeedbackRequestId, ct) is not { } request
            || await query.LoadAsync<Relationship>(request.RelationshipId, ct) is not { } relationship)
        {
            return (null, LinkProblem.Invalid);
        }

        var problem = Problem(link, request, relationship);
        return (problem is null ? new OpenLink(link, request, relationship) : null, problem);
    }

    public async Task<AnswerOutcome> AnswerAsync(string token, int? rating, string? comment, bool anonymous, CancellationToken ct)
    {
        var (open, problem) = await OpenAsync(token, ct);
        if (open is null)
        {
            return new AnswerOutcome(problem, []);
        }

        var errors = FeedbackAnswer.Problems(open.Request.Scale, rating, comment).ToList();
        if (anonymous && !open.Request.AllowAnonymous)
        {
            errors.Add(("anonymous", "this request asks for answers under your name"));
        }

        if (errors.Count > 0)
        {
            return new AnswerOutcome(null, errors);
        }

        var stakeholderId = open.Link.StakeholderId;
        var from = anonymous ? (Guid?)null : stakeholderId;
        LinkProblem? refused = null;
        await store.InTransactionAsync(FeedbackRequest.LinkActorFor(from), async session =>
        {
            var hold = RelationshipHold.Of(open.Request.RelationshipId);
            var fetched = await session.FetchForDecisionAsync<FeedbackRequest>(open.Request.Id, hold, requestId: null, ct);
            var relationship = hold.Found(fetched.Relationship);
            var stream = fetched.Stream;
            var now = clock.GetUtcNow().ToMicroseconds();
            // As the request and the department stand now that they are held: the link may have been used (or the request
            // withdrawn) since it was opened.
            var request = stream.Aggregate ?? throw DomainException.NotFound($"request for feedback {open.Request.Id} was not found");
            if (Problem(open.Link, request, relationship, now) is { } problemNow)
            {
                refused = problemNow;
                return;
            }

            stream.AppendMany(FeedbackDecider.Decide(new AnswerThroughLink(request.Id, stakeholderId, now), request));
            var submit = new SubmitFeedback(
                Guid.CreateVersion7(), request.RelationshipId, from, Channel.WebForm, rating, string.IsNullOrWhiteSpace(comment) ? null : comment,
                null, null, request, null, FeedbackRequest.LinkActorFor(from), now);
            await session.Decide<FeedbackItem>(submit.FeedbackId, null, state => FeedbackDecider.Decide(submit, state, relationship), ct);
            await session.SaveChangesAsync(ct);
        }, ct);
        return new AnswerOutcome(refused, []);
    }

    private LinkProblem? Problem(FeedbackLink link, FeedbackRequest request, Relationship relationship) =>
        Problem(link, request, relationship, clock.GetUtcNow());

    private static LinkProblem? Problem(FeedbackLink link, FeedbackRequest request, Relationship relationship, DateTimeOffset now) =>
        request.LinkRefusalFor(link.StakeholderId) switch
        {
            LinkRefusal.Used => LinkProblem.Used,
            LinkRefusal.Revoked => LinkProblem.Revoked,
            LinkRefusal.NotInvited => LinkProblem.Invalid,
            _ when link.ExpiresAt <= now => LinkProblem.Expired,
            _ when relationship.Archived is not null
                || !relationship.Stakeholders.Any(s => s.Id == link.StakeholderId && s.IsCurrent && !s.Erased) => LinkProblem.Closed,
            _ => null,
        };
}
