using Brm.V1;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;

namespace Brm.Web;

/// <summary>
/// The gRPC API as the app reaches it: one gRPC-Web channel to the service that served the app, the clients generated
/// from protos/, and the signed-in caller's bearer token on every call. Nothing here is a second API.
/// </summary>
public sealed class Api
{
    public Api(Uri address, Session session)
    {
        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new HttpClientHandler()),
        });
        var invoker = channel.Intercept(metadata =>
        {
            if (session.Current is { } current)
            {
                metadata.Add("authorization", $"Bearer {current.Token}");
            }

            return metadata;
        });
        Relationships = new RelationshipService.RelationshipServiceClient(invoker);
        Meetings = new MeetingService.MeetingServiceClient(invoker);
        Commitments = new CommitmentService.CommitmentServiceClient(invoker);
        Feedback = new FeedbackService.FeedbackServiceClient(invoker);
        Plans = new CommunicationPlanService.CommunicationPlanServiceClient(invoker);
        Reporting = new ReportingService.ReportingServiceClient(invoker);
        Outreach = new OutreachService.OutreachServiceClient(invoker);
    }

    public RelationshipService.RelationshipServiceClient Relationships { get; }

    public MeetingService.MeetingServiceClient Meetings { get; }

    public CommitmentService.CommitmentServiceClient Commitments { get; }

    public FeedbackService.FeedbackServiceClient Feedback { get; }

    public CommunicationPlanService.CommunicationPlanServiceClient Plans { get; }

    public ReportingService.ReportingServiceClient Reporting { get; }

    public OutreachService.OutreachServiceClient Outreach { get; }

    /// <summary>A fresh request id, so that a retried click is done once (AIP-155).</summary>
    public static string RequestId() => Guid.NewGuid().ToString();
}

/// <summary>
/// A refused call as people read it: the service's message, each bad field's message by field path, and what the
/// person can do about it (sign in again, reload after someone else's change).
/// </summary>
public sealed record Problem(StatusCode Code, string Message, IReadOnlyDictionary<string, string> Fields)
{
    public static Problem From(RpcException e)
    {
        var status = e.GetRpcStatus();
        var fields = status?.GetDetail<BadRequest>()?.FieldViolations
            .GroupBy(v => v.Field)
            .ToDictionary(g => g.Key, g => string.Join(" ", g.Select(v => v.Description)))
            ?? [];
        var message = e.StatusCode switch
        {
            StatusCode.Unauthenticated => "Your sign-in has expired or is not accepted: sign in again.",
            StatusCode.PermissionDenied => $"You may not do this: {e.Status.Detail}",
            StatusCode.Aborted => "Someone changed this while you were working on it: reload to see their change, then try again.",
            StatusCode.NotFound => $"Not found: {e.Status.Detail}",
            StatusCode.Unavailable or StatusCode.DeadlineExceeded => "The service cannot be reached just now: try again in a moment.",
            StatusCode.ResourceExhausted => $"Too much at once: {e.Status.Detail}",
            _ => status?.Message is { Length: > 0 } text ? text : e.Status.Detail,
        };
        return new Problem(e.StatusCode, message, fields);
    }

    /// <summary>
    /// The messages for <paramref name="field"/> and what it holds (a request field path: "reason" also takes
    /// "reason"'s own; "conversation.business_raised" takes "conversation.business_raised[2].text").
    /// </summary>
    public string? For(string field)
    {
        var texts = Fields.Where(f => f.Key == field || f.Key.StartsWith(field + ".", StringComparison.Ordinal) || f.Key.StartsWith(field + "[", StringComparison.Ordinal))
            .Select(f => f.Value).ToList();
        return texts.Count == 0 ? null : string.Join(" ", texts);
    }

    public bool Reloads => Code == StatusCode.Aborted;

    public bool SignsInAgain => Code == StatusCode.Unauthenticated;
}
