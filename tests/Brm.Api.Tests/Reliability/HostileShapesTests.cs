using System.Text;
using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using static Brm.Api.Tests.AuthorizationMatrixTests;

namespace Brm.Api.Tests.Reliability;

/// <summary>
/// The shapes of hostile input that random generation rarely hits, each generated for every RPC from the descriptors
/// (a new RPC or field is covered without being listed): the id of another kind in every id field, dates and times at
/// and past the edges the domain computes with, huge repeated fields (whose refusal must stay small enough for any
/// HTTP/2 client), and a hostile call multiplexed with good ones on one HTTP/2 connection.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class HostileShapesTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    /// <summary>The most an error answer's grpc-message and trailers may take together: far below any client's header limit.</summary>
    private const int MaxErrorBytes = 8 * 1024;

    /// <summary>The kinds of ids a request names, by the end of the field's name (e.g. invited_stakeholder_ids: stakeholder).</summary>
    private static readonly string[] IdKinds =
        ["relationship", "stakeholder", "information_need", "meeting", "commitment", "plan_item", "feedback_request", "feedback", "update"];

    public static TheoryData<string> AllRpcs() => [.. Rpcs.All.Select(m => m.Name())];

    [Theory]
    [MemberData(nameof(AllRpcs))]
    public async Task An_id_of_another_kind_is_not_found_or_filters_out_everything(string rpc)
    {
        var method = Rpcs.Named(rpc);
        var scenario = await Scenario.CreateAsync(api);
        var ids = IdsByKind(scenario);
        var (audience, request) = Expectations[rpc];
        var template = request(scenario);
        var wrong = new List<string>();

        // As an admin, and as the brm owning the relationship (whose access is checked through the ids it sends).
        var callers = new Dictionary<string, Grpc.Net.Client.GrpcChannel> { ["admin"] = api.Channel };
        if (audience != Audience.Admins)
        {
            callers["brm owner"] = api.ChannelAs(Scenario.OwnerName, Role.Brm);
        }

        foreach (var (path, field) in Fields(template.Descriptor).Where(f => f.Field.FieldType == FieldType.String && IsIdField(f.Field)))
        {
            // An id that only filters a list matches nothing: the list is empty, as for an id nobody used.
            var kind = KindOf(field);
            var unknown = await api.Channel.CallAsync(method, With(template, path, Guid.NewGuid().ToString()));
            var expected = unknown.StatusCode == StatusCode.OK && IsFilter(method) ? StatusCode.OK : StatusCode.NotFound;
            foreach (var ((otherKind, otherId), (caller, channel)) in ids.Where(i => i.Key != kind).SelectMany(i => callers.Select(c => (i, c))))
            {
                var status = await channel.CallAsync(method, With(template, path, otherId));
                if (status.StatusCode != expected)
                {
                    wrong.Add($"{path} = the id of a {otherKind}, as {caller}: {status.StatusCode} ({status.Detail}), expected {expected}");
                }
            }
        }

        Assert.True(wrong.Count == 0, $"{rpc}, given ids of another kind:\n{string.Join("\n", wrong)}");
    }

    public static TheoryData<string, string> ExtremeDates() => FieldsOfEveryRpc(f => IsDate(f) || IsTimestamp(f));

    [Theory]
    [MemberData(nameof(ExtremeDates))]
    public async Task Dates_past_the_domains_range_are_invalid_and_dates_at_its_edges_are_not_internal(string rpc, string path)
    {
        var (method, template, field) = await RequestOnAFreshScenarioAsync(rpc, path);
        var (outside, edges) = IsDate(field) ? DateValues() : TimestampValues();
        var wrong = new List<string>();

        foreach (var (name, value) in outside)
        {
            var status = await api.Channel.CallAsync(method, With(template, path, value));
            if (status.StatusCode != StatusCode.InvalidArgument || !status.Detail.Contains(field.Name, StringComparison.Ordinal))
            {
                wrong.Add($"{name}: {status.StatusCode} ({status.Detail}), expected INVALID_ARGUMENT naming {field.Name}");
            }
        }

        foreach (var (name, value) in edges)
        {
            var status = await api.Channel.CallAsync(method, With(template, path, value));
            if (status.StatusCode is StatusCode.Internal or StatusCode.Unknown or StatusCode.Unavailable
                || (status.StatusCode == StatusCode.InvalidArgument && status.Detail.Contains(field.Name, StringComparison.Ordinal)))
            {
                wrong.Add($"{name}: {status.StatusCode} ({status.Detail}), expected an answer of the domain");
            }
        }

        Assert.True(wrong.Count == 0, $"{rpc} {path}:\n{string.Join("\n", wrong)}");
    }

    [Theory]
    [InlineData(Cadence.Weekly)]
    [InlineData(Cadence.Fortnightly)]
    [InlineData(Cadence.Monthly)]
    [InlineData(Cadence.Quarterly)]
    public async Task A_plan_item_starting_on_the_last_day_the_domain_computes_with_is_planned(Cadence cadence)
    {
        var scenario = await Scenario.CreateAsync(api);
        var last = new DateOnly(Brm.Domain.DateRange.MaxYear, 12, 31);

        var added = await api.Plans.AddPlanItemAsync(PlanBuilders.Item(scenario.RelationshipId, "Far future", cadence, Channel.Email, last));
        var plan = await api.Plans.GetPlanAsync(new GetPlanRequest { RelationshipId = scenario.RelationshipId });

        Assert.Contains(plan.Plan.Items, i => i.Id == added.PlanItemId);
    }

    public static TheoryData<string, string> RepeatedFields() => FieldsOfEveryRpc(f => f.IsRepeated);

    [Theory]
    [MemberData(nameof(RepeatedFields))]
    public async Task A_huge_repeated_field_is_refused_with_a_small_answer(string rpc, string path)
    {
        var (method, template, field) = await RequestOnAFreshScenarioAsync(rpc, path);

        foreach (var (name, request) in HugeRepeats(template, path, field))
        {
            var (status, trailers) = await CallWithTrailersAsync(method, request);
            var size = ErrorBytes(status, trailers);
            Assert.True(status.StatusCode == StatusCode.InvalidArgument, $"{rpc} {path} {name}: {status.StatusCode} ({Clip(status.Detail)})");
            Assert.True(size < MaxErrorBytes, $"{rpc} {path} {name}: the error answer takes {size} bytes (grpc-message {Encoded(status.Detail)}): {Clip(status.Detail)}");
        }
    }

    [Fact]
    public async Task A_hostile_call_on_a_shared_http2_connection_leaves_the_other_calls_answered()
    {
        await using var host = await TcpHost.StartAsync();
        var channel = host.ChannelAs(ApiFixture.AdminName, Role.Admin); // one HTTP/2 connection for every call below
        var relationships = new RelationshipService.RelationshipServiceClient(channel);
        var relationship = await relationships.RegisterAsync("Multiplexed", "brm.owner");
        var good = Enumerable.Range(0, 8).Select(async _ =>
            (await relationships.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = relationship.Id })).Relationship.Id);
        var hostile = new[]
        {
            channel.CallAsync(Rpcs.Named("FeedbackService/ListFeedback"), new ListFeedbackRequest { Statuses = { Enumerable.Repeat((FeedbackStatus)99, 1_001) } }),
            channel.CallAsync(Rpcs.Named("ReportingService/StreamEvents"), new StreamEventsRequest { EventTypes = { new string('x', 100_000) } }),
            channel.CallAsync(Rpcs.Named("CommunicationPlanService/AddPlanItem"),
                PlanBuilders.Item(relationship.Id, "Overflow", Cadence.Monthly, Channel.Email, DateOnly.MaxValue)),
        };

        var answers = await Task.WhenAll(good);
        var refusals = await Task.WhenAll(hostile);

        Assert.All(answers, id => Assert.Equal(relationship.Id, id));
        Assert.All(refusals, status => Assert.Equal(StatusCode.InvalidArgument, status.StatusCode));
    }

    /// <summary>The RPC, the request it accepts on a fresh <see cref="Scenario"/>, and the field at <paramref name="path"/> of that request.</summary>
    private async Task<(MethodDescriptor Method, IMessage Template, FieldDescriptor Field)> RequestOnAFreshScenarioAsync(string rpc, string path)
    {
        var method = Rpcs.Named(rpc);
        var template = Expectations[rpc].Request(await Scenario.CreateAsync(api));
        return (method, template, Fields(method.InputType).Single(f => f.Path == path).Field);
    }

    /// <summary>(rpc, field path) for every field of every request (nested ones included) that <paramref name="which"/> picks.</summary>
    private static TheoryData<string, string> FieldsOfEveryRpc(Func<FieldDescriptor, bool> which)
    {
        var cases = new TheoryData<string, string>();
        foreach (var method in Rpcs.All)
        {
            foreach (var (path, _) in Fields(method.InputType).Where(f => which(f.Field)))
            {
                cases.Add(method.Name(), path);
            }
        }

        return cases;
    }

    private static Dictionary<string, string> IdsByKind(Scenario s) => new()
    {
        ["relationship"] = s.RelationshipId, ["stakeholder"] = s.StakeholderId, ["information_need"] = s.InformationNeedId,
        ["meeting"] = s.MeetingId, ["commitment"] = s.CommitmentId, ["plan_item"] = s.PlanItemId,
        ["feedback_request"] = s.FeedbackRequestId, ["feedback"] = s.FeedbackId, ["update"] = s.UpdateId,
    };

    /// <summary>An RPC whose ids filter what it lists (a list, the feed), rather than name one thing to act on or read.</summary>
    private static bool IsFilter(MethodDescriptor method) =>
        method.Name.StartsWith("List", StringComparison.Ordinal) || method.Name == "Search" || method.IsServerStreaming;

    /// <summary>An id of something the request names (not request_id, the key of the request itself).</summary>
    private static bool IsIdField(FieldDescriptor field) =>
        (field.Name.EndsWith("_id", StringComparison.Ordinal) || field.Name.EndsWith("_ids", StringComparison.Ordinal)) && field.Name != "request_id";

    /// <summary>The kind of id <paramref name="field"/> holds; an id field of an unknown kind fails, to be added to <see cref="IdKinds"/>.</summary>
    private static string KindOf(FieldDescriptor field)
    {
        var stem = field.Name[..field.Name.LastIndexOf("_id", StringComparison.Ordinal)];
        return IdKinds.Where(k => stem == k || stem.EndsWith("_" + k, StringComparison.Ordinal)).MaxBy(k => k.Length)
            ?? throw new InvalidOperationException($"{field.FullName} is an id of no known kind: add its kind to {nameof(IdKinds)}");
    }

    private static bool IsDate(FieldDescriptor field) => field.FieldType == FieldType.Message && field.MessageType.ClrType == typeof(Date);

    private static bool IsTimestamp(FieldDescriptor field) => field.FieldType == FieldType.Message && field.MessageType.ClrType == typeof(Timestamp);

    private static Date Day(int year, int month, int day) => new() { Year = year, Month = month, Day = day };

    /// <summary>Dates past the range the domain computes with, and dates at its edges.</summary>
    private static (List<(string, object)> Outside, List<(string, object)> Edges) DateValues() =>
    (
        [
            ("year 1", Day(1, 1, 1)), ("the day before the first", Day(Brm.Domain.DateRange.MinYear - 1, 12, 31)),
            ("the day after the last", Day(Brm.Domain.DateRange.MaxYear + 1, 1, 1)), ("9999-12-01", Day(9999, 12, 1)),
            ("9999-12-31", Day(9999, 12, 31)), ("year int.MaxValue", Day(int.MaxValue, 12, 31)),
        ],
        [
            ("the first day", Day(Brm.Domain.DateRange.MinYear, 1, 1)), ("the last day", Day(Brm.Domain.DateRange.MaxYear, 12, 31)),
            ("the last month's first day", Day(Brm.Domain.DateRange.MaxYear, 12, 1)),
        ]
    );

    /// <summary>Times past the range the domain computes with (Timestamp's own minimum and maximum among them), and times at its edges.</summary>
    private static (List<(string, object)> Outside, List<(string, object)> Edges) TimestampValues()
    {
        var first = new DateTimeOffset(Brm.Domain.DateRange.MinYear, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var last = new DateTimeOffset(Brm.Domain.DateRange.MaxYear, 12, 31, 23, 59, 59, TimeSpan.Zero);
        return (
            [
                ("Timestamp's minimum", new Timestamp { Seconds = -62_135_596_800 }),
                ("Timestamp's maximum", new Timestamp { Seconds = 253_402_300_799, Nanos = 999_999_999 }),
                ("a second before the first", Timestamp.FromDateTimeOffset(first.AddSeconds(-1))),
                ("a second after the last", Timestamp.FromDateTimeOffset(last.AddSeconds(1))),
            ],
            [
                ("the first second", Timestamp.FromDateTimeOffset(first)),
                ("the last nanosecond", new Timestamp { Seconds = last.ToUnixTimeSeconds(), Nanos = 999_999_999 }),
            ]);
    }

    /// <summary>The field at <paramref name="path"/> repeated 1,001 times with a bad value and, for text, once with 100,000 characters.</summary>
    private static IEnumerable<(string Name, IMessage Request)> HugeRepeats(IMessage template, string path, FieldDescriptor field)
    {
        object Bad(int i) => field.FieldType switch
        {
            FieldType.String => $"bad-{i}",
            FieldType.Enum => System.Enum.ToObject(field.EnumType.ClrType, 99),
            FieldType.Message => (IMessage)Activator.CreateInstance(field.MessageType.ClrType)!,
            _ => throw new InvalidOperationException($"no bad value for {field.FullName}"),
        };

        yield return ("1,001 bad entries", With(template, path, Enumerable.Range(0, 1_001).Select(Bad).ToList()));
        yield return ("1,001 bad entries of 200 non-ASCII characters", With(template, path,
            Enumerable.Range(0, 1_001).Select(i => field.FieldType == FieldType.String ? new string('é', 200) + i : Bad(i)).ToList()));
        if (field.FieldType == FieldType.String)
        {
            yield return ("one entry of 100,000 characters", With(template, path, new List<object> { new string('x', 100_000) }));
        }
    }

    /// <summary>Every field of <paramref name="type"/> and of the messages it holds (brm.v1 ones, set or not), with its path.</summary>
    private static IEnumerable<(string Path, FieldDescriptor Field)> Fields(MessageDescriptor type, string prefix = "", int depth = 0)
    {
        foreach (var field in type.Fields.InDeclarationOrder().Where(f => !f.IsMap))
        {
            yield return (prefix + field.Name, field);
            if (field.FieldType == FieldType.Message && !field.IsRepeated && field.MessageType.File.Package == "brm.v1" && depth < 3)
            {
                foreach (var nested in Fields(field.MessageType, prefix + field.Name + ".", depth + 1))
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>A copy of <paramref name="template"/> with the field at <paramref name="path"/> set (a repeated one: to the given list, or to the one value).</summary>
    private static IMessage With(IMessage template, string path, object value)
    {
        var request = Hostile.Copy(template);
        var owner = request;
        var names = path.Split('.');
        foreach (var name in names[..^1])
        {
            var holder = owner.Descriptor.FindFieldByName(name);
            if (holder.Accessor.GetValue(owner) is not IMessage child)
            {
                child = (IMessage)Activator.CreateInstance(holder.MessageType.ClrType)!;
                holder.Accessor.SetValue(owner, child);
            }

            owner = child;
        }

        var field = owner.Descriptor.FindFieldByName(names[^1]);
        if (field.IsRepeated)
        {
            var list = (System.Collections.IList)field.Accessor.GetValue(owner);
            list.Clear();
            foreach (var item in value as IEnumerable<object> ?? [value])
            {
                list.Add(item);
            }
        }
        else
        {
            field.Accessor.SetValue(owner, value);
        }

        return request;
    }

    /// <summary>Calls <paramref name="method"/> and returns its status and trailers.</summary>
    private async Task<(Status Status, Metadata Trailers)> CallWithTrailersAsync(MethodDescriptor method, IMessage request)
    {
        var marshaller = Marshallers.Create<IMessage>(m => m.ToByteArray(), method.OutputType.Parser.ParseFrom);
        var invoker = api.Channel.CreateCallInvoker();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var options = new CallOptions(cancellationToken: timeout.Token);
        try
        {
            if (method.IsServerStreaming)
            {
                using var call = invoker.AsyncServerStreamingCall(
                    new Method<IMessage, IMessage>(MethodType.ServerStreaming, method.Service.FullName, method.Name, marshaller, marshaller), null, options, request);
                await call.ResponseStream.MoveNext(timeout.Token);
                return (Status.DefaultSuccess, call.GetTrailers());
            }

            using var unary = invoker.AsyncUnaryCall(
                new Method<IMessage, IMessage>(MethodType.Unary, method.Service.FullName, method.Name, marshaller, marshaller), null, options, request);
            await unary;
            return (Status.DefaultSuccess, unary.GetTrailers());
        }
        catch (RpcException e)
        {
            return (e.Status, e.Trailers);
        }
    }

    /// <summary>What an error answer puts on the wire after the status code: grpc-message (percent-encoded) and every other trailer.</summary>
    private static int ErrorBytes(Status status, Metadata trailers) =>
        Encoded(status.Detail) + trailers.Where(t => t.Key != "grpc-message")
            .Sum(t => t.Key.Length + (t.IsBinary ? (t.ValueBytes.Length + 2) / 3 * 4 : Encoding.UTF8.GetByteCount(t.Value)));

    /// <summary>The length of <paramref name="message"/> as grpc-message carries it: bytes outside printable ASCII, and '%', percent-encoded.</summary>
    private static int Encoded(string message) => Encoding.UTF8.GetBytes(message).Sum(b => b is >= 0x20 and <= 0x7E and not (byte)'%' ? 1 : 3);

    private static string Clip(string text) => text.Length > 300 ? text[..300] + $"… ({text.Length} characters)" : text;
}
