using Brm.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace Brm.Bench;

/// <summary>
/// The brm.v1 clients over one HTTP/2 channel, each call carrying <c>authorization: Bearer …</c> when there is a
/// token.
/// </summary>
public sealed class Clients : IDisposable
{
    private readonly GrpcChannel _channel;

    public Clients(Uri address, string? token)
    {
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        });
        var invoker = token is null
            ? _channel.CreateCallInvoker()
            : _channel.Intercept(headers =>
            {
                headers.Add("authorization", $"Bearer {token}");
                return headers;
            });
        Relationships = new RelationshipService.RelationshipServiceClient(invoker);
        Reporting = new ReportingService.ReportingServiceClient(invoker);
        Meetings = new MeetingService.MeetingServiceClient(invoker);
        Commitments = new CommitmentService.CommitmentServiceClient(invoker);
        Feedback = new FeedbackService.FeedbackServiceClient(invoker);
        Plans = new CommunicationPlanService.CommunicationPlanServiceClient(invoker);
        Search = new SearchService.SearchServiceClient(invoker);
    }

    public RelationshipService.RelationshipServiceClient Relationships { get; }

    public SearchService.SearchServiceClient Search { get; }

    public ReportingService.ReportingServiceClient Reporting { get; }

    public MeetingService.MeetingServiceClient Meetings { get; }

    public CommitmentService.CommitmentServiceClient Commitments { get; }

    public FeedbackService.FeedbackServiceClient Feedback { get; }

    public CommunicationPlanService.CommunicationPlanServiceClient Plans { get; }

    public void Dispose() => _channel.Dispose();
}

/// <summary>Options for one unary call: a deadline, so that a stuck call fails instead of hanging the run.</summary>
public static class Calls
{
    public static CallOptions Unary(CancellationToken ct) => new(deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: ct);
}
