using Brm.Domain.Outreach;
using Marten;

namespace Brm.Api.Outreach;

/// <summary>
/// Where a sent update's deliveries are queued: in the sending session, so they commit (or not) with the
/// <see cref="UpdateSent"/> event, and are delivered after the commit, once per recipient.
/// </summary>
public interface IUpdateOutbox
{
    Task EnqueueAsync(IDocumentSession session, UpdateSent sent, CancellationToken ct);
}
