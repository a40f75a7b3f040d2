using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

public sealed class FeedTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly RelationshipService.RelationshipServiceClient _client = api.Relationships;

    [Fact]
    public async Task The_backlog_arrives_typed_in_position_order_then_caught_up()
    {
        var correlation = "feed-" + Guid.NewGuid().ToString("N");
        var finance = (await _client.RegisterDepartmentAsync(
            new RegisterDepartmentRequest { Code = UniqueCode("fin"), Name = "Finance", Manager = "brm.jane" },
            new Metadata { { "x-correlation-id", correlation } })).Relationship;
        var alice = await _client.AddStakeholderAsync(Stakeholder(finance, "Alice Smith", StakeholderLevel.Executive, "alice@example.com"));
        await api.WaitForProjectionsAsync();

        var messages = await ReadAllAsync(new StreamEventsRequest { RelationshipIds = { finance.Id } });

        var events = messages.Where(m => m.ItemCase == StreamEventsResponse.ItemOneofCase.Event).Select(m => m.Event).ToList();
        Assert.Equal(["department_registered", "stakeholder_added"], events.Select(e => e.EventType));
        Assert.True(events[0].Position < events[1].Position);
        Assert.Equal("Finance", events[0].Payload.DepartmentRegistered.Name);
        Assert.Equal(correlation, events[0].CorrelationId);
        Assert.Equal(ApiFixture.AdminName, events[0].Actor);
        Assert.Equal((finance.Id, 1L), (events[0].StreamId, events[0].StreamVersion));
        Assert.Equal(alice.StakeholderId, events[1].Payload.StakeholderAdded.StakeholderId);
        Assert.Equal(StakeholderLevel.Executive, events[1].Payload.StakeholderAdded.Level);
        Assert.Equal(StreamEventsResponse.ItemOneofCase.CaughtUp, messages[^1].ItemCase);
        Assert.Single(messages, m => m.ItemCase == StreamEventsResponse.ItemOneofCase.CaughtUp);
    }

    [Fact]
    public async Task A_relationship_filter_keeps_the_departments_other_streams_and_leaves_out_events_of_no_department()
    {
        var sales = await _client.RegisterAsync("Sales");
        var due = DateOnly.FromDateTime(api.Clock.GetUtcNow().UtcDateTime).AddDays(7);
        await api.Commitments.MakeCommitmentAsync(CommitmentBuilders.Commitment(sales, "Price list", due));
        var brm = new OutreachService.OutreachServiceClient(api.ChannelAs("brm.feedfilter", Role.Brm));
        await brm.SetDigestPreferencesAsync(new SetDigestPreferencesRequest
        {
            Manager = "brm.feedfilter", Email = "feedfilter@it.example", Day = Weekday.Monday, Hour = 9, TimeZone = "UTC",
        });
        await api.WaitForProjectionsAsync();

        var filtered = Events(await ReadAllAsync(new StreamEventsRequest { RelationshipIds = { sales.Id } }));
        var digests = Events(await ReadAllAsync(new StreamEventsRequest { EventTypes = { "digest_preferences_set" } }));

        Assert.Equal(["department_registered", "commitment_made"], filtered.Select(e => e.EventType));
        Assert.NotEqual(sales.Id, filtered[1].StreamId);
        Assert.All(filtered, e => Assert.Equal(sales.Id, e.RelationshipId));
        Assert.Contains(digests, e => e.Payload.DigestPreferencesSet.Manager == "brm.feedfilter" && e.RelationshipId == "");
    }

    [Fact]
    public async Task Resuming_after_a_saved_position_misses_nothing_and_repeats_nothing()
    {
        var legal = await _client.RegisterAsync("Legal");
        for (var i = 0; i < 5; i++)
        {
            await _client.AddStakeholderAsync(Stakeholder(legal, $"Person {i}", StakeholderLevel.Staff));
        }

        await api.WaitForProjectionsAsync();
        var all = Events(await ReadAllAsync(new StreamEventsRequest { RelationshipIds = { legal.Id } }));

        var resumed = Events(await ReadAllAsync(new StreamEventsRequest { After = all[2].Position, RelationshipIds = { legal.Id } }));

        Assert.Equal(6, all.Count);
        Assert.Equal(all.Skip(3).Select(e => e.Position), resumed.Select(e => e.Position));
    }

    [Fact]
    public async Task A_type_filter_passes_over_other_events_with_checkpoints()
    {
        var ops = await _client.RegisterAsync("Operations");
        await _client.RenameDepartmentAsync(new RenameDepartmentRequest { RelationshipId = ops.Id, Name = "Ops" });
        await _client.AddStakeholderAsync(Stakeholder(ops, "Gus", StakeholderLevel.Manager));
        await api.WaitForProjectionsAsync();

        var messages = await ReadAllAsync(new StreamEventsRequest { EventTypes = { "department_renamed" }, RelationshipIds = { ops.Id } });

        var renamed = Assert.Single(Events(messages));
        Assert.Equal("Ops", renamed.Payload.DepartmentRenamed.Name);
        var caughtUp = messages[^1].CaughtUp.Position;
        Assert.True(messages.Where(m => m.ItemCase == StreamEventsResponse.ItemOneofCase.Checkpoint).Any(m => m.Checkpoint.Position == caughtUp),
            "the position reached past filtered-out events is checkpointed");
    }

    [Fact]
    public async Task A_follower_receives_new_events_then_idle_checkpoints()
    {
        var hr = await _client.RegisterAsync("HR");
        await api.WaitForProjectionsAsync();
        var received = new List<StreamEventsResponse>();
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = api.Reporting.StreamEvents(
            new StreamEventsRequest { Follow = true, RelationshipIds = { hr.Id } }, cancellationToken: done.Token);

        var failure = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var message in call.ResponseStream.ReadAllAsync(done.Token))
            {
                received.Add(message);
                if (message.ItemCase == StreamEventsResponse.ItemOneofCase.CaughtUp)
                {
                    await _client.AddStakeholderAsync(Stakeholder(hr, "Hana", StakeholderLevel.Staff));
                }

                if (message.ItemCase == StreamEventsResponse.ItemOneofCase.Checkpoint && Events(received).Count == 2)
                {
                    await done.CancelAsync();
                }
            }
        });

        Assert.Equal(StatusCode.Cancelled, failure.StatusCode);
        Assert.Equal(["department_registered", "stakeholder_added"], Events(received).Select(e => e.EventType));
        Assert.Equal(StreamEventsResponse.ItemOneofCase.Checkpoint, received[^1].ItemCase);
        Assert.True(received[^1].Checkpoint.Position >= Events(received)[^1].Position);
    }

    // Over TCP: the in-memory test server drops the trailers of a stream reset just after them (grpc-dotnet ends a
    // call past its deadline with DEADLINE_EXCEEDED trailers, then a reset), which a client on a wire does not.
    [Fact]
    public async Task A_follow_ends_with_deadline_exceeded_when_its_deadline_passes()
    {
        await using var host = await TcpHost.StartAsync();
        var reporting = new ReportingService.ReportingServiceClient(host.ChannelAs("reporter.bi", Brm.Api.Security.Role.Reporter));
        using var call = reporting.StreamEvents(new StreamEventsRequest { Follow = true }, deadline: DateTime.UtcNow.AddSeconds(1.5));
        var received = new List<StreamEventsResponse>();

        var failure = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var message in call.ResponseStream.ReadAllAsync())
            {
                received.Add(message);
            }
        });

        Assert.Equal(StatusCode.DeadlineExceeded, failure.StatusCode);
        Assert.Contains(received, m => m.ItemCase == StreamEventsResponse.ItemOneofCase.CaughtUp);
    }

    [Fact]
    public async Task Eight_writers_and_a_late_committing_transaction_reach_a_follower_exactly_once_in_order()
    {
        var departments = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => _client.RegisterAsync($"Writer {i}")));
        var heldBack = await _client.RegisterAsync("Held back");
        await api.WaitForProjectionsAsync();
        var start = Events(await ReadAllAsync(new StreamEventsRequest()))[^1].Position;
        var ids = departments.Select(d => d.Id).Append(heldBack.Id).ToHashSet();

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = api.Reporting.StreamEvents(new StreamEventsRequest { After = start, Follow = true }, cancellationToken: cancel.Token);
        var expected = 8 * 10 + 1;
        var reader = Task.Run(async () =>
        {
            var seen = new List<FeedEvent>();
            await foreach (var message in call.ResponseStream.ReadAllAsync(cancel.Token))
            {
                if (message.ItemCase == StreamEventsResponse.ItemOneofCase.Event && ids.Contains(message.Event.RelationshipId))
                {
                    seen.Add(message.Event);
                    if (seen.Count == expected)
                    {
                        return seen;
                    }
                }
            }

            return seen;
        });

        // A transaction that draws its sequence number first and commits after every other writer.
        await using var held = await HeldAppend.StartAsync(api.Store, api.ConnectionString, Guid.Parse(heldBack.Id));
        await Task.WhenAll(departments.Select(async d =>
        {
            for (var i = 0; i < 10; i++)
            {
                await _client.AddStakeholderAsync(Stakeholder(d, $"Person {i}", StakeholderLevel.Staff));
            }
        }));
        await held.CommitAsync();

        var seen = await reader;
        Assert.Equal(expected, seen.Count);
        Assert.Equal(seen.Select(e => e.Position).Order(), seen.Select(e => e.Position));
        Assert.Equal(seen.Count, seen.Select(e => e.Position).Distinct().Count());
        Assert.Contains(seen, e => e.Position == held.Position);
        Assert.True(seen.Any(e => e.Position > held.Position), "later-numbered events committed before the held one");
    }

    [Fact]
    public async Task Unknown_event_types_and_malformed_ids_are_invalid_argument()
    {
        var types = await FailsWith(StatusCode.InvalidArgument, async () =>
            await ReadAllAsync(new StreamEventsRequest { EventTypes = { "meeting_teleported" } }));
        var ids = await FailsWith(StatusCode.InvalidArgument, async () =>
            await ReadAllAsync(new StreamEventsRequest { RelationshipIds = { "finance" }, After = -1 }));

        Assert.Equal(["event_types[0]"], types.ViolatedFields());
        Assert.Equal(["after", "relationship_ids[0]"], ids.ViolatedFields().Order());
    }

    private async Task<List<StreamEventsResponse>> ReadAllAsync(StreamEventsRequest request)
    {
        using var call = api.Reporting.StreamEvents(request, deadline: DateTime.UtcNow.AddSeconds(30));
        var messages = new List<StreamEventsResponse>();
        await foreach (var message in call.ResponseStream.ReadAllAsync())
        {
            messages.Add(message);
        }

        return messages;
    }

    private static List<FeedEvent> Events(IEnumerable<StreamEventsResponse> messages) =>
        messages.Where(m => m.ItemCase == StreamEventsResponse.ItemOneofCase.Event).Select(m => m.Event).ToList();
}
