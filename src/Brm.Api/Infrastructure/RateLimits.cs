using System.Collections.Frozen;
using System.Globalization;
using System.Threading.RateLimiting;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Brm.Api.Infrastructure;

/// <summary>
/// How many calls one caller may make per minute, with ASP.NET Core's rate limiter: a token bucket per caller (the
/// token's name; the remote address for a call without a valid token) and per kind of call, each with its own budget
/// in <see cref="Limits"/>: commands (every RPC taking a <c>request_id</c>), expensive reports (<see cref="Reports"/>)
/// and reads (the rest). Over budget is RESOURCE_EXHAUSTED with a <c>google.rpc.RetryInfo</c> saying when to retry
/// (HTTP 429 with <c>Retry-After</c> on the HTTP/JSON routes). Health and reflection are not limited (health's answer
/// is cached). It runs before the body is read, so a caller over budget costs no parsing and no query.
/// </summary>
public static class RateLimits
{
    /// <summary>The reports that read across relationships or fold history: a budget of their own.</summary>
    public static readonly IReadOnlySet<string> Reports = new[] { "GetPortfolio", "GetRelationshipHealth", "GetRelationshipAsOf", "GetAgenda", "GetBriefing" }
        .Select(name => BrmRpcs.Route(BrmRpcs.All.Single(m => m.Name == name)))
        .ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, Kind> Kinds = BrmRpcs.All.ToFrozenDictionary(
        BrmRpcs.Route,
        m => Reports.Contains(BrmRpcs.Route(m)) ? Kind.Report : m.InputType.FindFieldByName("request_id") is not null ? Kind.Command : Kind.Read,
        StringComparer.Ordinal);

    /// <summary>The policy of the feedback form's answers: a bucket per personal link (its token).</summary>
    public const string FormAnswersPolicy = "feedback-form-answers";

    /// <summary>The policy of calendar feeds: a bucket per feed address (its token), on top of the address's budget.</summary>
    public const string CalendarFeedPolicy = "calendar-feed";

    private enum Kind
    {
        Command,
        Read,
        Report,
        Form,
    }

    public static void AddBrmRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<Limits>>((options, limits) =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, (Kind, string)>(context =>
                KindOf(context) is { } kind
                    ? RateLimitPartition.GetTokenBucketLimiter((kind, Who(context)), _ => Bucket(Budget(limits.Value, kind)))
                    : RateLimitPartition.GetNoLimiter((Kind.Read, "")));
            options.AddPolicy(FormAnswersPolicy, context => RateLimitPartition.GetTokenBucketLimiter(
                context.Request.RouteValues["token"] as string ?? "", _ => Bucket(limits.Value.FormAnswersPerLinkPerMinute)));
            options.AddPolicy(CalendarFeedPolicy, context => RateLimitPartition.GetTokenBucketLimiter(
                context.Request.RouteValues["token"] as string ?? "", _ => Bucket(limits.Value.CalendarFetchesPerFeedPerMinute)));
            options.OnRejected = (rejected, _) =>
            {
                if (Feedback.Links.FeedbackForm.IsFormPath(rejected.HttpContext.Request.Path))
                {
                    return new ValueTask(Feedback.Links.FeedbackForm.WriteTooManyRequestsAsync(rejected.HttpContext.Response, RetryAfterSeconds(rejected.Lease)));
                }

                Refuse(rejected.HttpContext, rejected.Lease, limits.Value);
                return ValueTask.CompletedTask;
            };
        });
    }

    /// <summary>
    /// The kind of a brm.v1 call, gRPC or HTTP/JSON (both carry the gRPC method on their endpoint), or of a feedback form
    /// page or a calendar feed (the secret-address pages: one budget per address); null for any other.
    /// </summary>
    private static Kind? KindOf(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.FullName is { } method
        && Kinds.TryGetValue(method, out var kind)
            ? kind
            : Feedback.Links.FeedbackForm.IsFormPath(context.Request.Path) || Calendar.CalendarFeedEndpoint.IsFeedPath(context.Request.Path) ? Kind.Form : null;

    // The token's name once authentication has run (it runs before the limiter); else the remote address.
    private static string Who(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }
            ? $"caller {name}"
            : $"address {context.Connection.RemoteIpAddress}";

    private static int Budget(Limits limits, Kind kind) => kind switch
    {
        Kind.Command => limits.CommandsPerMinute,
        Kind.Report => limits.ReportsPerMinute,
        Kind.Form => limits.FormRequestsPerMinute,
        _ => limits.ReadsPerMinute,
    };

    // A full bucket of a minute's budget, refilled every second (or, for budgets under 60, one call at a time); no
    // queue: over budget is refused at once, and told how long until the next refill.
    private static TokenBucketRateLimiterOptions Bucket(int perMinute)
    {
        var period = TimeSpan.FromSeconds(Math.Max(1, 60.0 / perMinute));
        return new()
        {
            TokenLimit = perMinute,
            TokensPerPeriod = Math.Max(1, (int)Math.Round(perMinute * period.TotalMinutes)),
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = false, // the partitioned limiter replenishes its buckets on its own timer
        };
    }

    private static int RetryAfterSeconds(RateLimitLease lease) =>
        Math.Max(1, (int)Math.Ceiling((lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1)).TotalSeconds));

    private static void Refuse(HttpContext context, RateLimitLease lease, Limits limits)
    {
        var seconds = RetryAfterSeconds(lease);
        var kind = KindOf(context) ?? Kind.Read;
        if (!TrailersOnly.IsGrpc(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return;
        }

        TrailersOnly.Write(context.Response, new Google.Rpc.Status
        {
            Code = (int)Code.ResourceExhausted,
            Message = $"over the budget of {Budget(limits, kind)} {kind.ToString().ToLowerInvariant()}s per minute per caller: retry in {seconds} s",
            Details = { Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(seconds)) }) },
        });
    }
}
