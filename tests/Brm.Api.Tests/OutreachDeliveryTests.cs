using System.Globalization;
using Brm.Api.Hosting;
using Brm.Api.Outreach;
using Brm.Api.Tests.Support;
using Brm.V1;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Wolverine;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.PlanBuilders;

namespace Brm.Api.Tests;

/// <summary>The service with a real SMTP server (<see cref="SmtpSink"/>) as its mail server.</summary>
public class MailFixture : ApiFixture
{
    public const string From = "IT Relationship Management <brm@it.example>";

    public SmtpSink Smtp { get; private set; } = null!;

    /// <summary>The waits between attempts: long enough in all for a test to bring the server back.</summary>
    protected virtual IEnumerable<string> RetryDelays() => Enumerable.Repeat("00:00:00.500", 20);

    protected override IEnumerable<KeyValuePair<string, string>> Settings() => MailSettings(Smtp, RetryDelays());

    /// <summary>Mail to <paramref name="smtp"/>, retries after <paramref name="retryDelays"/>, short polling and node timeouts.</summary>
    public static IEnumerable<KeyValuePair<string, string>> MailSettings(SmtpSink smtp, IEnumerable<string> retryDelays) =>
    [
        new("Smtp:Host", "127.0.0.1"), new("Smtp:Port", smtp.Port.ToString(CultureInfo.InvariantCulture)), new("Smtp:From", From),
        new("Outreach:PollingInterval", "00:00:00.200"), new("Outreach:StaleNodeTimeout", "00:00:02"),
        .. retryDelays.Select((delay, i) => new KeyValuePair<string, string>($"Outreach:RetryDelays:{i}", delay)),
    ];

