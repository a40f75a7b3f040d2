using Brm.Api.Tests.Support;
using Brm.V1;
using Google.Protobuf;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

/// <summary>What the hostile-input properties (Reliability/HostileInputTests) found, each pinned by one example.</summary>
public sealed class MalformedInputTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_body_that_is_not_the_request_message_is_invalid_argument_naming_the_request_and_appends_nothing()
    {
        var before = await api.EventCountAsync();
        var register = Rpcs.Named("RelationshipService/RegisterDepartment");
        var valid = new RegisterDepartmentRequest { Code = UniqueCode("raw"), Name = "Raw" }.ToByteArray();

        (string Kind, byte[] Body)[] bodies =
        [
            ("random bytes", [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x12, 0x99]),
            ("cut short", valid[..(valid.Length - 2)]),
            ("a length past the end", [0x12, 0x7F, 0x41]),
        ];
        foreach (var (kind, body) in bodies)
        {
            var (status, _) = await api.Channel.CallRawAsync(register, body);

            Assert.True(status.StatusCode == StatusCode.InvalidArgument, $"{kind}: {status.StatusCode} {status.Detail}");
            Assert.Contains("brm.v1.RegisterDepartmentRequest", status.Detail, StringComparison.Ordinal);
        }

        Assert.Equal(before, await api.EventCountAsync());
    }

    [Fact]
    public async Task The_refusal_of_a_malformed_body_carries_a_bad_request_naming_the_request_type()
    {
        var failure = await Assert.ThrowsAsync<RpcException>(() => RawUnaryAsync("/brm.v1.RelationshipService/GetRelationship", [0x0A, 0x05, 0x41]));

        Assert.Equal(StatusCode.InvalidArgument, failure.StatusCode);
        Assert.Equal(["GetRelationshipRequest"], failure.ViolatedFields());
    }

    [Fact]
    public async Task The_nil_uuid_is_not_an_id()
    {
        var finance = await api.Relationships.RegisterAsync("Nil id");

        var failure = await Assert.ThrowsAsync<RpcException>(async () => await api.Relationships.RenameDepartmentAsync(
            new RenameDepartmentRequest { RelationshipId = Guid.Empty.ToString(), Name = "Nobody" }));
        var badRequestId = await Assert.ThrowsAsync<RpcException>(async () => await api.Relationships.RenameDepartmentAsync(
            new RenameDepartmentRequest { RelationshipId = finance.Id, Name = "Nobody", RequestId = Guid.Empty.ToString() }));

        Assert.Equal(StatusCode.InvalidArgument, failure.StatusCode);
        Assert.Equal(["relationship_id"], failure.ViolatedFields());
        Assert.Equal(["request_id"], badRequestId.ViolatedFields());
    }

    [Fact]
    public async Task Control_characters_in_any_text_are_refused_naming_the_field_but_tabs_and_line_breaks_are_text()
    {
        var finance = await api.Relationships.RegisterAsync("Controls");
        var before = await api.EventCountAsync();

        var nul = await Assert.ThrowsAsync<RpcException>(async () => await api.Relationships.RecordInformationNeedAsync(
            new RecordInformationNeedRequest { RelationshipId = finance.Id, Description = "weekly\0status", Priority = Priority.Low }));
        var escape = await Assert.ThrowsAsync<RpcException>(async () => await api.Relationships.ListRelationshipsAsync(
            new ListRelationshipsRequest { Manager = "brm.\u001b[31mjane" }));
        var lines = await api.Relationships.RecordInformationNeedAsync(
            new RecordInformationNeedRequest { RelationshipId = finance.Id, Description = "weekly status:\n\tbudget\r\n\tprojects", Priority = Priority.Low });

        Assert.Equal(["description"], nul.ViolatedFields());
        Assert.Equal(["manager"], escape.ViolatedFields());
        Assert.Equal(before + 1, await api.EventCountAsync());
        Assert.NotEmpty(lines.InformationNeedId);
    }

    private async Task<byte[]> RawUnaryAsync(string path, byte[] body)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var bytes = Marshallers.Create<byte[]>(b => b, b => b);
        var method = new Method<byte[], byte[]>(MethodType.Unary, parts[0], parts[1], bytes, bytes);
        return await api.Channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(), body);
    }
}
