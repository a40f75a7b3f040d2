using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using Google.Protobuf;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.MeetingBuilders;

namespace Brm.Api.Tests;

/// <summary>
/// Every RPC of every brm.v1 service (read from the descriptors) × every kind of caller, each with the status it
/// must get. An RPC without a line in <see cref="Expectations"/> fails here, so a new RPC cannot go unguarded;
/// the expectations are written down independently of AccessPolicy, as the spec it must meet.
/// </summary>
public sealed class AuthorizationMatrixTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string OwnerName = "brm.owner";
    private const string OtherBrmName = "brm.other";

    /// <summary>Who an RPC is for.</summary>
    public enum Audience
    {
        /// <summary>Every role.</summary>
        Everyone,

        /// <summary>Admins, and the brm managing the relationship.</summary>
        Owner,

        /// <summary>Admins only.</summary>
        Admins,
    }

    /// <summary>
    /// What each RPC allows, and a request it accepts on a fresh relationship (see <see cref="Scenario"/>); the
    /// reliability tests call every RPC with these requests too.
    /// </summary>
    internal static readonly Dictionary<string, (Audience Audience, Func<Scenario, IMessage> Request)> Expectations = new()
    {
        ["RelationshipService/RegisterDepartment"] = (Audience.Admins, _ => new RegisterDepartmentRequest { Code = UniqueCode("matrix"), Name = "Matrix" }),
        ["RelationshipService/GetRelationship"] = (Audience.Everyone, s => new GetRelationshipRequest { RelationshipId = s.RelationshipId }),
        ["RelationshipService/ListRelationships"] = (Audience.Everyone, _ => new ListRelationshipsRequest()),
        ["RelationshipService/RenameDepartment"] = (Audience.Owner, s => new RenameDepartmentRequest { RelationshipId = s.RelationshipId, Name = "Renamed" }),
        ["RelationshipService/AssignManager"] = (Audience.Admins, s => new AssignManagerRequest { RelationshipId = s.RelationshipId, Manager = OtherBrmName }),
        ["RelationshipService/AddStakeholder"] = (Audience.Owner, s => new AddStakeholderRequest
        {
            RelationshipId = s.RelationshipId, Name = "New Person", Title = "Clerk", Level = StakeholderLevel.Staff,
            Influence = Degree.Low, Interest = Degree.Low,
        }),
        ["RelationshipService/UpdateStakeholder"] = (Audience.Owner, s => new UpdateStakeholderRequest
        {
            RelationshipId = s.RelationshipId, StakeholderId = s.StakeholderId, Name = "Renamed Person",
        }),
        ["RelationshipService/RemoveStakeholder"] = (Audience.Owner, s => new RemoveStakeholderRequest { RelationshipId = s.RelationshipId, StakeholderId = s.StakeholderId }),
        ["RelationshipService/RecordInformationNeed"] = (Audience.Owner, s => new RecordInformationNeedRequest
        {
            RelationshipId = s.RelationshipId, Description = "weekly status", Priority = Priority.Low,
        }),
        ["RelationshipService/RetireInformationNeed"] = (Audience.Owner, s => new RetireInformationNeedRequest
        {
            RelationshipId = s.RelationshipId, InformationNeedId = s.InformationNeedId, Reason = "met",
        }),
        ["RelationshipService/RecordCommunicationPreference"] = (Audience.Owner, s => new RecordCommunicationPreferenceRequest
        {
            RelationshipId = s.RelationshipId, Channel = Channel.Chat, Audience = "team leads",
        }),
        ["RelationshipService/ReviewNeedsAndPreferences"] = (Audience.Owner, s => new ReviewNeedsAndPreferencesRequest { RelationshipId = s.RelationshipId }),
        ["RelationshipService/AssessMaturity"] = (Audience.Owner, s => new AssessMaturityRequest
        {
            RelationshipId = s.RelationshipId, Side = MaturitySide.It, Level = MaturityLevel.OrderTaker, Evidence = "tickets only",
        }),
        ["RelationshipService/ArchiveRelationship"] = (Audience.Admins, s => new ArchiveRelationshipRequest { RelationshipId = s.RelationshipId, Reason = "closed" }),
        ["RelationshipService/EraseStakeholderPersonalData"] = (Audience.Admins, s => new EraseStakeholderPersonalDataRequest
        {
            RelationshipId = s.RelationshipId, StakeholderId = s.StakeholderId,
        }),

        ["MeetingService/ScheduleMeeting"] = (Audience.Owner, s => new ScheduleMeetingRequest
        {
            RelationshipId = s.RelationshipId, Kind = MeetingKind.Workshop, Topic = "Roadmap", Start = At(s.Now.AddDays(2)),
            DurationMinutes = 60, Organiser = OwnerName, InvitedStakeholderIds = { s.StakeholderId },
        }),
        ["MeetingService/RescheduleMeeting"] = (Audience.Owner, s => new RescheduleMeetingRequest
        {
            MeetingId = s.MeetingId, Start = At(s.Now.AddDays(1)), Reason = "clash",
        }),
        ["MeetingService/CancelMeeting"] = (Audience.Owner, s => new CancelMeetingRequest { MeetingId = s.MeetingId, Reason = "clash" }),
        ["MeetingService/HoldMeeting"] = (Audience.Owner, s => new HoldMeetingRequest
        {
            MeetingId = s.MeetingId, Conversation = new ConversationDetails { StakeholderIds = { s.StakeholderId }, ItShared = "plans" },
        }),
        ["MeetingService/LogConversation"] = (Audience.Owner, s => new LogConversationRequest
        {
            RelationshipId = s.RelationshipId, Kind = MeetingKind.CoffeeChat,
            Conversation = new ConversationDetails { StakeholderIds = { s.StakeholderId }, ItShared = "news" },
        }),
        ["MeetingService/GetMeeting"] = (Audience.Everyone, s => new GetMeetingRequest { MeetingId = s.MeetingId }),
        ["MeetingService/ListMeetings"] = (Audience.Everyone, s => new ListMeetingsRequest { RelationshipId = s.RelationshipId }),
        ["MeetingService/GetStakeholderCoverage"] = (Audience.Everyone, s => new GetStakeholderCoverageRequest { RelationshipId = s.RelationshipId }),

        ["CommitmentService/MakeCommitment"] = (Audience.Owner, s => CommitmentBuilders.Commitment(s.Relationship, "Fix VPN", s.Today.AddDays(7))),
        ["CommitmentService/StartCommitment"] = (Audience.Owner, s => new StartCommitmentRequest { CommitmentId = s.CommitmentId }),
        ["CommitmentService/RenegotiateCommitment"] = (Audience.Owner, s => new RenegotiateCommitmentRequest
        {
            CommitmentId = s.CommitmentId, DueDate = CommitmentBuilders.Day(s.Today.AddDays(30)), Reason = "supplier late",
        }),
        ["CommitmentService/DeliverCommitment"] = (Audience.Owner, s => new DeliverCommitmentRequest { CommitmentId = s.CommitmentId }),
        ["CommitmentService/CancelCommitment"] = (Audience.Owner, s => new CancelCommitmentRequest { CommitmentId = s.CommitmentId, Reason = "moot" }),
        ["CommitmentService/RecordBusinessInformed"] = (Audience.Owner, s => new RecordBusinessInformedRequest
        {
            CommitmentId = s.DeliveredCommitmentId, Channel = Channel.Email, Message = "It is done.", StakeholderIds = { s.StakeholderId },
        }),
        ["CommitmentService/GetCommitment"] = (Audience.Everyone, s => new GetCommitmentRequest { CommitmentId = s.CommitmentId }),
        ["CommitmentService/ListCommitments"] = (Audience.Everyone, s => new ListCommitmentsRequest { RelationshipId = s.RelationshipId }),
        ["CommitmentService/GetCommitmentFigures"] = (Audience.Everyone, s => new GetCommitmentFiguresRequest { RelationshipId = s.RelationshipId }),

        ["CommunicationPlanService/AddPlanItem"] = (Audience.Owner, s => PlanBuilders.Item(s.RelationshipId, "Release notes", Cadence.Monthly, Channel.Email, s.Today)),
        ["CommunicationPlanService/ChangePlanItem"] = (Audience.Owner, s => new ChangePlanItemRequest
        {
            RelationshipId = s.RelationshipId, PlanItemId = s.PlanItemId,
            Item = new PlanItemDetails { What = "IT update", Channel = Channel.Chat, Audience = "all staff", Cadence = Cadence.Monthly, Owner = OwnerName },
        }),
        ["CommunicationPlanService/RetirePlanItem"] = (Audience.Owner, s => new RetirePlanItemRequest
        {
            RelationshipId = s.RelationshipId, PlanItemId = s.PlanItemId, Reason = "replaced by the intranet page",
        }),
        ["CommunicationPlanService/RecordCommunication"] = (Audience.Owner, s => PlanBuilders.Sent(s.RelationshipId, s.PlanItemId, s.Now)),
        ["CommunicationPlanService/GetPlan"] = (Audience.Everyone, s => new GetPlanRequest { RelationshipId = s.RelationshipId }),
        ["CommunicationPlanService/GetAgenda"] = (Audience.Everyone, _ => new GetAgendaRequest { Manager = OwnerName }),

        ["FeedbackService/RequestFeedback"] = (Audience.Owner, s => new RequestFeedbackRequest
        {
            RelationshipId = s.RelationshipId, AudienceStakeholderIds = { s.StakeholderId }, Channel = Channel.Email, Periodic = Cadence.Monthly,
        }),
        ["FeedbackService/SubmitFeedback"] = (Audience.Owner, s => new SubmitFeedbackRequest
        {
            RelationshipId = s.RelationshipId, FromStakeholderId = s.StakeholderId, Channel = Channel.Chat, Comment = "More notice, please",
        }),
        ["FeedbackService/AcknowledgeFeedback"] = (Audience.Owner, s => new AcknowledgeFeedbackRequest { FeedbackId = s.FeedbackId }),
        ["FeedbackService/ActionFeedback"] = (Audience.Owner, s => new ActionFeedbackRequest { FeedbackId = s.FeedbackId, CommitmentId = s.CommitmentId }),
        ["FeedbackService/DeclineFeedback"] = (Audience.Owner, s => new DeclineFeedbackRequest { FeedbackId = s.FeedbackId, Reason = FeedbackBuilders.BudgetReason }),
        ["FeedbackService/RespondToFeedback"] = (Audience.Owner, s => new RespondToFeedbackRequest
        {
            FeedbackId = s.FeedbackId, Response = "Thank you, we are looking at it", Channel = Channel.Email,
        }),
        ["FeedbackService/GetFeedback"] = (Audience.Everyone, s => new GetFeedbackRequest { FeedbackId = s.FeedbackId }),
        ["FeedbackService/ListFeedback"] = (Audience.Everyone, s => new ListFeedbackRequest { RelationshipId = s.RelationshipId }),
        ["FeedbackService/RevokeFeedbackRequest"] = (Audience.Owner, s => new RevokeFeedbackRequestRequest
        {
            FeedbackRequestId = s.FeedbackRequestId, Reason = "Sent to the wrong list",
        }),
        ["FeedbackService/GetRequestForFeedback"] = (Audience.Everyone, s => new GetRequestForFeedbackRequest { FeedbackRequestId = s.FeedbackRequestId }),
        ["FeedbackService/GetFeedbackLoopStats"] = (Audience.Everyone, s => new GetFeedbackLoopStatsRequest { RelationshipId = s.RelationshipId }),

        ["OutreachService/SendUpdate"] = (Audience.Owner, s => new SendUpdateRequest
        {
            RelationshipId = s.RelationshipId, PlanItemId = s.PlanItemId, Subject = "IT news", BodyMarkdown = "The **VPN** is fixed.",
            Facts = { new UpdateFact { Kind = UpdateFactKind.CommitmentDelivered, Id = s.DeliveredCommitmentId } },
            Addresses = { "matrix@example.org" },
        }),
        ["OutreachService/GetUpdate"] = (Audience.Everyone, s => new GetUpdateRequest { UpdateId = s.UpdateId }),
        ["OutreachService/ListUpdates"] = (Audience.Everyone, s => new ListUpdatesRequest { RelationshipId = s.RelationshipId }),

        ["ReportingService/StreamEvents"] = (Audience.Everyone, s => new StreamEventsRequest { RelationshipIds = { s.RelationshipId } }),
        ["ReportingService/GetTimeline"] = (Audience.Everyone, s => new GetTimelineRequest { RelationshipId = s.RelationshipId }),
        ["ReportingService/GetRelationshipAsOf"] = (Audience.Everyone, s => new GetRelationshipAsOfRequest
        {
            RelationshipId = s.RelationshipId, AsOf = At(s.Now),
        }),
        ["ReportingService/GetRelationshipHealth"] = (Audience.Everyone, s => new GetRelationshipHealthRequest { RelationshipId = s.RelationshipId }),
        ["ReportingService/GetPortfolio"] = (Audience.Everyone, _ => new GetPortfolioRequest { Manager = OwnerName, Sort = PortfolioSort.Name }),
        ["ReportingService/GetBriefing"] = (Audience.Everyone, s => new GetBriefingRequest { RelationshipId = s.RelationshipId }),

        ["SearchService/Search"] = (Audience.Everyone, s => new SearchRequest { Query = "outages", RelationshipIds = { s.RelationshipId } }),

        // The stakeholder target names two ids: every other target replaces it with one.
        ["TagService/AddTags"] = (Audience.Owner, s => new AddTagsRequest { Target = StakeholderTarget(s), Tags = { "matrix" } }),
        ["TagService/RemoveTags"] = (Audience.Owner, s => new RemoveTagsRequest { Target = StakeholderTarget(s), Tags = { "matrix" } }),
        ["TagService/ListTags"] = (Audience.Everyone, s => new ListTagsRequest { RelationshipIds = { s.RelationshipId } }),

        ["OutreachService/ComposeUpdate"] = (Audience.Owner, s => new ComposeUpdateRequest { RelationshipId = s.RelationshipId, PlanItemId = s.PlanItemId }),
        ["OutreachService/SetUpdateTemplate"] = (Audience.Admins, s => new SetUpdateTemplateRequest
        {
            // A new template per scenario: setting the one in force again changes nothing.
            Subject = "IT update for {{ department.name }}",
            Source = $"Hello {{{{ department.name }}}} ({s.RelationshipId}),\n\n{{% for c in delivered %}}- {{{{ c.title }}}}\n{{% endfor %}}",
        }),
        ["OutreachService/GetUpdateTemplate"] = (Audience.Everyone, _ => new GetUpdateTemplateRequest()),
        // The BRM's own settings: the owner is that BRM. A new address per scenario, so that each call changes them.
        ["OutreachService/SetDigestPreferences"] = (Audience.Owner, s => new SetDigestPreferencesRequest
        {
            Manager = OwnerName, Email = $"owner.{s.RelationshipId}@example.org", Day = Weekday.Monday, Hour = 8, TimeZone = "Europe/London",
        }),
        ["OutreachService/GetDigestPreferences"] = (Audience.Everyone, _ => new GetDigestPreferencesRequest { Manager = OwnerName }),
        ["OutreachService/PreviewDigest"] = (Audience.Everyone, _ => new PreviewDigestRequest { Manager = OwnerName }),
        // The calendar feed's address reads the BRM's calendar: theirs alone (and an admin's), not even a reporter's. Every
        // scenario issues the owner one first, so that a revocation always has something to revoke.
        ["OutreachService/GetCalendarFeed"] = (Audience.Owner, _ => new GetCalendarFeedRequest { Manager = OwnerName }),
        ["OutreachService/IssueCalendarFeed"] = (Audience.Owner, _ => new IssueCalendarFeedRequest { Manager = OwnerName }),
        ["OutreachService/RevokeCalendarFeed"] = (Audience.Owner, _ => new RevokeCalendarFeedRequest { Manager = OwnerName }),
    };

    /// <summary>The callers every RPC is tried with.</summary>
    private static readonly Dictionary<string, (Func<string?> Token, Func<Audience, StatusCode> Expected)> Callers = new()
    {
        ["no token"] = (() => null, _ => StatusCode.Unauthenticated),
        ["expired token"] = (() => TestTokens.Expired(ApiFixture.AdminName, Role.Admin), _ => StatusCode.Unauthenticated),
        ["wrong signature"] = (() => TestTokens.WrongSignature(ApiFixture.AdminName, Role.Admin), _ => StatusCode.Unauthenticated),
        ["alg none"] = (() => TestTokens.Unsigned(ApiFixture.AdminName, Role.Admin), _ => StatusCode.Unauthenticated),
        ["admin"] = (() => TestTokens.For(ApiFixture.AdminName, Role.Admin), _ => StatusCode.OK),
        ["brm owner"] = (() => TestTokens.For(OwnerName, Role.Brm), a => a == Audience.Admins ? StatusCode.PermissionDenied : StatusCode.OK),
        ["brm not owner"] = (() => TestTokens.For(OtherBrmName, Role.Brm), a => a == Audience.Everyone ? StatusCode.OK : StatusCode.PermissionDenied),
        ["reporter"] = (() => TestTokens.For("reporter.tests", Role.Reporter), a => a == Audience.Everyone ? StatusCode.OK : StatusCode.PermissionDenied),
    };

    public static TheoryData<string, string> Cells()
    {
        var cells = new TheoryData<string, string>();
        foreach (var rpc in Rpcs.All)
        {
            foreach (var caller in Callers.Keys)
            {
                cells.Add(rpc.Name(), caller);
            }
        }

        return cells;
    }

    [Fact]
    public void Every_rpc_has_an_expected_status_and_every_expectation_is_an_rpc()
    {
        var rpcs = Rpcs.All.Select(m => m.Name()).ToList();

        Assert.Empty(rpcs.Except(Expectations.Keys));
        Assert.Empty(Expectations.Keys.Except(rpcs));
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Each_caller_gets_the_status_its_role_and_ownership_allow(string rpc, string caller)
    {
        Assert.True(Expectations.TryGetValue(rpc, out var expectation),
            $"{rpc} has no line in {nameof(AuthorizationMatrixTests)}.{nameof(Expectations)}: say who may call it, and how to call it");
        var scenario = await Scenario.CreateAsync(api);
        var (token, expected) = Callers[caller];
        var before = await api.EventCountAsync();

        var status = await api.ChannelWith(token()).CallAsync(Rpcs.Named(rpc), expectation.Request(scenario));

        Assert.True(status.StatusCode == expected(expectation.Audience), $"expected {expected(expectation.Audience)}, got {status.StatusCode}: {status.Detail}");
        if (status.StatusCode != StatusCode.OK)
        {
            Assert.Equal(before, await api.EventCountAsync());
        }
    }

    private static TagTarget StakeholderTarget(Scenario s) =>
        new() { Stakeholder = new StakeholderReference { RelationshipId = s.RelationshipId, StakeholderId = s.StakeholderId } };

    /// <summary>
    /// A fresh relationship managed by <see cref="OwnerName"/>, with a stakeholder, an information need, a meeting
    /// (scheduled an hour ago), an open commitment and a delivered one, a monthly plan item, a request for feedback and
    /// an acknowledged feedback item, an update sent and delivered, and the owner's calendar feed issued: something for every RPC
    /// to act on.
    /// </summary>
    public sealed record Scenario(
        Relationship Relationship, string StakeholderId, string InformationNeedId, string MeetingId, string CommitmentId,
        string DeliveredCommitmentId, string PlanItemId, string FeedbackRequestId, string FeedbackId, string UpdateId, DateTimeOffset Now)
    {
        /// <summary>The brm managing the scenario's relationship.</summary>
        public const string OwnerName = AuthorizationMatrixTests.OwnerName;

        public string RelationshipId => Relationship.Id;

        public DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

        public static async Task<Scenario> CreateAsync(ApiFixture api)
        {
            var now = api.Clock.GetUtcNow();
            var relationship = await api.Relationships.RegisterAsync("Matrix", OwnerName);
            var stakeholder = await api.Relationships.AddStakeholderAsync(Stakeholder(relationship, "Matrix Person", StakeholderLevel.Manager));
            var need = await api.Relationships.RecordInformationNeedAsync(new RecordInformationNeedRequest
            {
                RelationshipId = relationship.Id, Description = "monthly outages", Priority = Priority.Medium,
            });
            var meeting = await api.Meetings.ScheduleMeetingAsync(new ScheduleMeetingRequest
            {
                RelationshipId = relationship.Id, Kind = MeetingKind.FaceToFace, Topic = "Catch-up", Start = At(now.AddHours(-1)),
                DurationMinutes = 30, Organiser = OwnerName, InvitedStakeholderIds = { stakeholder.StakeholderId },
            });
            var open = await api.Commitments.MakeCommitmentAsync(CommitmentBuilders.Commitment(relationship, "Open", DateOnly.FromDateTime(now.UtcDateTime).AddDays(7)));
            var delivered = await api.Commitments.MakeCommitmentAsync(CommitmentBuilders.Commitment(relationship, "Done", DateOnly.FromDateTime(now.UtcDateTime).AddDays(7)));
            await api.Commitments.DeliverCommitmentAsync(new DeliverCommitmentRequest { CommitmentId = delivered.Commitment.Id });
            var item = await api.Plans.AddPlanItemAsync(PlanBuilders.Item(relationship.Id, "IT update", Cadence.Monthly, Channel.Email,
                DateOnly.FromDateTime(now.UtcDateTime)));
            var asked = await api.Feedback.RequestFeedbackAsync(new RequestFeedbackRequest
            {
                RelationshipId = relationship.Id, AudienceStakeholderIds = { stakeholder.StakeholderId }, Channel = Channel.Email, Periodic = Cadence.Monthly,
            });
            var feedback = await api.Feedback.SubmitFeedbackAsync(new SubmitFeedbackRequest
            {
                RelationshipId = relationship.Id, FromStakeholderId = stakeholder.StakeholderId, Channel = Channel.Email, Comment = "Slow VPN",
                FeedbackRequestId = asked.FeedbackRequest.Id,
            });
            await api.Feedback.AcknowledgeFeedbackAsync(new AcknowledgeFeedbackRequest { FeedbackId = feedback.Feedback.Id });
            var update = await api.Outreach.SendUpdateAsync(new SendUpdateRequest
            {
                RelationshipId = relationship.Id, PlanItemId = item.PlanItemId, Subject = "Welcome", BodyMarkdown = "Hello.", Addresses = { "matrix@example.org" },
            });
            await api.DeliveredAsync(update.Update.Id); // delivery appends its event after the call: let it land before anyone counts
            await api.Outreach.IssueCalendarFeedAsync(new IssueCalendarFeedRequest { Manager = OwnerName });
            return new Scenario(relationship, stakeholder.StakeholderId, need.InformationNeedId, meeting.Meeting.Id, open.Commitment.Id,
                delivered.Commitment.Id, item.PlanItemId, asked.FeedbackRequest.Id, feedback.Feedback.Id, update.Update.Id, now);
        }
    }
}
