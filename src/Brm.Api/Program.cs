using Brm.Api.Commitments;
using Brm.Api.CommunicationPlans;
using Brm.Api.Hosting;
using Brm.Api.Infrastructure;
using Brm.Api.Meetings;
using Brm.Api.Relationships;
using Brm.Api.Reporting;
using FluentValidation;
using JasperFx;

var builder = WebApplication.CreateBuilder(args);
builder.Host.ApplyJasperFxExtensions();

// Where the service listens: plaintext HTTP/2 on localhost unless ASPNETCORE_URLS or --urls say otherwise.
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls(BrmHost.DefaultAddress);
}

// The database: ConnectionStrings__Marten, or else a private PostgreSQL started from the machine's binaries.
if (!builder.AddDatabase())
{
    return 1;
}

// gRPC: the error table outermost, then validation, then the thin services.
ValidationRules.UseProtoFieldNames();
builder.Services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<Mutations>();
builder.Services.Configure<FeedOptions>(builder.Configuration.GetSection("Feed"));
builder.Services.Configure<PlanOptions>(builder.Configuration.GetSection("Plans"));
builder.Services.AddGrpc(options =>
{
    options.Interceptors.Add<ErrorInterceptor>();
    options.Interceptors.Add<ValidationInterceptor>();
    options.MaxReceiveMessageSize = 1024 * 1024;
});
builder.Services.AddGrpcReflection();
builder.Services.AddGrpcHealthChecks(options => options.UseHealthChecksCache = false)
    .AddCheck<DatabaseHealthCheck>("database");

var app = builder.Build();

app.MapGrpcService<RelationshipGrpcService>();
app.MapGrpcService<CommitmentGrpcService>();
app.MapGrpcService<MeetingGrpcService>();
app.MapGrpcService<PlanGrpcService>();
app.MapGrpcService<ReportingGrpcService>();
app.MapGrpcReflectionService();
app.MapGrpcHealthChecksService();

// `dotnet run -- help` lists the Marten/JasperFx commands (db-apply, db-assert, projections, ...).
return await app.RunJasperFxCommands(args);

public partial class Program;