    protected override async Task<string> ConnectionStringAsync()
    {
        Smtp = await SmtpSink.StartAsync();
        return await base.ConnectionStringAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public static class OutreachInbox
{
    /// <summary>The most attempts Wolverine has made at a delivery still in its inbox (0 when none is).</summary>
    public static async Task<int> OutreachAttemptsAsync(this ApiFixture api)
    {
        await using var session = api.Store.QuerySession();
        var attempts = await session.QueryAsync<int>(
            $"select coalesce(max(attempts), 0) from {Messaging.Schema}.wolverine_incoming_envelopes where message_type like '%DeliverUpdate%'");
        return attempts.Single();
    }
}

/// <summary>A mail server that never comes back within the few retries this service makes.</summary>
public sealed class ShortRetriesMailFixture : MailFixture
{
    protected override IEnumerable<string> RetryDelays() => ["00:00:00.100", "00:00:00.100"];
}

/// <summary>
/// Delivery of a sent update through a real SMTP server: one message per recipient with a stable Message-Id, a
/// refused recipient recorded failed without holding the others back, the server down and back (delivered once,
/// after retries), a delivery handled again sending nothing, and (with <see cref="ShortRetriesMailFixture"/>) the
/// retries running out: failed, and on the BRM's agenda.
/// </summary>
public sealed class OutreachDeliveryTests(MailFixture api) : IClassFixture<MailFixture>
{
    private const string Subject = "Finance and IT, October";
    private const string Body = "# October\n\nThe **month-end report** is fixed: thank you, <Ana> & Ben.\n";

    [Fact]
    public async Task Each_recipient_gets_one_message_with_its_own_message_id_the_text_and_the_html()
    {
        var (brm, send) = await FinanceAsync(api, "ana@finance.example", "ben@finance.example");

        var sent = (await api.Outreach.SendUpdateAsync(send)).Update;
        var update = await api.DeliveredAsync(sent.Id);

        var messages = MessagesOf(api.Smtp, update);
        Assert.Equal(["ana@finance.example", "ben@finance.example"], messages.Select(m => Assert.Single(m.Recipients)));
        foreach (var ((message, recipients), delivery) in messages.Zip(update.Deliveries))
        {
            Assert.Equal((DeliveryStatus.Delivered, 1, message.MessageId), (delivery.Status, delivery.Attempts, delivery.MessageId));
            Assert.Equal(Subject, message.Subject);
            var from = Assert.Single(message.From.Mailboxes);
            Assert.Equal(("IT Relationship Management", "brm@it.example"), (from.Name, from.Address));
            var to = Assert.Single(message.To.Mailboxes);
            Assert.Equal((delivery.Recipient.Name, delivery.Recipient.Email), (to.Name, to.Address));
            Assert.Contains("The **month-end report** is fixed", message.TextBody, StringComparison.Ordinal);
            Assert.Contains("<strong>month-end report</strong>", message.HtmlBody, StringComparison.Ordinal);
            Assert.Contains("&lt;Ana&gt; &amp; Ben", message.HtmlBody, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", message.HtmlBody, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(update.SentAt.ToDateTimeOffset(), message.Date);
        }

        Assert.NotEqual(messages[0].Message.MessageId, messages[1].Message.MessageId);
        Assert.EndsWith("@it.example", messages[0].Message.MessageId, StringComparison.Ordinal);
        Assert.DoesNotContain((await Agenda(brm)).Entries, e => e.Kind == AgendaEntryKind.UpdateDelivery);
    }

    [Fact]
    public async Task A_recipient_the_server_refuses_is_failed_on_the_agenda_and_the_others_are_delivered()
    {
        var refused = $"{SmtpSink.RefusedMarker}@finance.example";
        var (brm, send) = await FinanceAsync(api, "ana@finance.example", refused, "ben@finance.example");

        var update = await api.DeliveredAsync((await api.Outreach.SendUpdateAsync(send)).Update.Id);

        Assert.Equal(
            [DeliveryStatus.Delivered, DeliveryStatus.Failed, DeliveryStatus.Delivered],
            update.Deliveries.Select(d => d.Status));
        Assert.StartsWith("550", update.Deliveries[1].Detail, StringComparison.Ordinal);
        Assert.Equal(["ana@finance.example", "ben@finance.example"], MessagesOf(api.Smtp, update).Select(m => Assert.Single(m.Recipients)));

        var entry = Assert.Single((await Agenda(brm)).Entries, e => e.Kind == AgendaEntryKind.UpdateDelivery);
        Assert.Equal((update.Id, update.RelationshipId, "brm.v1.OutreachService/SendUpdate"), (entry.SubjectId, entry.RelationshipId, entry.ActsOn));
        Assert.Contains(refused, entry.What, StringComparison.Ordinal);
        Assert.Contains("550", entry.What, StringComparison.Ordinal);
    }

    [Fact]
    public async Task While_the_server_is_down_delivery_waits_and_retries_then_each_recipient_gets_one_message()
    {
        var (_, send) = await FinanceAsync(api, "ana@finance.example", "ben@finance.example");
        await api.Smtp.StopAsync();
        Update sent;
        try
        {
            sent = (await api.Outreach.SendUpdateAsync(send)).Update;

            // Tried, refused at the door, tried again: still pending, nothing lost.
            await Until(async () => await api.OutreachAttemptsAsync() >= 2);
            var pending = (await api.Outreach.GetUpdateAsync(new GetUpdateRequest { UpdateId = sent.Id })).Update;
            Assert.All(pending.Deliveries, d => Assert.Equal(DeliveryStatus.Pending, d.Status));
        }
        finally
        {
            await api.Smtp.RestartAsync();
        }

        var update = await api.DeliveredAsync(sent.Id);

        Assert.All(update.Deliveries, d => Assert.Equal(DeliveryStatus.Delivered, d.Status));
        Assert.All(update.Deliveries, d => Assert.True(d.Attempts >= 2, $"delivered on attempt {d.Attempts}"));
        Assert.Equal(["ana@finance.example", "ben@finance.example"], MessagesOf(api.Smtp, update).Select(m => Assert.Single(m.Recipients)));
    }

    [Fact]
    public async Task Handling_a_delivered_update_again_sends_nothing()
    {
        var (_, send) = await FinanceAsync(api, "ana@finance.example");
        var update = await api.DeliveredAsync((await api.Outreach.SendUpdateAsync(send)).Update.Id);
        var events = await api.EventCountAsync();

        // As a retry after a crash would: the same message, handled again, to the end.
        using (var scope = api.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new DeliverUpdate(Guid.Parse(update.Id)));
        }

        Assert.Single(MessagesOf(api.Smtp, update));
        Assert.Equal(events, await api.EventCountAsync());
        Assert.Equal(update, (await api.Outreach.GetUpdateAsync(new GetUpdateRequest { UpdateId = update.Id })).Update);
    }

    /// <summary>A department of its own BRM with a monthly email update and a stakeholder per address; the update to send to them.</summary>
    internal static async Task<(string Brm, SendUpdateRequest Send)> FinanceAsync(ApiFixture api, params string[] addresses)
    {
        var brm = UniqueManager();
        api.Clock.Set(On(2026, 10, 1));
        var relationship = await api.Relationships.RegisterAsync("Finance", brm);
        var request = new SendUpdateRequest { RelationshipId = relationship.Id, Subject = Subject, BodyMarkdown = Body };
        foreach (var (address, i) in addresses.Select((a, i) => (a, i)))
        {
            var name = address.StartsWith(SmtpSink.RefusedMarker, StringComparison.Ordinal) ? "Nobody" : CultureInfo.InvariantCulture.TextInfo.ToTitleCase(address.Split('@')[0]);
            request.StakeholderIds.Add((await api.Relationships.AddStakeholderAsync(Stakeholder(relationship, $"{name} {i}", StakeholderLevel.Staff, address))).StakeholderId);
        }

        request.PlanItemId = (await api.Plans.AddPlanItemAsync(Item(relationship.Id, "IT update", Cadence.Monthly, Channel.Email, new DateOnly(2026, 10, 1)))).PlanItemId;
        api.Clock.Set(On(2026, 10, 30));
        return (brm, request);
    }

    /// <summary>The messages the server accepted for this update (by the Message-Ids the update recorded), in recipient order.</summary>
    internal static List<(MimeMessage Message, IReadOnlyList<string> Recipients)> MessagesOf(SmtpSink smtp, Update update)
    {
        var order = update.Deliveries.Select(d => d.Recipient.Email).ToList();
        var ids = update.Deliveries.Select(d => d.MessageId).Where(id => id.Length > 0).ToHashSet();
        return [.. smtp.Messages().Where(m => ids.Contains(m.Message.MessageId ?? "")).OrderBy(m => order.IndexOf(m.Recipients[0]))];
    }

    internal static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within a minute");
            await Task.Delay(20);
        }
    }

