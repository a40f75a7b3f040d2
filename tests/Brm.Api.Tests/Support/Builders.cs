using Brm.V1;
using Google.Rpc;
using Grpc.Core;

namespace Brm.Api.Tests.Support;

/// <summary>Small builders for test data and helpers for asserting what a client sees.</summary>
public static class Builders
{
    public static string UniqueCode(string prefix = "dept") => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(40, prefix.Length + 13)];

    public static async Task<Relationship> RegisterAsync(
        this RelationshipService.RelationshipServiceClient client, string? name = null, string? manager = null, string? code = null)
    {
        var response = await client.RegisterDepartmentAsync(new RegisterDepartmentRequest
        {
            Code = code ?? UniqueCode(),
            Name = name ?? "Finance",
            Manager = manager ?? "",
        });
        return response.Relationship;
    }

    public static AddStakeholderRequest Stakeholder(Relationship relationship, string name, StakeholderLevel level, string email = "") => new()
    {
        RelationshipId = relationship.Id,
        Name = name,
        Title = level + " of " + relationship.Name,
        Level = level,
        Email = email,
        Influence = Degree.High,
        Interest = Degree.Medium,
    };

    /// <summary>Awaits a call that must fail, and returns its status.</summary>
    public static async Task<RpcException> FailsWith(StatusCode code, Func<Task> call)
    {
        var failure = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(failure.StatusCode == code, $"expected {code}, got {failure.StatusCode}: {failure.Status.Detail}");
        return failure;
    }

    public static Task<RpcException> FailsWith<T>(StatusCode code, AsyncUnaryCall<T> call) => FailsWith(code, async () => await call);

    /// <summary>The fields named by the google.rpc.BadRequest detail of an INVALID_ARGUMENT.</summary>
    public static IReadOnlyList<string> ViolatedFields(this RpcException failure) =>
        failure.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToList() ?? [];
}
