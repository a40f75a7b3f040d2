using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Status = Google.Rpc.Status;

namespace Brm.Web.Tests;

/// <summary>How a refused call becomes what people read: the service's status, its field violations, and what to do.</summary>
public sealed class ProblemTests
{
    internal static RpcException Refusal(StatusCode code, string message, params (string Field, string Description)[] fields)
    {
        var status = new Status { Code = (int)code, Message = message };
        if (fields.Length > 0)
        {
            var bad = new BadRequest();
            bad.FieldViolations.Add(fields.Select(f => new BadRequest.Types.FieldViolation { Field = f.Field, Description = f.Description }));
            status.Details.Add(Any.Pack(bad));
        }

        return new RpcException(new Grpc.Core.Status(code, message), new Metadata { { "grpc-status-details-bin", status.ToByteArray() } });
    }

    [Fact]
    public void Field_violations_are_kept_by_field_and_found_by_the_fields_path_or_what_it_holds()
    {
        var problem = Problem.From(Refusal(StatusCode.InvalidArgument, "the request is not valid",
            ("reason", "Give a reason of at least 15 characters."), ("conversation.business_raised[1].text", "A point is at most 500 characters."),
            ("conversation.business_raised[1].text", "A point has no control characters.")));

        Assert.Equal("the request is not valid", problem.Message);
        Assert.Equal("Give a reason of at least 15 characters.", problem.For("reason"));
        Assert.Equal("A point is at most 500 characters. A point has no control characters.", problem.For("conversation.business_raised"));
        Assert.Equal("A point is at most 500 characters. A point has no control characters.", problem.For("conversation"));
        Assert.Null(problem.For("reasons"));
        Assert.Null(problem.For("conversation.business"));
        Assert.False(problem.Reloads);
    }

    [Theory]
    [InlineData(StatusCode.Aborted, "Someone changed this while you were working on it", true, false)]
    [InlineData(StatusCode.Unauthenticated, "sign in again", false, true)]
    [InlineData(StatusCode.PermissionDenied, "You may not do this: only the managing BRM", false, false)]
    [InlineData(StatusCode.Unavailable, "cannot be reached just now", false, false)]
    [InlineData(StatusCode.FailedPrecondition, "only the managing BRM", false, false)]
    public void Each_refusal_says_what_the_person_can_do(StatusCode code, string says, bool reloads, bool signsIn)
    {
        var problem = Problem.From(Refusal(code, "only the managing BRM"));

        Assert.Contains(says, problem.Message, StringComparison.Ordinal);
        Assert.Equal((reloads, signsIn), (problem.Reloads, problem.SignsInAgain));
        Assert.Empty(problem.Fields);
    }

    [Fact]
    public void A_refusal_without_details_keeps_the_status_detail()
    {
        var problem = Problem.From(new RpcException(new Grpc.Core.Status(StatusCode.FailedPrecondition, "the department is archived")));

        Assert.Equal("the department is archived", problem.Message);
    }
}
