using System.Buffers.Text;
using System.Text.Json;
using Brm.Api.Tests.Support;
using CsCheck;
using Google.Protobuf;
using Grpc.Core;

namespace Brm.Api.Tests.Reliability;

/// <summary>
/// Hostile page tokens, for every list RPC (read from the descriptors): a token the service issued for the request,
/// altered (bytes flipped, cut short, extended, characters replaced), another RPC's token, random bytes, or the old
/// unsealed JSON format with a hostile key. Each is INVALID_ARGUMENT on page_token and changes nothing; and the generic
/// hostile requests of <see cref="Hostile"/> are sent again with a valid page token in the template.
/// </summary>
public sealed partial class HostileInputTests
{
    public static TheoryData<string> ListRpcs() => [.. PagedLists.Rpcs.Select(m => m.Name())];

    [Theory]
    [MemberData(nameof(ListRpcs))]
    public async Task Hostile_page_tokens_are_invalid_argument_on_page_token(string rpc)
    {
        var method = Rpcs.Named(rpc);
        var lists = await PagedLists.CreateAsync(api);
        var template = PagedLists.WithToken(lists.Requests[rpc].First, await lists.TokenAsync(api.Channel, rpc));
        List<string> others = [];
        foreach (var other in lists.Requests.Keys.Where(r => r != rpc))
        {
            others.Add(await lists.TokenAsync(api.Channel, other));
        }

        var tally = new Tally();
        await HostilePageTokens.Of(PagedLists.PageToken(template), others).SampleAsync(
            async token =>
            {
                var request = PagedLists.WithToken(template, token.Text);
                var (status, detail) = await CallAndCheckAsync(method, new HostileRequest("hostile page_token", request.ToByteArray(), [token.Change]));
                Assert.True(status == StatusCode.InvalidArgument && detail.StartsWith("invalid page_token", StringComparison.Ordinal),
                    $"{rpc} answered {status} ({detail}) to page_token {token.Change}: {token.Text}");
                tally.Add(status, detail);
            },
            seed: Seed,
            iter: Stress.HostileCases * 5,
            threads: 1,
            print: token => $"{token.Change}: {token.Text}");

        // The generic hostile requests, now with a valid page token among the fields they change.
        await Hostile.Request(template).SampleAsync(
            async request =>
            {
                var (status, detail) = await CallAndCheckAsync(method, request);
                tally.Add(status, detail);
            },
            seed: Seed,
            iter: Stress.HostileCases,
            threads: 1,
            print: request => $"{request.Kind}: {request.Describe()}");

        Stress.Record($"hostile page tokens {rpc}", $"{tally.Total} requests ({tally}), UNKNOWN/INTERNAL/UNAVAILABLE: 0, appended on refusal: 0");
    }
}

/// <summary>One hostile page token: its text and how it was made.</summary>
public sealed record HostileToken(string Text, string Change);

/// <summary>CsCheck generators of page tokens that the service did not issue for the request.</summary>
public static class HostilePageTokens
{
    private const string Base64UrlChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// <summary>Tokens made from <paramref name="valid"/> (a token issued for the request) and <paramref name="others"/> (issued for other RPCs).</summary>
    public static Gen<HostileToken> Of(string valid, IReadOnlyList<string> others)
    {
        var bytes = Base64Url.DecodeFromChars(valid);
        var flipped = Gen.Select(Gen.Int[0, bytes.Length - 1], Gen.Byte[1, 255], (at, mask) => Altered(bytes, $"byte {at} ^ 0x{mask:X2}", b => b[at] ^= mask));
        var flippedSeveral = Gen.Select(Gen.Int[0, bytes.Length - 1], Gen.Byte[1, 255], (at, mask) => (at, mask)).Array[2, 6]
            .Select(flips => Altered(bytes, $"{flips.Length} bytes flipped", b =>
            {
                foreach (var (at, mask) in flips.DistinctBy(f => f.at))
                {
                    b[at] ^= mask;
                }
            }));
        var cut = Gen.Int[1, bytes.Length - 1].Select(n => new HostileToken(Base64Url.EncodeToString(bytes.AsSpan(0, n)), $"cut to {n} bytes"));
        var extended = Gen.Byte.Array[1, 64].Select(more => new HostileToken(Base64Url.EncodeToString([.. bytes, .. more]), $"{more.Length} bytes added"));
        var character = Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Frequency((3, Gen.Char[Base64UrlChars]), (1, Gen.Char)), (at, c) =>
            new HostileToken(string.Concat(valid.AsSpan(0, at), c.ToString(), valid.AsSpan(at + 1)), $"character {at} = U+{(int)c:X4}"));
        var otherRpc = Gen.Int[0, others.Count - 1].Select(i => new HostileToken(others[i], "another RPC's token"));
        var random = Gen.Byte.Array[1, 1_000].Select(b => new HostileToken(Base64Url.EncodeToString(b), $"{b.Length} random bytes"));
        var oldFormat = Gen.Select(Hostile.Text.Where(t => t.Length < 200), Gen.Guid, (key, id) => new HostileToken(
            Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new { K = key, I = id, F = "0000000000000000" })), "old JSON format"));
        return Gen.Frequency((4, flipped), (2, flippedSeveral), (2, cut), (1, extended), (2, character), (1, otherRpc), (1, random), (1, oldFormat))
            .Where(token => !Same(token.Text, bytes));
    }

    /// <summary>
    /// True when <paramref name="text"/> decodes to the valid token's bytes: a character changed in the unused low bits
    /// of the last one, or one the decoder skips, leaves the token what the service issued.
    /// </summary>
    private static bool Same(string text, byte[] valid)
    {
        try
        {
            return Base64Url.DecodeFromChars(text).AsSpan().SequenceEqual(valid);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static HostileToken Altered(byte[] valid, string change, Action<byte[]> alter)
    {
        var bytes = (byte[])valid.Clone();
        alter(bytes);
        return new HostileToken(Base64Url.EncodeToString(bytes), change);
    }
}