    private Task<GetAgendaResponse> Agenda(string brm) => api.Plans.GetAgendaAsync(new GetAgendaRequest { Manager = brm }).ResponseAsync;
}

/// <summary>The mail server never comes back: after the last retry, every recipient is failed and on the BRM's agenda.</summary>
public sealed class OutreachDeliveryGivesUpTests(ShortRetriesMailFixture api) : IClassFixture<ShortRetriesMailFixture>
{
    [Fact]
    public async Task After_the_last_retry_each_recipient_is_failed_and_on_the_agenda()
    {
        var (brm, send) = await OutreachDeliveryTests.FinanceAsync(api, "ana@finance.example", "ben@finance.example");
        await api.Smtp.StopAsync();

        var update = await api.DeliveredAsync((await api.Outreach.SendUpdateAsync(send)).Update.Id);

        Assert.All(update.Deliveries, d => Assert.Equal((DeliveryStatus.Failed, 3), (d.Status, d.Attempts)));
        Assert.All(update.Deliveries, d => Assert.StartsWith("undeliverable after 3 attempts", d.Detail, StringComparison.Ordinal));
        var agenda = await api.Plans.GetAgendaAsync(new GetAgendaRequest { Manager = brm });
        Assert.Equal(2, agenda.Entries.Count(e => e.Kind == AgendaEntryKind.UpdateDelivery && e.SubjectId == update.Id));
    }
}
