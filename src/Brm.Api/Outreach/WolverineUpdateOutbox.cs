using Brm.Domain.Outreach;
using Marten;
using Wolverine.Marten;
using Wolverine.Runtime;

namespace Brm.Api.Outreach;

/// <summary>
/// Queues a sent update's delivery with Wolverine's Marten outbox: the <see cref="DeliverUpdate"/> message is stored
/// by the sending session, in its transaction, and handed to the local durable queue once it commits.
/// </summary>
public sealed class WolverineUpdateOutbox(IWolverineRuntime runtime) : IUpdateOutbox
{
    public async Task EnqueueAsync(IDocumentSession session, UpdateSent sent, CancellationToken ct)
    {
        var outbox = new MartenOutbox(runtime, session);
        await outbox.SendAsync(new DeliverUpdate(sent.UpdateId));
    }
}
