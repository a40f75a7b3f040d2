using System.Collections.Immutable;
using Brm.Domain.Tags;

namespace Brm.Domain.Commitments;

/// <summary>One step of a commitment's history, as GetCommitment shows it; a telling says what, how and to whom.</summary>
public sealed record CommitmentChange(
    CommitmentChangeKind Kind,
    string By,
    DateTimeOffset At,
    string? Text = null,
    DateOnly? PreviousDueDate = null,
    DateOnly? DueDate = null,
    CommitmentOutcome? Outcome = null,
    Channel? Channel = null,
    IReadOnlyList<Guid>? StakeholderIds = null);

public enum CommitmentChangeKind
{
    Made = 1,
    Started = 2,
    Renegotiated = 3,
    Delivered = 4,
    Cancelled = 5,
    BusinessInformed = 6,
}

/// <summary>
/// A promise and everything that happened to it: the state decisions read and, stored inline, the document
/// GetCommitment, ListCommitments and the figures read. Overdue and on time are derived from dates, never
/// stored. Its relationship and owner columns lead the list's indexes (BrmDomain.Configure).
/// </summary>
[DuplicatedWithoutIndex(nameof(RelationshipId), nameof(Owner))]
public sealed record Commitment(
    Guid Id,
    Guid RelationshipId,
    string Title,
    string? Description,
    string Owner,
    DateOnly DueDate,
    CommitmentDirection Direction,
    CommitmentSource Source,
    bool VisibleToBusiness,
    CommitmentStatus Status,
    int Renegotiations,
    DateTimeOffset MadeAt,
    DateTimeOffset? ClosedAt,
    string? ClosingNote,
    ImmutableList<CommitmentChange> History,
    DateTimeOffset UpdatedAt,
    long Version) : IEventSourced<Commitment>
{
    public bool IsClosed => Status is CommitmentStatus.Delivered or CommitmentStatus.Cancelled;

    /// <summary>Open or in progress, and its due date has passed.</summary>
    public bool IsOverdue(DateOnly today) => !IsClosed && DueDate < today;

    /// <summary>Delivered on or before the due date in force when it was delivered.</summary>
    public bool? DeliveredOnTime() =>
        Status == CommitmentStatus.Delivered && ClosedAt is { } delivered ? DateOnly.FromDateTime(delivered.UtcDateTime) <= DueDate : null;

    /// <summary>The newest outcome the business could be told of, if any.</summary>
    public CommitmentOutcome? LatestOutcome() => Status switch
    {
        CommitmentStatus.Delivered => CommitmentOutcome.Delivered,
        CommitmentStatus.Cancelled => CommitmentOutcome.Cancelled,
        _ when Renegotiations > 0 => CommitmentOutcome.Renegotiated,
        _ => null,
    };

    /// <summary>Whether the business has been told of the latest outcome.</summary>
    public bool OutcomeTold() => LatestOutcome() is { } outcome && Tellings().Any(t => t.Outcome == outcome);

    /// <summary>When the business was first told how a closed commitment ended; null while untold (or open).</summary>
    public DateTimeOffset? ClosingToldAt() =>
        IsClosed ? Tellings().Where(t => t.Outcome == LatestOutcome()).Select(t => (DateTimeOffset?)t.At).Min() : null;

    private IEnumerable<CommitmentChange> Tellings() => History.Where(h => h.Kind == CommitmentChangeKind.BusinessInformed);

    /// <summary>The tags it carries, sorted (see <see cref="Brm.Domain.Tags.Tagging"/>).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    public Commitment WithVersion(long version) => this with { Version = version };

    /// <summary>
    /// The commitment as it stood at a moment, from its history: null if not made yet; the due date then in force;
    /// open, in progress or closed as of then. Health "30 days ago" reads it.
    /// </summary>
    public Commitment? AsOf(DateTimeOffset moment)
    {
        if (MadeAt > moment)
        {
            return null;
        }

        var happened = History.Where(h => h.At <= moment).ToImmutableList();
        var renegotiations = happened.Where(h => h.Kind == CommitmentChangeKind.Renegotiated).ToList();
        var closing = happened.LastOrDefault(h => h.Kind is CommitmentChangeKind.Delivered or CommitmentChangeKind.Cancelled);
        var status = closing?.Kind switch
        {
            CommitmentChangeKind.Delivered => CommitmentStatus.Delivered,
            CommitmentChangeKind.Cancelled => CommitmentStatus.Cancelled,
            _ when happened.Any(h => h.Kind == CommitmentChangeKind.Started) => CommitmentStatus.InProgress,
            _ => CommitmentStatus.Open,
        };
        return this with
        {
            DueDate = renegotiations.LastOrDefault()?.DueDate ?? happened[0].DueDate ?? DueDate,
            Renegotiations = renegotiations.Count,
            Status = status,
            ClosedAt = closing?.At,
            ClosingNote = closing?.Text,
            History = happened,
        };
    }

    public static Commitment Fold(Commitment? state, object @event) => (state, @event) switch
    {
        (null, CommitmentMade e) => new Commitment(
            e.CommitmentId, e.RelationshipId, e.Title, e.Description, e.Owner, e.DueDate, e.Direction, e.Source, e.VisibleToBusiness,
            CommitmentStatus.Open, 0, e.MadeAt, null, null, [new CommitmentChange(CommitmentChangeKind.Made, e.MadeBy, e.MadeAt, e.Title, DueDate: e.DueDate)],
            e.MadeAt, 1),
        (null, _) => throw new InvalidOperationException($"A commitment stream cannot start with {@event.GetType().Name}."),
        ({ } s, CommitmentStarted e) => s.Changed(new CommitmentChange(CommitmentChangeKind.Started, e.StartedBy, e.StartedAt)) with
        {
            Status = CommitmentStatus.InProgress,
        },
        ({ } s, DueDateRenegotiated e) => s.Changed(new CommitmentChange(
            CommitmentChangeKind.Renegotiated, e.RenegotiatedBy, e.RenegotiatedAt, e.Reason, e.PreviousDueDate, e.DueDate)) with
        {
            DueDate = e.DueDate,
            Renegotiations = s.Renegotiations + 1,
        },
        ({ } s, CommitmentDelivered e) => s.Changed(new CommitmentChange(CommitmentChangeKind.Delivered, e.DeliveredBy, e.DeliveredAt, e.Note)) with
        {
            Status = CommitmentStatus.Delivered,
            ClosedAt = e.DeliveredAt,
            ClosingNote = e.Note,
        },
        ({ } s, CommitmentCancelled e) => s.Changed(new CommitmentChange(CommitmentChangeKind.Cancelled, e.CancelledBy, e.CancelledAt, e.Reason)) with
        {
            Status = CommitmentStatus.Cancelled,
            ClosedAt = e.CancelledAt,
            ClosingNote = e.Reason,
        },
        ({ } s, BusinessInformed e) => s.Changed(new CommitmentChange(
            CommitmentChangeKind.BusinessInformed, e.InformedBy, e.InformedAt, e.Message, Outcome: e.Outcome, Channel: e.Channel,
            StakeholderIds: e.StakeholderIds)),
        ({ } s, CommitmentTagsChanged e) => s with { Tags = Tagging.Apply(s.Tags, e.Added, e.Removed), UpdatedAt = e.ChangedAt },
        ({ } s, _) => s,
    };

    private Commitment Changed(CommitmentChange change) => this with { History = History.Add(change), UpdatedAt = change.At };
}
