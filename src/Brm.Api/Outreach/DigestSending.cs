using Brm.Api.Feedback.Links;
using Brm.Api.Outreach.Mail;
using Brm.Domain.Outreach;
using JasperFx;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Marten;
using Wolverine.Runtime;
using Preferences = Brm.Domain.Outreach.DigestPreferences;
using Relationship = Brm.Domain.Relationships.Relationship;

namespace Brm.Api.Outreach;

/// <summary>Look for the digests due now (a durable scheduled message: see <see cref="DigestTickHandler"/>).</summary>
public sealed record DigestTick(Guid Id);

/// <summary>
/// Send one recorded digest (a durable message, handled after the commit). It carries no text: the digest is composed
/// when it is sent, from the record as it then stands (so a retry never mails what an erasure removed since).
/// </summary>
public sealed record SendDigest(Guid DigestId, string Manager, string Email, DateOnly WeekOf, string MessageId, DateTimeOffset SentAt);

/// <summary>
/// The one chain of <see cref="DigestTick"/>s: the tick in force, so that a tick of a superseded chain (a node that
/// restarted the chain, two nodes starting at once) does nothing. Saved with optimistic concurrency: of two nodes
/// handling the same tick, one claims it.
/// </summary>
public sealed class DigestClock
{
    public static readonly Guid SingleId = new("b7d4f2a1-0c3e-4e59-8a6b-2f1d9c7e5a30");

    public Guid Id { get; set; } = SingleId;

    /// <summary>The tick that runs next: any other is ignored.</summary>
    public Guid Tick { get; set; }

    /// <summary>When a tick last ran (or the chain was started).</summary>
    public DateTimeOffset LastRunAt { get; set; }

    /// <summary>How many ticks have run.</summary>
    public long Runs { get; set; }
}

/// <summary>
/// The outreach tick: feedback rounds (<see cref="FeedbackRounds"/>: periodic requests, reminders), then the BRMs' weekly
/// digests. Every <see cref="OutreachOptions.DigestInterval"/>, a <see cref="DigestTick"/> (a
/// Wolverine scheduled message, durable in PostgreSQL) claims itself on the <see cref="DigestClock"/>, schedules the
/// next tick in the same transaction, then looks at every BRM (the managers of relationships, and those who set
/// preferences): for each whose digest of this week is due (<see cref="DigestSchedule.DueWeek"/>) and not yet
/// recorded, one transaction starts the digest's stream (its id derived from the BRM and the week, so a second start
/// fails: one digest per BRM per week, whichever node gets there first) and puts the <see cref="SendDigest"/> in the
/// outbox. Delivery then goes as an update's does: retried with backoff while the mail server is down, the same
/// Message-Id on every attempt.
/// </summary>
public static class DigestTickHandler
{
    public const string Actor = "outreach";

    public static async Task Handle(
        DigestTick tick,
        IDocumentStore store,
        IWolverineRuntime runtime,
        IOptions<SmtpOptions> smtp,
        IOptions<OutreachOptions> outreach,
        IOptions<FeedbackLinkOptions> feedback,
        FeedbackRounds rounds,
        TimeProvider clock,
        ILogger<DigestTick> logger,
        CancellationToken ct)
    {
        if (!await ClaimAsync(tick, store, runtime, outreach.Value.DigestInterval, clock, ct))
        {
            return;
        }

        if (feedback.Value.Rounds)
        {
            await rounds.RunAsync(feedback.Value, ct);
        }

        if (!outreach.Value.Digests)
        {
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var preferences in await BrmsAsync(store, ct))
        {
            if (DigestSchedule.DueWeek(preferences, now) is not { } week)
            {
                continue;
            }

            try
            {
                await RecordAsync(preferences, week, now, store, runtime, smtp.Value.From, logger, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One BRM's digest failing (their agenda, the database for a moment) holds no one else's back; the next tick tries again.
                logger.LogError(e, "The digest of {Manager} for the week of {Week} could not be recorded", preferences.Manager, week);
            }
        }
    }

    /// <summary>Claims the tick and schedules the next one; false when it is not the tick in force, or another node claimed it.</summary>
    private static async Task<bool> ClaimAsync(DigestTick tick, IDocumentStore store, IWolverineRuntime runtime, TimeSpan interval, TimeProvider clock, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<DigestClock>(DigestClock.SingleId, ct) is not { } state || state.Tick != tick.Id)
        {
            return false;
        }

        var next = new DigestTick(Guid.CreateVersion7());
        state.Tick = next.Id;
        state.LastRunAt = clock.GetUtcNow();
        state.Runs++;
        session.Store(state);
        await new MartenOutbox(runtime, session).ScheduleAsync(next, interval);
        try
        {
            await session.SaveChangesAsync(ct);
            return true;
        }
        catch (ConcurrencyException)
        {
            return false;
        }
    }

