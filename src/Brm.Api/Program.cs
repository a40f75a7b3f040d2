using Brm.Api.Calendar;
using Brm.Api.Commitments;
using Brm.Api.Feedback;
using Brm.Api.Feedback.Links;
using Brm.Api.CommunicationPlans;
using Brm.Api.Hosting;
using Brm.Api.Infrastructure;
using Brm.Api.Meetings;
using Brm.Api.Outreach;
using Brm.Api.Relationships;
using Brm.Api.Reporting;
using Brm.Api.Search;
using Brm.Api.Security;
using Brm.Api.Tags;
using FluentValidation;
using Google.Protobuf.Reflection;
using JasperFx;

var builder = WebApplication.CreateBuilder(args);
// A command (`dotnet run -- help` lists them: dev-token, codegen, Marten's db-apply, ...) runs through JasperFx's command
// line, which first loads every assembly beside the service to look for extensions and commands. Serving (no command, or
// only options such as --urls) skips that scan: it loaded every one of them at every start.
var command = args is [var first, ..] && !first.StartsWith('-');
if (command)
{
    builder.Host.ApplyJasperFxExtensions();
}
else
{
    BrmHost.BuildProtobufDescriptorsEarly(); // on the other core, while the host is configured
}


// Where the service listens: gRPC on plaintext HTTP/2 (localhost:50051) and the JSON routes on HTTP/1.1 too
// (localhost:50052), unless ASPNETCORE_URLS, --urls or Kestrel:Endpoints say otherwise.
builder.UseDefaultEndpoints();

// The database: ConnectionStrings__Marten, or else a private PostgreSQL started from the machine's binaries.
if (!builder.AddDatabase())
{
    return 1;
}

// Who may call: bearer tokens (Authentication:Schemes:Bearer, or development tokens locally); roles and ownership in
// AccessPolicy. Limits on what a caller may consume in Limits (section "Limits").
if (!builder.AddBrmAuthentication())
{
    return 1;
}

// What it does, for the people who run it: traces, metrics (and logs) over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is
// set, to the console when Telemetry:Console is true; JSON console logs with Logging:Console:FormatterName=json.
builder.AddBrmTelemetry();

// After a commit: outreach's deliveries through Wolverine's outbox on the same database (Smtp, Outreach sections).
builder.AddBrmMessaging();
builder.Services.Configure<Limits>(builder.Configuration.GetSection(Limits.Section));
builder.Services.AddSingleton<OpenStreams>();
builder.Services.AddBrmRateLimits();

// gRPC: telemetry (correlation id, span tags, call metrics) outermost, then the error table, then access (authentication, roles, ownership, audit), stream limits,
// validation, then the thin services.
ValidationRules.UseProtoFieldNames();
builder.Services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<Mutations>();
builder.Services.AddPageTokens(); // page tokens sealed by Data Protection, its key ring in the database
// Stored answers to request ids (AIP-155) expire after Idempotency:Retention (7 days); one node at a time deletes them.
builder.Services.Configure<IdempotencyOptions>(builder.Configuration.GetSection(IdempotencyOptions.Section));
builder.Services.AddSingleton<ProcessedRequestCleanup>().AddHostedService(sp => sp.GetRequiredService<ProcessedRequestCleanup>());
builder.Services.Configure<FeedOptions>(builder.Configuration.GetSection("Feed"));
builder.Services.Configure<PlanOptions>(builder.Configuration.GetSection("Plans"));
// Health:TwoQuestionsReviewMonths: how long the answers to the two questions stay current (12 months).
builder.Services.AddOptions<HealthOptions>().Bind(builder.Configuration.GetSection("Health"))
    .Validate(o => o.IsValid, HealthOptions.Invalid).ValidateOnStart();
builder.Services.AddScoped<UpdateDrafts>().AddScoped<SentUpdates>().AddScoped<Digests>().AddScoped<CalendarFeeds>(); // OutreachService's four parts
builder.Services.AddGrpc(options =>
{
    options.Interceptors.Add<TelemetryInterceptor>();
    options.Interceptors.Add<ErrorInterceptor>();
    options.Interceptors.Add<AccessInterceptor>();
    options.Interceptors.Add<StreamLimitInterceptor>();
    options.Interceptors.Add<ValidationInterceptor>();
    options.MaxReceiveMessageSize = Limits.MaxRequestBytes;
}).AddJsonTranscoding(options =>
{
    // The google.api.http routes (GET /v1/...) answer JSON through the same interceptors; an error is a
    // google.rpc.Status whose details (BadRequest field violations) must be known to be written.
    options.TypeRegistry = TypeRegistry.FromFiles(Google.Rpc.ErrorDetailsReflection.Descriptor);
});
builder.AddOpenApiDocument();
builder.Services.AddFeedbackForm(); // the form of personal feedback links, on the HTTP/1.1 endpoint (docs/feedback.md)
builder.AddCalendarFeed(); // each BRM's iCalendar feed at a secret, revocable address on the HTTP/1.1 endpoint (docs/web.md)
// The BRM's web app (src/Brm.Web) at / on the HTTP/1.1 endpoint, calling the services through gRPC-Web; people sign in
// at the issuer of Web:Oidc (authorization code with PKCE), or, where development tokens are accepted, as anyone.
if (!builder.AddBrmWebApp())
{
    return 1;
}

builder.Services.AddGrpcReflection();
builder.Services.AddSingleton<DatabaseHealthCheck>(); // keeps its answer for Limits:HealthCacheDuration
builder.Services.AddGrpcHealthChecks(options => options.UseHealthChecksCache = false)
    .AddCheck<DatabaseHealthCheck>("database");

var app = builder.Build();
if (!command)
{
    app.StartDatabaseEarly(); // the private PostgreSQL, if there is one, starts while the rest is mapped and built
}

app.UseBrmGrpcWeb(); // a gRPC-Web call is a gRPC call from here on: the same checks, interceptors and errors

// Before gRPC reads the body, in this order: who calls, their budget, a token or else UNAUTHENTICATED, the server's
// deadline, then a body that is not one request message is INVALID_ARGUMENT (not UNKNOWN or INTERNAL).
app.UseAuthentication();
app.UseRateLimiter();
app.UseMiddleware<AuthenticateFirst>();
app.UseMiddleware<CallDeadline>();
app.UseMiddleware<MalformedRequests>();

app.MapGrpcService<RelationshipGrpcService>();
app.MapGrpcService<CommitmentGrpcService>();
app.MapGrpcService<MeetingGrpcService>();
app.MapGrpcService<FeedbackGrpcService>();
app.MapGrpcService<PlanGrpcService>();
app.MapGrpcService<OutreachGrpcService>();
app.MapGrpcService<ReportingGrpcService>();
app.MapGrpcService<SearchGrpcService>();
app.MapGrpcService<TagGrpcService>();
app.MapGrpcReflectionService();
app.MapGrpcHealthChecksService();
app.UseOpenApiDocument(); // GET /openapi/v1.json describes the HTTP/JSON routes
app.MapFeedbackForm(); // GET and POST /feedback/{token}: the form a personal link opens
app.MapCalendarFeed(); // GET /calendar/{token}.ics: a BRM's calendar feed
app.MapBrmWebApp(); // GET / and the app's screens; /web/config.json and /web/dev-sign-in

if (command)
{
    return await app.RunJasperFxCommands(args);
}

await app.RunAsync();
return 0;

public partial class Program;
