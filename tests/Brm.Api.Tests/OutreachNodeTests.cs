using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Net.Client;
using static Brm.Api.Tests.OutreachDeliveryTests;

namespace Brm.Api.Tests;

/// <summary>
/// Delivery with several nodes on one database: each recipient gets one message whichever node sent the update and
/// whichever node retries it, and the deliveries of a node killed before it could deliver are delivered by another,
/// once.
/// </summary>
public sealed class OutreachNodeTests : IAsyncLifetime
{
    private static readonly string[] Retries = [.. Enumerable.Repeat("00:00:00.500", 20)];

    private SmtpSink _smtp = null!;
    private string _connectionString = "";

    /// <summary>One node: the service on the shared database, mailing the shared server.</summary>
    private sealed class Node(string connectionString, SmtpSink smtp) : ApiFixture
    {
        protected override Task<string> ConnectionStringAsync() => Task.FromResult(connectionString);

        protected override IEnumerable<KeyValuePair<string, string>> Settings() => MailFixture.MailSettings(smtp, Retries);
    }

    public async Task InitializeAsync()
    {
        _smtp = await SmtpSink.StartAsync();
        _connectionString = await TestPostgres.CreateDatabaseAsync();
    }

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task Two_nodes_sending_and_retrying_while_the_server_is_down_deliver_each_recipient_once()
    {
        Node a = new(_connectionString, _smtp), b = new(_connectionString, _smtp);
        await a.InitializeAsync();
        await b.InitializeAsync();
        try
        {
            var sends = new List<SendUpdateRequest>();
            for (var i = 0; i < 6; i++)
            {
                sends.Add((await FinanceAsync(a, $"ana.{i}@finance.example", $"ben.{i}@finance.example")).Send);
            }

            await _smtp.StopAsync();
            var updates = new List<string>();
            try
            {
                foreach (var (send, i) in sends.Select((s, i) => (s, i)))
                {
                    updates.Add((await (i % 2 == 0 ? a : b).Outreach.SendUpdateAsync(send)).Update.Id);
                }

                await Until(async () => await a.OutreachAttemptsAsync() >= 2);
            }
            finally
            {
                await _smtp.RestartAsync();
            }

            var delivered = new List<Update>();
            foreach (var id in updates)
            {
                delivered.Add(await a.DeliveredAsync(id));
            }

            Assert.All(delivered.SelectMany(u => u.Deliveries), d => Assert.Equal(DeliveryStatus.Delivered, d.Status));
            var messageIds = _smtp.Messages().Select(m => m.Message.MessageId).ToList();
            Assert.Equal(12, messageIds.Count);
            Assert.Equal(delivered.SelectMany(u => u.Deliveries).Select(d => d.MessageId).Order(), messageIds.Order());
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_node_killed_before_it_delivered_leaves_its_deliveries_to_another_which_sends_them_once()
    {
        var survivor = new Node(_connectionString, _smtp);
        await survivor.InitializeAsync();
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"brm-outreach-node-{Guid.NewGuid():N}");
        try
        {
            var (_, send) = await FinanceAsync(survivor, "ana@finance.example", "ben@finance.example");
            await _smtp.StopAsync();

            // The node that sends: a service process of its own, killed once it has tried the server and failed.
            var settings = new Dictionary<string, string>
            {
                ["ConnectionStrings__Marten"] = _connectionString, ["BRM_DATA_DIR"] = dataDirectory, ["Auth__AllowDevTokens"] = "true",
            };
            foreach (var (key, value) in MailFixture.MailSettings(_smtp, Retries))
            {
                settings[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }

            string id;
            await using (var doomed = ServiceProcess.Start(settings))
            {
                using var channel = GrpcChannel.ForAddress(await doomed.AddressAsync(), new GrpcChannelOptions
                {
                    HttpHandler = new BearerHandler(new DevTokens(dataDirectory).Issue("admin.dev", Role.Admin, TimeSpan.FromHours(1)), new SocketsHttpHandler()),
                });
                id = (await new OutreachService.OutreachServiceClient(channel).SendUpdateAsync(send)).Update.Id;
                await Until(async () => await survivor.OutreachAttemptsAsync() >= 1);
                await doomed.KillAsync();
            }

            var pending = (await survivor.Outreach.GetUpdateAsync(new GetUpdateRequest { UpdateId = id })).Update;
            Assert.All(pending.Deliveries, d => Assert.Equal(DeliveryStatus.Pending, d.Status));
            await _smtp.RestartAsync();

            var update = await survivor.DeliveredAsync(id);

            Assert.All(update.Deliveries, d => Assert.Equal(DeliveryStatus.Delivered, d.Status));
            Assert.Equal(["ana@finance.example", "ben@finance.example"], MessagesOf(_smtp, update).Select(m => Assert.Single(m.Recipients)));
            Assert.Equal(2, _smtp.Messages().Count);
        }
        finally
        {
            await survivor.DisposeAsync();
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }
}
