using Brm.Api.Infrastructure;
using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

/// <summary>The limits on what one caller can make the service consume (docs/security-and-limits.md).</summary>
public sealed class LimitsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_request_over_1_MiB_is_resource_exhausted_and_changes_nothing()
    {
        var finance = await api.Relationships.RegisterAsync();
        var before = await api.EventCountAsync();

        var failure = await FailsWith(StatusCode.ResourceExhausted, api.Relationships.RecordInformationNeedAsync(new RecordInformationNeedRequest
        {
            RelationshipId = finance.Id, Description = new string('x', Limits.MaxRequestBytes), Priority = Priority.Low,
        }));

        Assert.Contains("maximum", failure.Status.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await api.EventCountAsync());
    }

    [Fact]
    public async Task A_text_over_its_documented_length_is_invalid_argument_naming_the_field()
    {
        var finance = await api.Relationships.RegisterAsync();

        var failure = await FailsWith(StatusCode.InvalidArgument, api.Relationships.RecordInformationNeedAsync(new RecordInformationNeedRequest
        {
            RelationshipId = finance.Id, Description = new string('x', ValidationRules.TextLength + 1), Priority = Priority.Low,
        }));

        Assert.Equal(["description"], failure.ViolatedFields());
    }

    [Fact]
    public async Task A_page_size_over_the_cap_is_invalid_argument()
    {
        var failure = await FailsWith(StatusCode.InvalidArgument, api.RelationshipsAs("reporter.tests", Role.Reporter)
            .ListRelationshipsAsync(new ListRelationshipsRequest { PageSize = PageTokens.MaxSize + 1 }));

        Assert.Equal(["page_size"], failure.ViolatedFields());
    }

    [Fact]
    public void A_caller_holds_at_most_the_configured_number_of_streams_and_a_closed_one_frees_its_slot()
    {
        var open = new OpenStreams();
        var first = open.Take("reporter.bi", max: 2);
        using var second = open.Take("reporter.bi", max: 2);
        using var someoneElse = open.Take("reporter.other", max: 2);

        var failure = Assert.Throws<LimitExceededException>(() => open.Take("reporter.bi", max: 2));
        Assert.Contains("at most 2 streams", failure.Message, StringComparison.Ordinal);

        first.Dispose();
        first.Dispose();
        using var third = open.Take("reporter.bi", max: 2);
        Assert.Equal(2, open.Count("reporter.bi"));
    }

    [Fact]
    public async Task A_stream_whose_client_stops_reading_is_closed_after_the_idle_limit()
    {
        var stuck = new StuckWriter();
        var writer = new StreamLimitInterceptor.IdleLimitedWriter<string>(stuck, TimeSpan.FromMilliseconds(50));

        var failure = await Assert.ThrowsAsync<LimitExceededException>(() => writer.WriteAsync("checkpoint"));

        Assert.Contains("idle limit", failure.Message, StringComparison.Ordinal);
        Assert.Equal(StatusCode.ResourceExhausted, (StatusCode)ErrorInterceptor.Translate(failure, null!).Code);
    }

    /// <summary>A client that never takes the message: HTTP/2 flow control holds the write forever.</summary>
    private sealed class StuckWriter : IServerStreamWriter<string>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(string message) => new TaskCompletionSource().Task;

        public Task WriteAsync(string message, CancellationToken cancellationToken) => WriteAsync(message);
    }
}

/// <summary>A service that lets each caller hold two streams open.</summary>
public sealed class TwoStreamsFixture : ApiFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("Limits:MaxStreamsPerCaller", "2")];
}

public sealed class FeedStreamLimitTests(TwoStreamsFixture api) : IClassFixture<TwoStreamsFixture>
{
    [Fact]
    public async Task A_caller_past_its_open_feeds_is_resource_exhausted_others_are_not_and_a_closed_feed_frees_its_slot()
    {
        var reporter = new ReportingService.ReportingServiceClient(api.ChannelAs("reporter.bi", Role.Reporter));
        var first = await FollowAsync(reporter);
        using var second = await FollowAsync(reporter);

        var third = reporter.StreamEvents(new StreamEventsRequest { Follow = true });
        var failure = await Assert.ThrowsAsync<RpcException>(() => third.ResponseStream.MoveNext());
        using var someoneElse = await FollowAsync(new ReportingService.ReportingServiceClient(api.ChannelAs("reporter.other", Role.Reporter)));

        Assert.Equal(StatusCode.ResourceExhausted, failure.StatusCode);
        Assert.Contains("at most 2 streams", failure.Status.Detail, StringComparison.Ordinal);

        first.Dispose(); // cancels the call; the server frees the slot when the stream ends
        var open = api.Services.GetRequiredService<OpenStreams>();
        for (var wait = 0; open.Count("reporter.bi") > 1 && wait < 100; wait++)
        {
            await Task.Delay(50);
        }

        using var fourth = await FollowAsync(reporter);
    }

    // A following feed, open once its first message (caught up) has arrived.
    private static async Task<AsyncServerStreamingCall<StreamEventsResponse>> FollowAsync(ReportingService.ReportingServiceClient client)
    {
        var call = client.StreamEvents(new StreamEventsRequest { Follow = true });
        Assert.True(await call.ResponseStream.MoveNext());
        return call;
    }
}
