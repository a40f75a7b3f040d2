using Brm.Api.Tests.Support;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Brm.Api.Tests.Reliability;

/// <summary>
/// Every mutation (every RPC whose request has a <c>request_id</c>, read from the descriptors, so a new one is covered
/// without being listed), called with the request AuthorizationMatrixTests knows it by, repeated with the same
/// request id one after the other and all at once: one effect, and every answer the same bytes.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class IdempotencyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const int Repeats = 3;
    private const int Concurrent = 8;

    public static TheoryData<string> Mutations() => [.. Rpcs.All.Where(IsMutation).Select(m => m.Name())];

    internal static bool IsMutation(MethodDescriptor method) => method.InputType.FindFieldByName("request_id") is not null;

    [Fact]
    public void Every_mutation_has_a_request_that_succeeds()
    {
        Assert.NotEmpty(Mutations());
        Assert.Empty(Rpcs.All.Where(IsMutation).Select(m => m.Name()).Except(AuthorizationMatrixTests.Expectations.Keys));
    }

    [Theory]
    [MemberData(nameof(Mutations))]
    public async Task A_mutation_repeated_with_its_request_id_has_one_effect_and_one_answer(string rpc)
    {
        var method = Rpcs.Named(rpc);

        // One after the other.
        var sequential = await RequestAsync(rpc);
        var before = await api.EventCountAsync();
        var first = await CallAsync(method, sequential);
        var appended = await api.EventCountAsync() - before;
        for (var i = 1; i < Repeats; i++)
        {
            Assert.Equal(first, await CallAsync(method, sequential));
        }

        Assert.Equal(appended, await api.EventCountAsync() - before);

        // All at once, on a scenario of its own: as many events as the sequential call appended, the same answer to all.
        var racing = await RequestAsync(rpc);
        var beforeRace = await api.EventCountAsync();
        var answers = await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(_ => CallAsync(method, racing)));
        Assert.All(answers, answer => Assert.Equal(answers[0], answer));
        Assert.Equal(appended, await api.EventCountAsync() - beforeRace);

        Stress.Record($"idempotency {rpc}", $"{Repeats} sequential + {Concurrent} concurrent calls, {appended} event(s) each time, lost: 0, doubled: 0");
    }

    /// <summary>The matrix's request for <paramref name="rpc"/> on a fresh scenario, with a new request id.</summary>
    private async Task<byte[]> RequestAsync(string rpc)
    {
        var scenario = await AuthorizationMatrixTests.Scenario.CreateAsync(api);
        var request = AuthorizationMatrixTests.Expectations[rpc].Request(scenario);
        request.Descriptor.FindFieldByName("request_id").Accessor.SetValue(request, Guid.NewGuid().ToString());
        return request.ToByteArray();
    }

    private async Task<string> CallAsync(MethodDescriptor method, byte[] request)
    {
        var (status, response) = await api.Channel.CallRawAsync(method, request);
        Assert.True(status.StatusCode == StatusCode.OK, $"{method.Name()}: {status.StatusCode} {status.Detail}");
        await api.AllDeliveredAsync(); // a sent update's deliveries are appended after the call: count them with it
        return Convert.ToHexString(response!);
    }
}
