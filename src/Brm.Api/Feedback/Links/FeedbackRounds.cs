using Brm.Domain;
using Brm.Domain.Feedback;
using Brm.Domain.Relationships;
using JasperFx;
using Marten;

namespace Brm.Api.Feedback.Links;

/// <summary>
/// What requests for feedback do by themselves, looked at on each outreach tick (<see cref="Outreach.DigestTickHandler"/>,
/// one node at a time): a periodic series whose period ended asks again for the new period, and those who have not
/// answered an emailed request after <see cref="FeedbackLinkOptions.ReminderAfter"/> get the one reminder. Both are safe
/// on any number of nodes: the next request's id is derived from the series and the period (a second start fails) and the
/// ended request records the continuation at the version read; a reminder is recorded per person on the request's stream
/// and never sent to one already recorded.
/// </summary>
public sealed class FeedbackRounds(IDocumentStore store, FeedbackInvitations invitations, TimeProvider clock, ILogger<FeedbackRounds> logger)
{
    public const string Actor = "feedback-rounds";

    public async Task RunAsync(FeedbackLinkOptions options, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        IReadOnlyList<FeedbackRequest> heads, emailed;
        await using (var query = store.QuerySession())
        {
            heads = await query.Query<FeedbackRequest>().Where(r => r.SeriesId != null && r.RevokedAt == null && !r.Continued).ToListAsync(ct);
            var since = now - options.LinkLifetime;
            var before = now - options.ReminderAfter;
            emailed = await query.Query<FeedbackRequest>()
                .Where(r => r.Delivery == FeedbackDelivery.Email && r.RevokedAt == null && r.RequestedAt > since && r.RequestedAt <= before).ToListAsync(ct);
        }

        foreach (var head in heads)
        {
            if (FeedbackPeriods.NextDue(head, now) is { } period)
            {
                await OneAsync(() => ContinueAsync(head, period, now, ct), "continue the series of request {FeedbackRequestId}", head.Id);
            }
        }

        foreach (var request in emailed)
        {
            await OneAsync(() => RemindAsync(request, now, options.ReminderAfter, ct), "remind the audience of request {FeedbackRequestId}", request.Id);
        }
    }

    /// <summary>One request failing (the database for a moment) holds no other back; the next tick tries again.</summary>
    private async Task OneAsync(Func<Task> work, string what, Guid id)
    {
        try
        {
            await work();
        }
        catch (Exception e) when (e is ConcurrencyException or JasperFx.Events.ExistingStreamIdCollisionException)
        {
            // Another node did it first.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
#pragma warning disable CA2254 // the template is one of two constants above
            logger.LogError(e, "Could not " + what, id);
#pragma warning restore CA2254
        }
    }

    private Task ContinueAsync(FeedbackRequest head, DateOnly period, DateTimeOffset now, CancellationToken ct) =>
        store.InTransactionAsync(Actor, async session =>
        {
            var hold = RelationshipHold.Of(head.RelationshipId);
            var fetched = await session.FetchForDecisionAsync<FeedbackRequest>(head.Id, hold, requestId: null, ct);
            var relationship = hold.Found(fetched.Relationship);
            var stream = fetched.Stream;
            var (events, next) = FeedbackDecider.Decide(new ContinueRound(head.Id, period, Actor, now), stream.Aggregate, relationship);
            if (events.Count == 0)
            {
                return;
            }

            stream.AppendMany(events);
            if (next is not null)
            {
                var decided = await session.Decide<FeedbackRequest>(next.FeedbackRequestId, null, state => FeedbackDecider.Decide(next, state, relationship), ct);
                await invitations.QueueAsync(session, decided.State, ct);
            }

            await session.SaveChangesAsync(ct);
            logger.LogInformation("Periodic request {FeedbackRequestId} went on with {Next} for the period from {Period}", head.Id, next?.FeedbackRequestId, period);
        }, ct);

    private Task RemindAsync(FeedbackRequest request, DateTimeOffset now, TimeSpan after, CancellationToken ct) =>
        store.InTransactionAsync(Actor, async session =>
        {
            var answeredByName = (await session.AnswersAsync([request.Id], ct)).Select(a => a.FromStakeholderId).OfType<Guid>().ToHashSet();
            if (request.RemindersDue(now, after, answeredByName) is { Count: > 0 } due)
            {
                await invitations.QueueRemindersAsync(session, request.Id, due, ct);
                await session.SaveChangesAsync(ct);
            }
        }, ct);
}
