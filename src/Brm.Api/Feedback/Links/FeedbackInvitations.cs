using Brm.Api.Outreach;
using Brm.Api.Outreach.Mail;
using Brm.Domain;
using Brm.Domain.Feedback;
using Brm.Domain.Outreach;
using Brm.Domain.Relationships;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Marten;
using Wolverine.Runtime;

namespace Brm.Api.Feedback.Links;

/// <summary>
/// Mail the personal links of a request for feedback: the invitations (to each audience member still pending) or, with
/// <paramref name="Reminder"/>, the one reminder (to those in <paramref name="StakeholderIds"/> not yet reminded). A durable
/// message: see <see cref="SendFeedbackInvitationsHandler"/>.
/// </summary>
public sealed record SendFeedbackInvitations(Guid FeedbackRequestId, bool Reminder, IReadOnlyList<Guid> StakeholderIds);

/// <summary>Queues a request's invitations in the outbox of the session that records it: they are sent after it commits, or never.</summary>
public sealed class FeedbackInvitations(IWolverineRuntime runtime)
{
    public async Task QueueAsync(IDocumentSession session, FeedbackRequest request, CancellationToken ct)
    {
        if (request.Delivery == FeedbackDelivery.Email && request.Invitations.Count > 0)
        {
            await new MartenOutbox(runtime, session).SendAsync(new SendFeedbackInvitations(request.Id, false, []));
        }
    }

    public async Task QueueRemindersAsync(IDocumentSession session, Guid requestId, IReadOnlyList<Guid> stakeholderIds, CancellationToken ct) =>
        await new MartenOutbox(runtime, session).SendAsync(new SendFeedbackInvitations(requestId, true, stakeholderIds));
}

/// <summary>
/// Sends a request's personal links one stakeholder at a time, as an update's delivery goes (<see cref="DeliverUpdateHandler"/>):
/// each outcome recorded on the request's stream, at the version read, with the stream held while it sends (a second
/// handler of the same message skips whoever is recorded: never two invitations, never two reminders to one person) and
/// the relationship held shared (an erasure waits, then the address is gone). The address is the stakeholder's as it is
/// now: one with none, removed, or erased is recorded failed. The mail server down: retried with backoff, the same
/// Message-Id each time; on the last attempt, failed.
/// </summary>
public static class SendFeedbackInvitationsHandler
{
    public const string Actor = DeliverUpdateHandler.Actor;

    public static async Task Handle(
        SendFeedbackInvitations message,
        Envelope envelope,
        IDocumentStore store,
        IMailTransport mail,
        FeedbackLinkTokens tokens,
        IOptions<SmtpOptions> smtp,
        IOptions<OutreachOptions> outreach,
        IOptions<FeedbackLinkOptions> links,
        TimeProvider clock,
        ILogger<SendFeedbackInvitations> logger,
        CancellationToken ct)
    {
        var lastAttempt = envelope.Attempts > outreach.Value.Retries.Length;
        var done = false;
        while (!done)
        {
            await store.InTransactionAsync(Actor, async session =>
            {
                // One round trip: the request's relationship held shared, then the request's stream locked and fetched.
                var fetched = await session.FetchForDecisionAsync<FeedbackRequest>(
                    message.FeedbackRequestId, RelationshipHold.OfFeedbackRequest(message.FeedbackRequestId), requestId: null, ct);
                var stream = fetched.Stream;
                if (fetched is not { Relationship: { } relationship, Stream.Aggregate: { } state })
                {
                    logger.LogWarning("Request for feedback {FeedbackRequestId} to send was not found", message.FeedbackRequestId);
                    done = true;
                    return;
                }

                var next = state.RevokedAt is not null ? null : state.Invitations.FirstOrDefault(i => message.Reminder
                    ? i.Reminder is null && message.StakeholderIds.Contains(i.StakeholderId) && !i.Answered
                    : i.Status == InvitationStatus.Pending);
                if (next is null)
                {
                    done = true;
                    return;
                }

                var outcome = await OutcomeAsync(state, relationship, next.StakeholderId, message.Reminder, envelope.Attempts, lastAttempt, mail, tokens,
                    smtp.Value.From, links.Value, clock, ct);
                stream.AppendOne(outcome);
                await session.SaveChangesAsync(ct);
                logger.LogInformation("Request for feedback {FeedbackRequestId} to stakeholder {StakeholderId}: {Outcome}", state.Id, next.StakeholderId, outcome.GetType().Name);
            }, ct);
        }
    }

    private static async Task<object> OutcomeAsync(
        FeedbackRequest request, Relationship relationship, Guid stakeholderId, bool reminder, int attempts, bool lastAttempt, IMailTransport mail,
        FeedbackLinkTokens tokens, string from, FeedbackLinkOptions options, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        FeedbackInvitationFailed Failed(string reason) => new(request.Id, request.RelationshipId, stakeholderId, reminder, reason, Actor, now);

        var stakeholder = relationship.Stakeholders.FirstOrDefault(s => s.Id == stakeholderId);
        if (stakeholder is not { IsCurrent: true, Erased: false, Email: { Length: > 0 } email })
        {
            return Failed(stakeholder is { IsCurrent: true, Erased: false } ? "the stakeholder has no email address" : "the stakeholder is no longer in the department");
        }

        var expiresAt = request.RequestedAt + options.LinkLifetime;
        if (expiresAt <= now)
        {
            return Failed("the request's links had expired before it could be sent");
        }

        var messageId = MailMessages.MessageId(reminder ? DigestPreferences.DerivedId("feedback reminder", request.Id.ToString()) : request.Id, email, from);
        var link = $"{options.LinkBaseUrl.TrimEnd('/')}/feedback/{tokens.Write(new FeedbackLink(request.Id, stakeholderId, expiresAt))}";
        var (subject, body) = FeedbackInvitationText.Compose(request, relationship, stakeholder.Name, link, expiresAt, reminder);
        try
        {
            return await mail.SendAsync(MailMessages.Build(from, new UpdateRecipient(stakeholderId, stakeholder.Name, email), subject, body, messageId, now), ct) switch
            {
                MailOutcome.Refused refused => Failed(refused.Reason),
                _ => new FeedbackInvitationSent(request.Id, request.RelationshipId, stakeholderId, reminder, messageId, Actor, now),
            };
        }
        catch (MailUnavailableException e) when (lastAttempt)
        {
            return Failed($"undeliverable after {attempts} attempts: {e.Message}");
        }
    }
}

/// <summary>The words of an invitation and of its reminder.</summary>
public static class FeedbackInvitationText
{
    public static (string Subject, string BodyMarkdown) Compose(
        FeedbackRequest request, Relationship relationship, string name, string link, DateTimeOffset expiresAt, bool reminder)
    {
        var question = FeedbackForm.Question(request);
        var subject = reminder ? $"Reminder: {question}" : $"{relationship.Name}: {question}";
        var anonymous = request.AllowAnonymous ? " You may answer anonymously." : "";
        var body = $"""
            Dear {name},

            X

            **{question}**

            [Answer now]({link})

            The link is yours alone and takes one answer, until {expiresAt:d MMMM yyyy}.{anonymous} We read every answer, and we will tell you what IT does with it, also when the answer is no.
            """;
        return (subject, body);
    }
}
