using System.Text;
using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Microsoft.IdentityModel.Tokens;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.MeetingBuilders;

namespace Brm.Api.Tests;

/// <summary>Who may call, who is recorded as having acted, and what the audit log says about refusals.</summary>
public sealed class AccessTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly RelationshipService.RelationshipServiceClient _admin = api.Relationships;

    [Fact]
    public async Task A_reporter_reads_the_portfolio_and_follows_the_feed_but_cannot_log_a_meeting()
    {
        var jane = "brm.jane." + Guid.NewGuid().ToString("N")[..6];
        var finance = await api.DepartmentAsync("Finance", [("Fay Staff", StakeholderLevel.Staff)], jane);
        var reporter = api.ChannelAs("reporter.ann", Role.Reporter);
        await api.WaitForProjectionsAsync(); // the feed serves what lies below the high-water mark

        var portfolio = await new RelationshipService.RelationshipServiceClient(reporter)
            .ListRelationshipsAsync(new ListRelationshipsRequest { Manager = jane });
        using var feed = new ReportingService.ReportingServiceClient(reporter)
            .StreamEvents(new StreamEventsRequest { RelationshipIds = { finance.Id } });
        var events = new List<string>();
        while (await feed.ResponseStream.MoveNext())
        {
            if (feed.ResponseStream.Current.Event is { } e)
            {
                events.Add(e.EventType);
            }
        }

        var refused = await FailsWith(StatusCode.PermissionDenied,
            new MeetingService.MeetingServiceClient(reporter).LogConversationAsync(Conversation(finance, null, "Fay Staff")));

        Assert.Equal([finance.Id], portfolio.Relationships.Select(r => r.Id));
        Assert.Equal(["department_registered", "stakeholder_added"], events);
        Assert.Contains("reporter may only read", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_brm_cannot_touch_another_brms_department_but_reads_it()
    {
        var jane = "brm.jane." + Guid.NewGuid().ToString("N")[..6];
        var omar = "brm.omar." + Guid.NewGuid().ToString("N")[..6];
        var finance = await api.DepartmentAsync("Finance", [("Gus Staff", StakeholderLevel.Staff)], jane);
        var omars = api.ChannelAs(omar, Role.Brm);

        var stakeholder = await FailsWith(StatusCode.PermissionDenied, new RelationshipService.RelationshipServiceClient(omars)
            .AddStakeholderAsync(Stakeholder(finance.Relationship, "Olga Other", StakeholderLevel.Staff)));
        await FailsWith(StatusCode.PermissionDenied,
            new MeetingService.MeetingServiceClient(omars).LogConversationAsync(Conversation(finance, null, "Gus Staff")));
        var janesMeeting = await api.Meetings.LogConversationAsync(Conversation(finance, null, "Gus Staff"));
        await FailsWith(StatusCode.PermissionDenied, new MeetingService.MeetingServiceClient(omars)
            .CancelMeetingAsync(new CancelMeetingRequest { MeetingId = janesMeeting.Meeting.Id, Reason = "mine now" }));
        var read = await new RelationshipService.RelationshipServiceClient(omars)
            .GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = finance.Id });

        Assert.Contains("manager", stakeholder.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(["Gus Staff"], read.Relationship.Stakeholders.Select(s => s.Name));
    }

    [Fact]
    public async Task Ownership_follows_the_assigned_manager()
    {
        var jane = "brm.jane." + Guid.NewGuid().ToString("N")[..6];
        var omar = "brm.omar." + Guid.NewGuid().ToString("N")[..6];
        var finance = await _admin.RegisterAsync("Finance", jane);
        var janesClient = api.RelationshipsAs(jane, Role.Brm);
        var omarsClient = api.RelationshipsAs(omar, Role.Brm);
        var rename = new RenameDepartmentRequest { RelationshipId = finance.Id, Name = "Finance & Tax" };

        await janesClient.RenameDepartmentAsync(rename);
        await _admin.AssignManagerAsync(new AssignManagerRequest { RelationshipId = finance.Id, Manager = omar });

        await FailsWith(StatusCode.PermissionDenied, janesClient.RenameDepartmentAsync(new RenameDepartmentRequest(rename) { Name = "Jane's" }));
        var renamed = await omarsClient.RenameDepartmentAsync(new RenameDepartmentRequest(rename) { Name = "Omar's" });
        Assert.Equal("Omar's", renamed.Relationship.Name);
        await FailsWith(StatusCode.PermissionDenied, omarsClient.AssignManagerAsync(
            new AssignManagerRequest { RelationshipId = finance.Id, Manager = jane }));
    }

    [Fact]
    public async Task Ownership_can_also_be_found_through_a_document_that_records_the_relationship()
    {
        // The shape a meeting or commitment RPC uses: the request names a document, the document its relationship.
        var owner = "brm.owner." + Guid.NewGuid().ToString("N")[..6];
        var finance = await _admin.RegisterAsync("Finance", owner);
        var viaDocument = Access.Owner<GetRelationshipRequest, Domain.Relationships.Relationship>(r => r.RelationshipId, d => d.Id);
        var request = new GetRelationshipRequest { RelationshipId = finance.Id };

        Assert.Null(await viaDocument.DenialAsync(new Caller(owner, Role.Brm), request, api.Store, default));
        Assert.NotNull(await viaDocument.DenialAsync(new Caller("brm.other", Role.Brm), request, api.Store, default));
        Assert.NotNull(await viaDocument.DenialAsync(new Caller(owner, Role.Reporter), request, api.Store, default));
        Assert.Null(await viaDocument.DenialAsync(new Caller("admin.ops", Role.Admin), request, api.Store, default));
    }

    [Fact]
    public async Task The_actor_is_the_tokens_name_whatever_headers_or_unknown_fields_claim()
    {
        var owner = "brm.owner." + Guid.NewGuid().ToString("N")[..6];
        var finance = await _admin.RegisterAsync("Finance", owner);
        var assess = new AssessMaturityRequest
        {
            RelationshipId = finance.Id, Side = MaturitySide.It, Level = MaturityLevel.ServiceProvider, Evidence = "monthly reviews",
        };
        // An extra field no brm.v1 message has (number 99, "admin.tests"): protobuf keeps it as unknown, we ignore it.
        var spoofed = Concat(assess.ToByteArray(), [0x9A, 0x06, .. Encoding.UTF8.GetBytes("\u000badmin.tests")]);
        var headers = new Metadata
        {
            { "x-actor", ApiFixture.AdminName }, { "x-user", ApiFixture.AdminName }, { "x-forwarded-user", ApiFixture.AdminName },
            { "user-name", ApiFixture.AdminName },
        };

        var answer = await api.RelationshipsAs(owner, Role.Brm).AssessMaturityAsync(AssessMaturityRequest.Parser.ParseFrom(spoofed), headers);

        Assert.Equal(owner, answer.Relationship.ItMaturity.AssessedBy);
        await using var session = api.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(Guid.Parse(finance.Id));
        Assert.Equal([ApiFixture.AdminName, owner], events.Select(e => e.UserName));
    }

    [Fact]
    public async Task A_token_whose_claims_were_changed_after_signing_is_unauthenticated()
    {
        var finance = await _admin.RegisterAsync("Finance", "brm.someone");
        var token = TestTokens.For("brm.mallory", Role.Brm).Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token[1])).Replace("\"brm\"", "\"admin\"", StringComparison.Ordinal);
        var tampered = $"{token[0]}.{Base64UrlEncoder.Encode(payload)}.{token[2]}";

        var client = new RelationshipService.RelationshipServiceClient(api.ChannelWith(tampered));

        await FailsWith(StatusCode.Unauthenticated, client.ArchiveRelationshipAsync(
            new ArchiveRelationshipRequest { RelationshipId = finance.Id, Reason = "mine now" }));
    }

    [Fact]
    public async Task A_token_without_a_role_is_permission_denied_even_for_reads()
    {
        var client = new RelationshipService.RelationshipServiceClient(api.ChannelWith(TestTokens.For("nobody", role: null)));

        var failure = await FailsWith(StatusCode.PermissionDenied, client.ListRelationshipsAsync(new ListRelationshipsRequest()));

        Assert.Contains("none of the roles", failure.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_Auth_RoleClaimType_roles_come_from_the_role_and_the_roles_claims()
    {
        // What the web app is told (Authentication.RoleClaims): it shows the role the service will act on.
        Assert.Equal(["role", "roles"], Authentication.RoleClaims(new AuthSettings()));
        var reporter = new RelationshipService.RelationshipServiceClient(api.ChannelWith(TestTokens.For("rita.roles", Role.Reporter, "unique_name", "roles")));

        Assert.NotNull(await reporter.ListRelationshipsAsync(new ListRelationshipsRequest()));
        await FailsWith(StatusCode.PermissionDenied, () => reporter.RegisterAsync("Legal", manager: "brm.lee"));
    }

    [Fact]
    public async Task Unauthenticated_answers_say_what_is_wrong_with_the_token()
    {
        var noToken = new RelationshipService.RelationshipServiceClient(api.ChannelWith(null));
        var expired = new RelationshipService.RelationshipServiceClient(api.ChannelWith(TestTokens.Expired("brm.late", Role.Brm)));

        var missing = await FailsWith(StatusCode.Unauthenticated, noToken.ListRelationshipsAsync(new ListRelationshipsRequest()));
        var stale = await FailsWith(StatusCode.Unauthenticated, expired.ListRelationshipsAsync(new ListRelationshipsRequest()));

        Assert.Contains("no bearer token", missing.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("expired", stale.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_and_reflection_need_no_token()
    {
        var anonymous = api.ChannelWith(null);

        var health = await new Health.HealthClient(anonymous).CheckAsync(new HealthCheckRequest());
        using var call = new ServerReflection.ServerReflectionClient(anonymous).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.True(await call.ResponseStream.MoveNext());
    }

    [Fact]
    public async Task Refusals_are_audited_with_who_what_and_why_but_never_the_token_or_the_request()
    {
        var finance = await _admin.RegisterAsync("Finance", "brm.someone");
        var forged = TestTokens.WrongSignature("brm.forger", Role.Admin);
        var secret = "Vera Confidential-" + Guid.NewGuid().ToString("N")[..6];

        await FailsWith(StatusCode.Unauthenticated, new RelationshipService.RelationshipServiceClient(api.ChannelWith(forged))
            .AddStakeholderAsync(Stakeholder(finance, secret, StakeholderLevel.Staff)));
        await FailsWith(StatusCode.PermissionDenied, api.RelationshipsAs("brm.nosy", Role.Brm)
            .AddStakeholderAsync(Stakeholder(finance, secret, StakeholderLevel.Staff)));

        var audit = api.Logs.In(CallerAuthentication.AuditCategory);
        Assert.Contains(audit, line => line.StartsWith("Authentication failed", StringComparison.Ordinal)
            && line.Contains("/brm.v1.RelationshipService/AddStakeholder", StringComparison.Ordinal)
            && line.Contains("signature", StringComparison.Ordinal));
        Assert.Contains(audit, line => line.StartsWith("Permission denied: brm.nosy (Brm)", StringComparison.Ordinal)
            && line.Contains("/brm.v1.RelationshipService/AddStakeholder", StringComparison.Ordinal)
            && line.Contains(api.Clock.GetUtcNow().ToString("O"), StringComparison.Ordinal));
        Assert.DoesNotContain(api.Logs.All, line => line.Contains(secret, StringComparison.Ordinal)
            || line.Contains(forged, StringComparison.Ordinal) || line.Contains(forged.Split('.')[2], StringComparison.Ordinal));
    }

    private static byte[] Concat(byte[] first, byte[] second) => [.. first, .. second];
}
