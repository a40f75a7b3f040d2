using Brm.Api.Outreach.Mail;
using Brm.Domain;
using Brm.Domain.Outreach;
using Brm.Domain.PersonalData;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Brm.Api.Outreach;

/// <summary>Deliver the update to every recipient not yet delivered or given up on (a durable message: see <see cref="DeliverUpdateHandler"/>).</summary>
public sealed record DeliverUpdate(Guid UpdateId);

/// <summary>
/// Delivers a sent update, one recipient at a time, recording each outcome on the update's stream as soon as it is
/// known: a recipient no longer pending is skipped, so a retry (after a crash, or while the server was down) never
/// sends to them again, and each outcome is appended at the version it read (two handlers of one update cannot both
/// record a recipient), with the stream held while it sends and records (an erasure waits for it). The server refusing one recipient for good records them failed and goes on with the others;
/// the server unreachable throws, and Wolverine retries the message with the configured backoff
/// (<see cref="OutreachOptions.Retries"/>); on the last attempt the recipients left are recorded failed.
/// A crash between the server accepting a message and the outcome being recorded sends it again on the retry, with
/// the same Message-Id, which the receiving server (or the pickup folder: one file per Message-Id) recognises.
/// </summary>
public static class DeliverUpdateHandler
{
    /// <summary>The actor recorded on delivery events.</summary>
    public const string Actor = "outreach";

    public static async Task Handle(
        DeliverUpdate message,
        Envelope envelope,
        IDocumentStore store,
        IMailTransport mail,
        IOptions<SmtpOptions> smtp,
        IOptions<OutreachOptions> outreach,
        TimeProvider clock,
        ILogger<DeliverUpdate> logger,
        CancellationToken ct)
    {
        var lastAttempt = envelope.Attempts > outreach.Value.Retries.Length;
        while (true)
        {
            // One transaction per recipient, holding the update's stream until the outcome commits: an erasure of a
            // recipient waits for it, then masks what was recorded.
            await using var connection = store.Storage.Database.CreateConnection();
            await connection.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction, shouldAutoCommit: true));
            session.LastModifiedBy = Actor;
            var stream = await session.FetchLockedAsync<Update>(message.UpdateId, ct);
            if (stream.Aggregate is not { } update)
            {
                logger.LogWarning("Update {UpdateId} to deliver was not found", message.UpdateId);
                return;
            }

            if (update.Deliveries.FirstOrDefault(d => d.Status == DeliveryStatus.Pending)?.Recipient is not { } recipient)
            {
                return;
            }

            var messageId = MailMessages.MessageId(update.Id, recipient.Email, smtp.Value.From);
            var outcome = await OutcomeAsync(update, recipient, messageId, envelope.Attempts, lastAttempt, mail, smtp.Value.From, clock, ct);
            stream.AppendOne(outcome);
            await session.SaveChangesAsync(ct);
            logger.LogInformation("Update {UpdateId} to {Recipient}: {Outcome}", update.Id, recipient.Email, outcome.GetType().Name);
        }
    }

    /// <summary>Sends to one recipient: delivered, or failed (refused for good, out of retries, or erased before it went).</summary>
    private static async Task<object> OutcomeAsync(
        Update update, UpdateRecipient recipient, string messageId, int attempts, bool lastAttempt, IMailTransport mail, string from,
        TimeProvider clock, CancellationToken ct)
    {
        UpdateDeliveryFailed Failed(string reason) =>
            new(update.Id, update.RelationshipId, recipient.Email, messageId, reason, attempts, Actor, clock.GetUtcNow());

        if (StakeholderErasure.IsErasedEmail(recipient.Email))
        {
            return Failed("the recipient's personal data was erased before the update could be delivered");
        }

        try
        {
            var mime = MailMessages.Build(from, recipient, update.Subject, update.BodyMarkdown, messageId, update.SentAt);
            return await mail.SendAsync(mime, ct) switch
            {
                MailOutcome.Refused refused => Failed(refused.Reason),
                _ => new UpdateDelivered(update.Id, update.RelationshipId, recipient.Email, messageId, attempts, Actor, clock.GetUtcNow()),
            };
        }
        catch (MailUnavailableException e) when (lastAttempt)
        {
            return Failed($"undeliverable after {attempts} attempts: {e.Message}");
        }
    }
}
