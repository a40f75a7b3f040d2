using Brm.Domain.Tags;

namespace Brm.Domain.Feedback;

public enum FeedbackStatus
{
    Received = 1,
    Acknowledged = 2,
    Actioned = 3,
    Declined = 4,
    Responded = 5,
}

/// <summary>One step of a feedback item's loop: who, when, and the note, reason or response text.</summary>
public sealed record FeedbackStep(DateTimeOffset At, string By, string? Text);

/// <summary>The response that closed the loop: when it was sent, how, to whom.</summary>
public sealed record FeedbackResponse(DateTimeOffset SentAt, string By, string Text, Channel Channel, IReadOnlyList<Guid> StakeholderIds);

/// <summary>
/// A feedback item and its loop, as its events made it: the state decisions read and, stored inline, the
/// document GetFeedback, ListFeedback and the loop statistics read. How long the loop has been open is derived
/// from the clock, never stored.
/// </summary>
[DuplicatedWithoutIndex(nameof(RelationshipId))]
public sealed record FeedbackItem(
    Guid Id,
    Guid RelationshipId,
    Guid? FromStakeholderId,
    Channel Channel,
    int? Rating,
    string? Comment,
    FeedbackSubject About,
    Guid? FeedbackRequestId,
    FeedbackStatus Status,
    DateTimeOffset ReceivedAt,
    string RecordedBy,
    FeedbackStep? Acknowledged,
    Guid? ActionedCommitmentId,
    FeedbackStep? Actioned,
    FeedbackStep? Declined,
    FeedbackResponse? Response,
    DateTimeOffset UpdatedAt,
    long Version) : IEventSourced<FeedbackItem>
{
    /// <summary>The tags it carries, sorted (see <see cref="Brm.Domain.Tags.Tagging"/>).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The scale its rating is on: its request's (a 1-5 rating when it answers none).</summary>
    public FeedbackScale Scale { get; init; }

    public bool IsAnonymous => FromStakeholderId is null;

    /// <summary>The business was told: only a response closes the loop.</summary>
    public bool LoopClosed => Response is not null;

    /// <summary>Calendar days (UTC) from receipt to the response, or to <paramref name="today"/> while the loop is open.</summary>
    public int LoopOpenDays(DateOnly today) => (Response is { } r ? Day(r.SentAt) : today).DayNumber - Day(ReceivedAt).DayNumber;

    /// <summary>Still open, and received more than <paramref name="days"/> calendar days before <paramref name="today"/>.</summary>
    public bool LoopOpenMoreThan(int days, DateOnly today) => !LoopClosed && LoopOpenDays(today) > days;

    /// <summary>The first moment of the day from which a loop still open has been open for more than <paramref name="days"/> days.</summary>
    public static DateTimeOffset OpenMoreThanCutoff(int days, DateOnly today) => new(today.AddDays(-days).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>Days from receipt by which feedback should be acknowledged: after them the BRM's agenda shows it overdue.</summary>
    public const int AcknowledgeWithinDays = 2;

    /// <summary>
    /// Days from receipt by which the business should have been told (the loop closed): the BRM's agenda shows an
    /// open loop overdue after them, and GetFeedbackLoopStats counts loops open longer by default.
    /// </summary>
    public const int CloseLoopWithinDays = 30;

    public FeedbackItem WithVersion(long version) => this with { Version = version };

    /// <summary>
    /// The item as it stood at a moment, from the times its steps carry: null if not received yet; only the steps
    /// taken by then, the status they give, and the version it had (one event per step).
    /// </summary>
    public FeedbackItem? AsOf(DateTimeOffset moment)
    {
        if (ReceivedAt > moment)
        {
            return null;
        }

        FeedbackStep? Kept(FeedbackStep? step) => step is { } s && s.At <= moment ? s : null;
        var acknowledged = Kept(Acknowledged);
        var actioned = Kept(Actioned);
        var declined = Kept(Declined);
        var response = Response is { } r && r.SentAt <= moment ? r : null;
        var status = response is not null ? FeedbackStatus.Responded
            : declined is not null ? FeedbackStatus.Declined
            : actioned is not null ? FeedbackStatus.Actioned
            : acknowledged is not null ? FeedbackStatus.Acknowledged
            : FeedbackStatus.Received;
        DateTimeOffset?[] times = [ReceivedAt, acknowledged?.At, actioned?.At, declined?.At, response?.SentAt];
        return this with
        {
            Status = status,
            Acknowledged = acknowledged,
            Actioned = actioned,
            ActionedCommitmentId = actioned is null ? null : ActionedCommitmentId,
            Declined = declined,
            Response = response,
            UpdatedAt = times.Max()!.Value,
            Version = times.Count(t => t is not null),
        };
    }

    public static FeedbackItem Fold(FeedbackItem? state, object @event) => (state, @event) switch
    {
        (null, FeedbackReceived e) => new FeedbackItem(
            e.FeedbackId, e.RelationshipId, e.FromStakeholderId, e.Channel, e.Rating, e.Comment, e.About, e.FeedbackRequestId,
            FeedbackStatus.Received, e.ReceivedAt, e.RecordedBy, null, null, null, null, null, e.ReceivedAt, 1)
        {
            Scale = e.Scale,
        },
        (null, _) => throw new InvalidOperationException($"A feedback stream cannot start with {@event.GetType().Name}."),
        ({ } s, FeedbackAcknowledged e) => s with
        {
            Status = FeedbackStatus.Acknowledged,
            Acknowledged = new FeedbackStep(e.AcknowledgedAt, e.AcknowledgedBy, e.Note),
            UpdatedAt = e.AcknowledgedAt,
        },
        ({ } s, FeedbackActioned e) => s with
        {
            Status = FeedbackStatus.Actioned,
            ActionedCommitmentId = e.CommitmentId,
            Actioned = new FeedbackStep(e.ActionedAt, e.ActionedBy, null),
            UpdatedAt = e.ActionedAt,
        },
        ({ } s, FeedbackDeclined e) => s with
        {
            Status = FeedbackStatus.Declined,
            Declined = new FeedbackStep(e.DeclinedAt, e.DeclinedBy, e.Reason),
            UpdatedAt = e.DeclinedAt,
        },
        ({ } s, FeedbackResponseSent e) => s with
        {
            Status = FeedbackStatus.Responded,
            Response = new FeedbackResponse(e.SentAt, e.SentBy, e.Response, e.Channel, e.StakeholderIds),
            UpdatedAt = e.SentAt,
        },
        ({ } s, FeedbackTagsChanged e) => s with { Tags = Tagging.Apply(s.Tags, e.Added, e.Removed), UpdatedAt = e.ChangedAt },
        ({ } s, _) => s,
    };

    private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);
}
