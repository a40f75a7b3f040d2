using Brm.Api.Feedback.Links;
using Brm.Api.Meetings;
using Brm.Api.Outreach;
using Brm.Api.Outreach.Mail;
using JasperFx;
using JasperFx.CodeGeneration;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Marten;
using Wolverine.Runtime;
using Weasel.Core.Migrations;

namespace Brm.Api.Hosting;

/// <summary>
/// What happens after a commit: Wolverine, on the same PostgreSQL through Marten, keeps the outbox (a message stored in
/// the transaction that made it necessary, handled once it commits), the durable local queues that handle them (a
/// message survives the process; one node handles each; a stopped node's messages are taken over), the scheduled
/// retries with backoff, and the scheduled messages. See docs/outreach.md.
/// </summary>
public static class Messaging
{
    /// <summary>The PostgreSQL schema of Wolverine's tables (its inbox, outbox, nodes and scheduled messages).</summary>
    public const string Schema = "brm_messages";

    /// <summary>The message handlers. Their adapters are generated ahead of time (see <see cref="AddBrmMessaging"/>).</summary>
    public static readonly IReadOnlyList<Type> Handlers =
    [
        typeof(DeliverUpdateHandler), typeof(DigestTickHandler), typeof(SendDigestHandler), typeof(SendFeedbackInvitationsHandler),
        typeof(SendMeetingInvitationsHandler),
    ];

    public static void AddBrmMessaging(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<SmtpOptions>(builder.Configuration.GetSection(SmtpOptions.Section));
        builder.Services.Configure<OutreachOptions>(builder.Configuration.GetSection(OutreachOptions.Section));
        builder.Services.AddSingleton<IUpdateOutbox, WolverineUpdateOutbox>();
        builder.Services.Configure<FeedbackLinkOptions>(builder.Configuration.GetSection(FeedbackLinkOptions.Section));
        builder.Services.AddSingleton<FeedbackLinkTokens>().AddSingleton<FeedbackInvitations>().AddSingleton<FeedbackRounds>();
        builder.Services.AddSingleton<MeetingInvitations>();
        builder.Services.AddSingleton<IMailTransport>(sp =>
        {
            var smtp = sp.GetRequiredService<IOptions<SmtpOptions>>();
            return smtp.Value.Configured
                ? new SmtpTransport(smtp)
                : new PickupFolderTransport(PickupFolder(builder.Configuration, sp.GetRequiredService<IOptions<OutreachOptions>>().Value));
        });
        builder.Services.AddHostedService<MailDestinationLog>().AddHostedService<DigestChainStart>();
        builder.Services.ConfigureMarten(marten => marten.Schema.For<DigestClock>().UseOptimisticConcurrency(true));

        var outreach = builder.Configuration.GetSection(OutreachOptions.Section).Get<OutreachOptions>() ?? new OutreachOptions();
        builder.Services.AddHostedService<MessageStorageSchema>(); // before Wolverine's own start, registered next
        builder.Host.UseWolverine(options =>
        {
            options.ApplicationAssembly = typeof(Program).Assembly;
            var discovery = options.Discovery.DisableConventionalDiscovery();
            foreach (var handler in Handlers)
            {
                discovery.IncludeType(handler);
            }

            // Handlers' adapters are generated ahead of time (src/Brm.Api/Internal/Generated, by `codegen write`) and compiled
            // with the service: nothing is compiled with Roslyn at start-up. CI regenerates them and fails when the checked-in
            // copy differs (a stale copy would keep a changed handler's old adapter).
            options.CodeGeneration.TypeLoadMode = TypeLoadMode.Static;
            options.Policies.UseDurableLocalQueues();
            // Wolverine would diff its tables at every start; MessageStorageSchema applies them instead, diffing only when
            // their fingerprint changed.
            options.AutoBuildMessageStorageOnStartup = AutoCreate.None;
            options.Durability.ScheduledJobPollingTime = outreach.PollingInterval;
            options.Durability.NodeReassignmentPollingTime = outreach.PollingInterval;
            options.Durability.StaleNodeTimeout = outreach.StaleNodeTimeout;

            // The mail server down, or "try later": wait and try again; the handler gives up on the last attempt.
            options.OnException<MailUnavailableException>().ScheduleRetry(outreach.Retries);
            // The database unreachable for a moment (Marten wraps Npgsql's exception): the same waits, so that a delivery (or
            // the digests' tick) is not lost to it.
            options.OnException(e => e is Npgsql.NpgsqlException || e.InnerException is Npgsql.NpgsqlException).ScheduleRetry(outreach.Retries);

            // A delivery sends to every recipient in turn (up to 200, each bounded by MailKit's own timeouts): Wolverine's
            // default of a minute would cancel a long one part way and count it a failure.
            options.DefaultExecutionTimeout = TimeSpan.FromHours(1);
        });
    }

    /// <summary>Wolverine's message storage in the domain's database (called on the Marten configuration).</summary>
    public static Marten.MartenServiceCollectionExtensions.MartenConfigurationExpression WithMessaging(
        this Marten.MartenServiceCollectionExtensions.MartenConfigurationExpression marten) =>
        marten.IntegrateWithWolverine(integration => integration.MessageStorageSchemaName = Schema);

    public static string PickupFolder(IConfiguration configuration, OutreachOptions options) =>
        options.PickupFolder is { Length: > 0 } folder ? Path.GetFullPath(folder) : Path.Combine(BrmHost.DataDirectory(configuration), "mail-pickup");

    /// <summary>
    /// Creates or updates Wolverine's tables (schema <see cref="Schema"/>) before Wolverine starts, through Weasel's
    /// fingerprinted apply, as Marten's start does for the domain's schema (BrmDomain.AddBrmDomain): an unchanged schema costs
    /// one query instead of a diff of every table (about 0.2 s of a start, docs/PERFORMANCE.md). A new database, or a
    /// Wolverine whose tables changed, has a fingerprint not yet stamped, and gets the full apply.
    /// </summary>
    private sealed class MessageStorageSchema(IWolverineRuntime runtime) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var database = (IDatabase)runtime.Storage;
            database.Migrator.UseSchemaFingerprinting = true;
            await database.ApplyAllConfiguredChangesToDatabaseAsync(ct: cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Says at start-up where mail goes.</summary>
    private sealed class MailDestinationLog(IMailTransport transport, ILogger<MailDestinationLog> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (transport is PickupFolderTransport)
            {
                logger.LogInformation("No Smtp:Host is set: mail is written as .eml files to {PickupFolder}", transport.Destination);
            }
            else
            {
                logger.LogInformation("Mail goes to {MailServer}", transport.Destination);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
