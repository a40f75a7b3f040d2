using Brm.Domain.Outreach;

namespace Brm.Domain.Tests;

/// <summary>An update as it stood at a moment: not yet sent, sent with deliveries pending, delivered.</summary>
public sealed class UpdateAsOfSpecs
{
    private static readonly DateTimeOffset Sent = new(2026, 10, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Before_it_was_sent_it_is_not_there_and_a_delivery_recorded_later_is_pending()
    {
        var id = Guid.NewGuid();
        var relationship = Guid.NewGuid();
        var update = new object[]
        {
            new UpdateSent(id, relationship, Guid.NewGuid(), new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 30), "October", "Hello.", [],
                [new UpdateRecipient(null, "", "ana@x.example"), new UpdateRecipient(null, "", "ben@x.example")], Guid.NewGuid(), "jo", Sent),
            new UpdateDelivered(id, relationship, "ana@x.example", "m1", 1, "outreach", Sent.AddMinutes(1)),
            new UpdateDeliveryFailed(id, relationship, "ben@x.example", "m2", "550 no such mailbox", 1, "outreach", Sent.AddMinutes(2)),
        }.Aggregate((Update?)null, Update.Fold)!;

        Assert.Null(update.AsOf(Sent.AddTicks(-1)));
        Assert.Equal([DeliveryStatus.Pending, DeliveryStatus.Pending], update.AsOf(Sent)!.Deliveries.Select(d => d.Status));
        var between = update.AsOf(Sent.AddMinutes(1))!;
        Assert.Equal([DeliveryStatus.Delivered, DeliveryStatus.Pending], between.Deliveries.Select(d => d.Status));
        Assert.False(between.HasFailedDeliveries);
        Assert.Equal((null, 0), (between.Deliveries[1].MessageId, between.Deliveries[1].Attempts));
        Assert.Equal(update.Deliveries, update.AsOf(Sent.AddMinutes(2))!.Deliveries);
    }
}