    /// <summary>Every BRM: each manager of a relationship, and each BRM who set preferences (theirs, or the defaults).</summary>
    private static async Task<IReadOnlyList<Preferences>> BrmsAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var set = (await query.Query<Preferences>().ToListAsync(ct)).ToDictionary(p => p.Manager, StringComparer.Ordinal);
        var managers = await query.Query<Relationship>().Where(r => r.Manager != null).Select(r => r.Manager!).Distinct().ToListAsync(ct);
        return [.. set.Values, .. managers.Where(m => m.Length > 0 && !set.ContainsKey(m)).Select(Preferences.DefaultFor)];
    }

    private static async Task RecordAsync(
        Preferences preferences, DateOnly week, DateTimeOffset now, IDocumentStore store, IWolverineRuntime runtime, string from,
        ILogger logger, CancellationToken ct)
    {
        var digestId = DigestSchedule.DigestId(preferences.Manager, week);
        await using var session = store.LightweightSession();
        if (await session.Events.FetchStreamStateAsync(digestId, ct) is not null)
        {
            return;
        }

        session.LastModifiedBy = Actor;
        var email = preferences.Address!;
        var content = await session.ComposeDigestAsync(preferences.Manager, week, now, ct);
        var messageId = MailMessages.MessageId(digestId, email, from);
        session.Events.StartStream(digestId,
            new DigestSent(digestId, preferences.Manager, email, week, content.Entries, content.UntoldDeclines, messageId, Actor, now));
        await new MartenOutbox(runtime, session).SendAsync(new SendDigest(digestId, preferences.Manager, email, week, messageId, now));
        try
        {
            await session.SaveChangesAsync(ct);
            logger.LogInformation("Digest of {Manager} for the week of {Week} recorded: {Entries} entries", preferences.Manager, week, content.Entries);
        }
        catch (JasperFx.Events.ExistingStreamIdCollisionException)
        {
            // Another node recorded it first: it sends it.
        }
    }
}

/// <summary>Hands a recorded digest to the mail server (or the pickup folder), retried with backoff while it cannot take it.</summary>
public static class SendDigestHandler
{
    public static async Task Handle(
        SendDigest message,
        Envelope envelope,
        IDocumentStore store,
        IMailTransport mail,
        IOptions<SmtpOptions> smtp,
        IOptions<OutreachOptions> outreach,
        TimeProvider clock,
        ILogger<SendDigest> logger,
        CancellationToken ct)
    {
        DigestContent content;
        await using (var query = store.QuerySession())
        {
            content = await query.ComposeDigestAsync(message.Manager, message.WeekOf, clock.GetUtcNow(), ct);
        }

        var mime = MailMessages.Build(smtp.Value.From, new UpdateRecipient(null, message.Manager, message.Email), content.Subject,
            content.BodyMarkdown, message.MessageId, message.SentAt);
        try
        {
            if (await mail.SendAsync(mime, ct) is MailOutcome.Refused refused)
            {
                logger.LogWarning("The digest {DigestId} to {Email} was refused: {Reason}", message.DigestId, message.Email, refused.Reason);
            }
        }
        catch (MailUnavailableException e) when (envelope.Attempts > outreach.Value.Retries.Length)
        {
            logger.LogError(e, "The digest {DigestId} to {Email} could not be delivered after {Attempts} attempts", message.DigestId, message.Email, envelope.Attempts);
        }
    }
}

/// <summary>
/// Keeps one chain of <see cref="DigestTick"/>s running: once the service runs, and then every three intervals, it
/// starts a chain unless one is running (a tick ran within three intervals). Of nodes starting one at once, the first
/// wins (the <see cref="DigestClock"/>'s concurrency); a chain that stopped (its tick dead-lettered, say) is started
/// again within three intervals.
/// </summary>
public sealed class DigestChainStart(
    IDocumentStore store, IWolverineRuntime runtime, IOptions<OutreachOptions> outreach, IOptions<FeedbackLinkOptions> feedback, TimeProvider clock,
    IHostApplicationLifetime lifetime, ILogger<DigestChainStart> logger) : BackgroundService
{
    private TimeSpan Stale => outreach.Value.DigestInterval * 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!outreach.Value.Digests && !feedback.Value.Rounds)
        {
            logger.LogInformation("Weekly digests and feedback rounds are off (Outreach:Digests and Feedback:Rounds are false)");
            return;
        }

        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(started.SetResult))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        using var watch = new PeriodicTimer(Stale);
        do
        {
            try
            {
                await EnsureChainAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The weekly digests' tick could not be checked; trying again in {Wait}", Stale);
            }
        }
        while (await watch.WaitForNextTickAsync(stoppingToken));
    }

    private async Task EnsureChainAsync(CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var now = clock.GetUtcNow();
        var state = await session.LoadAsync<DigestClock>(DigestClock.SingleId, ct);
        if (state is not null && (now - state.LastRunAt).Duration() < Stale)
        {
            return;
        }

        var tick = new DigestTick(Guid.CreateVersion7());
        if (state is null)
        {
            session.Insert(new DigestClock { Tick = tick.Id, LastRunAt = now });
        }
        else
        {
            state.Tick = tick.Id;
            state.LastRunAt = now;
            session.Store(state);
        }

        await new MartenOutbox(runtime, session).SendAsync(tick);
        try
        {
            await session.SaveChangesAsync(ct);
            logger.LogInformation("Weekly digests: checking every {Interval}", outreach.Value.DigestInterval);
        }
        catch (Exception e) when (e is ConcurrencyException or DocumentAlreadyExistsException)
        {
            // Another node started the chain at the same moment.
        }
    }
}
