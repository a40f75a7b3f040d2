using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

public sealed class RegisterAndGetTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly RelationshipService.RelationshipServiceClient _client = api.Relationships;

    [Fact]
    public async Task Registering_a_department_returns_it_at_version_1_and_it_can_be_read_by_id_and_by_code()
    {
        var code = UniqueCode("finance");
        var registered = await _client.RegisterDepartmentAsync(new RegisterDepartmentRequest
        {
            Code = code, Name = "  Finance ", Manager = "brm.jane",
        });

        Assert.Equal(1, registered.Version);
        Assert.Equal("Finance", registered.Relationship.Name);
        Assert.Equal("brm.jane", registered.Relationship.Manager);
        Assert.True(Guid.TryParse(registered.Relationship.Id, out _));

        var byId = await _client.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = registered.Relationship.Id });
        var byCode = await _client.GetRelationshipAsync(new GetRelationshipRequest { Code = code });
        Assert.Equal(registered.Relationship, byId.Relationship);
        Assert.Equal(registered.Relationship, byCode.Relationship);
        Assert.Equal(1, byId.Relationship.Version);
        Assert.False(byId.Relationship.Archived);
        Assert.False(byId.Relationship.HasMaturityGap);
    }

    [Fact]
    public async Task A_duplicate_code_is_already_exists_and_appends_nothing()
    {
        var code = UniqueCode("hr");
        await _client.RegisterAsync("Human Resources", code: code);
        var before = await api.EventCountAsync();

        var failure = await FailsWith(StatusCode.AlreadyExists,
            _client.RegisterDepartmentAsync(new RegisterDepartmentRequest { Code = code, Name = "HR again" }));

        Assert.Contains(code, failure.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await api.EventCountAsync());
    }

    [Fact]
    public async Task Two_racing_registrations_of_one_code_create_exactly_one_department()
    {
        var code = UniqueCode("race");
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            try
            {
                await _client.RegisterDepartmentAsync(new RegisterDepartmentRequest { Code = code, Name = "Racing" });
                return StatusCode.OK;
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        }));

        Assert.Equal(1, attempts.Count(s => s == StatusCode.OK));
        Assert.All(attempts.Where(s => s != StatusCode.OK), s => Assert.Equal(StatusCode.AlreadyExists, s));
    }

    [Fact]
    public async Task An_empty_name_is_invalid_argument_naming_name_and_appends_nothing()
    {
        var before = await api.EventCountAsync();

        var failure = await FailsWith(StatusCode.InvalidArgument,
            _client.RegisterDepartmentAsync(new RegisterDepartmentRequest { Code = UniqueCode(), Name = "   " }));

        Assert.Equal(["name"], failure.ViolatedFields());
        Assert.Contains("name", failure.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await api.EventCountAsync());
    }

    [Theory]
    [InlineData("Finance")]
    [InlineData("fin ance")]
    [InlineData("fin--ance")]
    [InlineData("-finance")]
    [InlineData("f")]
    [InlineData("")]
    public async Task A_code_that_is_not_a_lower_case_slug_is_invalid_argument(string code)
    {
        var failure = await FailsWith(StatusCode.InvalidArgument,
            _client.RegisterDepartmentAsync(new RegisterDepartmentRequest { Code = code, Name = "Finance" }));

        Assert.Contains("code", failure.ViolatedFields());
    }

    [Fact]
    public async Task Every_bad_field_is_named_at_once()
    {
        var failure = await FailsWith(StatusCode.InvalidArgument, _client.RegisterDepartmentAsync(new RegisterDepartmentRequest
        {
            RequestId = "not-a-uuid", Code = "", Name = new string('x', 201), Manager = new string('m', 201),
        }));

        Assert.Equal(["code", "manager", "name", "request_id"], failure.ViolatedFields().Distinct().Order());
    }

    [Fact]
    public async Task An_unknown_id_or_code_is_not_found()
    {
        await FailsWith(StatusCode.NotFound,
            _client.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = Guid.NewGuid().ToString() }));
        await FailsWith(StatusCode.NotFound, _client.GetRelationshipAsync(new GetRelationshipRequest { Code = "no-such-dept" }));
    }

    [Fact]
    public async Task Get_without_a_key_or_with_a_malformed_id_is_invalid_argument()
    {
        var none = await FailsWith(StatusCode.InvalidArgument, _client.GetRelationshipAsync(new GetRelationshipRequest()));
        var malformed = await FailsWith(StatusCode.InvalidArgument,
            _client.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = "42" }));

        Assert.Contains("relationship_id", none.ViolatedFields());
        Assert.Contains("relationship_id", malformed.ViolatedFields());
    }
}
