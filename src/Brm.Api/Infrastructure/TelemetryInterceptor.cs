using System.Diagnostics;
using Brm.Api.Hosting;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Brm.Api.Infrastructure;

/// <summary>
/// The outermost interceptor: gives each call its correlation id (the <c>x-correlation-id</c> header, else the
/// trace id), which Mutations stamps on the events, every log line of the call carries (scope
/// <c>CorrelationId</c>) and the call's span carries (<c>brm.correlation_id</c>); tags the span with the gRPC
/// method and status; counts the call in <see cref="BrmMetrics"/>.
/// </summary>
public sealed class TelemetryInterceptor(BrmMetrics metrics, ILogger<TelemetryInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var call = Begin(request, context);
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException e)
        {
            call.Status = e.StatusCode;
            throw;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var call = Begin(request, context);
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (RpcException e)
        {
            call.Status = e.StatusCode;
            throw;
        }
    }

    private Call Begin(object request, ServerCallContext context)
    {
        var correlationId = Correlation.Assign(context);
        var activity = Activity.Current;
        var (service, method) = Split(context.Method);
        activity?.SetTag("rpc.system", "grpc");
        activity?.SetTag("rpc.service", service);
        activity?.SetTag("rpc.method", method);
        activity?.SetTag("brm.correlation_id", correlationId);
        var scope = logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = correlationId, ["Rpc"] = context.Method });
        var command = request is IMessage message && message.Descriptor.FindFieldByName("request_id") is not null;
        return new Call(metrics, context.Method, command, activity, scope);
    }

    private static (string Service, string Method) Split(string path)
    {
        var parts = path.Trim('/').Split('/', 2);
        return parts.Length == 2 ? (parts[0], parts[1]) : (path, path);
    }

    private sealed class Call(BrmMetrics metrics, string rpc, bool command, Activity? activity, IDisposable? scope) : IDisposable
    {
        private readonly long _started = Stopwatch.GetTimestamp();

        public StatusCode Status { get; set; } = StatusCode.OK;

        public void Dispose()
        {
            var status = StatusName(Status);
            activity?.SetTag("rpc.grpc.status_code", (int)Status);
            metrics.CallEnded(rpc, status, command, Stopwatch.GetElapsedTime(_started));
            scope?.Dispose();
        }
    }

    /// <summary>The code as gRPC spells it: INVALID_ARGUMENT, NOT_FOUND, OK.</summary>
    internal static string StatusName(StatusCode code) =>
        string.Concat(code.ToString().Select((c, i) => i > 0 && char.IsUpper(c) && char.IsLower(code.ToString()[i - 1]) ? "_" + c : c.ToString())).ToUpperInvariant();
}

/// <summary>The correlation id of a call: assigned once by <see cref="TelemetryInterceptor"/>, read by the write path.</summary>
public static class Correlation
{
    public const string Header = "x-correlation-id";

    private const string Key = "brm.correlation_id";

    public static string Of(ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var id) && id is string known ? known : Assign(context);

    internal static string Assign(ServerCallContext context)
    {
        var header = context.RequestHeaders.GetValue(Header);
        var id = header is { Length: > 0 and <= 128 } ? header
            : Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString();
        context.UserState[Key] = id;
        return id;
    }
}
