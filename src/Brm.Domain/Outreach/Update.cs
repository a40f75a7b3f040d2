using System.Collections.Immutable;

namespace Brm.Domain.Outreach;

/// <summary>Where one recipient's copy of an update stands. The numbers match brm.v1.DeliveryStatus.</summary>
public enum DeliveryStatus
{
    /// <summary>Waiting in the outbox, or being retried while the mail server is unreachable.</summary>
    Pending = 1,

    /// <summary>Accepted by the mail server, or written to the pickup folder.</summary>
    Delivered = 2,

    /// <summary>Refused for good, or still undeliverable after every retry.</summary>
    Failed = 3,
}

/// <summary>
/// One recipient's copy: pending until the mail server accepts it (delivered, with its Message-Id and when) or gives
/// up on it (failed, with why). <paramref name="Attempts"/> is how many times it was tried.
/// </summary>
public sealed record UpdateDelivery(
    UpdateRecipient Recipient, DeliveryStatus Status, string? MessageId, DateTimeOffset? At, string? Detail, int Attempts);

/// <summary>
/// An update that went out, and each recipient's delivery, as its stream made it: stored inline, the document GetUpdate,
/// ListUpdates and the BRM's agenda read. <see cref="HasFailedDeliveries"/> is kept (and indexed) so that the agenda
/// finds the updates with a recipient still failed without reading the others.
/// </summary>
[DuplicatedWithoutIndex(nameof(RelationshipId))]
public sealed record Update(
    Guid Id,
    Guid RelationshipId,
    Guid PlanItemId,
    DateOnly PeriodFrom,
    DateOnly PeriodTo,
    string Subject,
    string BodyMarkdown,
    IReadOnlyList<UpdateFact> Facts,
    ImmutableList<UpdateDelivery> Deliveries,
    Guid CommunicationId,
    string SentBy,
    DateTimeOffset SentAt,
    bool HasFailedDeliveries,
    DateTimeOffset UpdatedAt,
    long Version) : IEventSourced<Update>
{
    /// <summary>Every event of an update's stream.</summary>
    public static readonly IReadOnlyList<Type> Events = [typeof(UpdateSent), typeof(UpdateDelivered), typeof(UpdateDeliveryFailed)];

    public IEnumerable<UpdateDelivery> FailedDeliveries() => Deliveries.Where(d => d.Status == DeliveryStatus.Failed);

    public Update WithVersion(long version) => this with { Version = version };

    public static Update Fold(Update? state, object @event) => (state, @event) switch
    {
        (null, UpdateSent e) => new Update(
            e.UpdateId, e.RelationshipId, e.PlanItemId, e.PeriodFrom, e.PeriodTo, e.Subject, e.BodyMarkdown, e.Facts,
            [.. e.Recipients.Select(r => new UpdateDelivery(r, DeliveryStatus.Pending, null, null, null, 0))],
            e.CommunicationId, e.SentBy, e.SentAt, false, e.SentAt, 1),
        (null, _) => throw new InvalidOperationException($"An update stream cannot start with {@event.GetType().Name}."),
        ({ } s, UpdateDelivered e) => s.Settled(e.Email, e.DeliveredAt, d => d with
        {
            Status = DeliveryStatus.Delivered, MessageId = e.MessageId, At = e.DeliveredAt, Detail = null, Attempts = e.Attempts,
        }),
        ({ } s, UpdateDeliveryFailed e) => s.Settled(e.Email, e.FailedAt, d => d with
        {
            Status = DeliveryStatus.Failed, MessageId = e.MessageId, At = e.FailedAt, Detail = e.Reason, Attempts = e.Attempts,
        }),
        ({ } s, _) => s,
    };

    /// <summary>
    /// The update as it stood at <paramref name="moment"/>: null when it had not been sent; a delivery recorded later is
    /// pending.
    /// </summary>
    public Update? AsOf(DateTimeOffset moment)
    {
        if (SentAt > moment)
        {
            return null;
        }

        var deliveries = Deliveries
            .Select(d => d.At > moment ? d with { Status = DeliveryStatus.Pending, MessageId = null, At = null, Detail = null, Attempts = 0 } : d)
            .ToImmutableList();
        return this with
        {
            Deliveries = deliveries,
            HasFailedDeliveries = deliveries.Any(d => d.Status == DeliveryStatus.Failed),
            UpdatedAt = deliveries.Select(d => d.At).Append(SentAt).Max() ?? SentAt,
        };
    }

    // The recipient with this address (addresses compare case-insensitively, as recipients were collapsed by them).
    private Update Settled(string email, DateTimeOffset at, Func<UpdateDelivery, UpdateDelivery> settle)
    {
        var deliveries = Deliveries
            .Select(d => string.Equals(d.Recipient.Email, email, StringComparison.OrdinalIgnoreCase) ? settle(d) : d)
            .ToImmutableList();
        return this with
        {
            Deliveries = deliveries,
            HasFailedDeliveries = deliveries.Any(d => d.Status == DeliveryStatus.Failed),
            UpdatedAt = at > UpdatedAt ? at : UpdatedAt,
        };
    }
}
