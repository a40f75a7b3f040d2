using Brm.Api.Infrastructure;
using Brm.V1;
using Marten;
using Commitment = Brm.Domain.Commitments.Commitment;
using FeedbackItem = Brm.Domain.Feedback.FeedbackItem;
using Meeting = Brm.Domain.Meetings.Meeting;
using RelationshipDocument = Brm.Domain.Relationships.Relationship;

namespace Brm.Api.Security;

/// <summary>
/// Who may call each RPC: the one table of roles and ownership, keyed by request type. An RPC missing from it is
/// PERMISSION_DENIED to everyone (and a test fails), whatever its package or handler kind, so a new RPC cannot slip
/// through unguarded; only health and reflection are open.
/// <list type="bullet">
/// <item><see cref="Access.Read"/>: every role (admin, brm, reporter).</item>
/// <item><see cref="Access.Admin"/>: admins only.</item>
/// <item><see cref="Access.Owner{TRequest}(Func{TRequest, string})"/>: admins, and the brm who is the relationship's assigned manager.</item>
/// <item><see cref="Access.Self{TRequest}"/>: admins, and the brm the request is about (their own settings, their calendar feed).</item>
/// </list>
/// A new service adds one block of lines here: reads are <c>Access.Read</c>; a change of something that
/// belongs to a relationship is <c>Access.Owner</c>, told where the request names the relationship, either
/// directly (<c>Access.Owner&lt;TRequest&gt;(r =&gt; r.RelationshipId)</c>) or through a document that carries
/// it (<c>Access.Owner&lt;TRequest, TDocument&gt;(r =&gt; r.MeetingId, m =&gt; m.RelationshipId)</c>).
/// </summary>
public static class AccessPolicy
{
    private static readonly Access OwnedRelationship = Access.Owner<IRelationshipMutation>(r => r.RelationshipId);
    private static readonly Access OwnedMeeting = Access.Owner<IMeetingMutation, Meeting>(r => r.MeetingId, m => m.RelationshipId);
    private static readonly Access OwnedCommitment =
        Access.Owner<ICommitmentMutation, Commitment>(r => r.CommitmentId, c => c.RelationshipId);

    private static readonly Access OwnedPlan = Access.Owner<IPlanMutation>(r => r.RelationshipId);

    private static readonly Access OwnedFeedback =
        Access.Owner<IFeedbackMutation, FeedbackItem>(r => r.FeedbackId, f => f.RelationshipId);

    private static readonly Access OwnedTagTarget =
        Access.Owner<ITagMutation>((r, session, ct) => RelationshipOfAsync(r.Target, session, ct));

    private static readonly Dictionary<Type, Access> Rules = new()
    {
        // brm.v1.RelationshipService
        [typeof(RegisterDepartmentRequest)] = Access.Admin,
        [typeof(GetRelationshipRequest)] = Access.Read,
        [typeof(ListRelationshipsRequest)] = Access.Read,
        [typeof(RenameDepartmentRequest)] = OwnedRelationship,
        [typeof(AssignManagerRequest)] = Access.Admin,
        [typeof(AddStakeholderRequest)] = OwnedRelationship,
        [typeof(UpdateStakeholderRequest)] = OwnedRelationship,
        [typeof(RemoveStakeholderRequest)] = OwnedRelationship,
        [typeof(RecordInformationNeedRequest)] = OwnedRelationship,
        [typeof(RetireInformationNeedRequest)] = OwnedRelationship,
        [typeof(RecordCommunicationPreferenceRequest)] = OwnedRelationship,
        [typeof(ReviewNeedsAndPreferencesRequest)] = OwnedRelationship,
        [typeof(AssessMaturityRequest)] = OwnedRelationship,
        [typeof(ArchiveRelationshipRequest)] = Access.Admin,
        [typeof(EraseStakeholderPersonalDataRequest)] = Access.Admin,

        // brm.v1.MeetingService
        [typeof(ScheduleMeetingRequest)] = Access.Owner<ScheduleMeetingRequest>(r => r.RelationshipId),
        [typeof(RescheduleMeetingRequest)] = OwnedMeeting,
        [typeof(CancelMeetingRequest)] = OwnedMeeting,
        [typeof(HoldMeetingRequest)] = OwnedMeeting,
        [typeof(LogConversationRequest)] = Access.Owner<LogConversationRequest>(r => r.RelationshipId),
        [typeof(GetMeetingRequest)] = Access.Read,
        [typeof(ListMeetingsRequest)] = Access.Read,
        [typeof(GetStakeholderCoverageRequest)] = Access.Read,

        // brm.v1.CommitmentService
        [typeof(MakeCommitmentRequest)] = Access.Owner<MakeCommitmentRequest>(r => r.RelationshipId),
        [typeof(StartCommitmentRequest)] = OwnedCommitment,
        [typeof(RenegotiateCommitmentRequest)] = OwnedCommitment,
        [typeof(DeliverCommitmentRequest)] = OwnedCommitment,
        [typeof(CancelCommitmentRequest)] = OwnedCommitment,
        [typeof(RecordBusinessInformedRequest)] = OwnedCommitment,
        [typeof(GetCommitmentRequest)] = Access.Read,
        [typeof(ListCommitmentsRequest)] = Access.Read,
        [typeof(GetCommitmentFiguresRequest)] = Access.Read,

        // brm.v1.CommunicationPlanService
        [typeof(AddPlanItemRequest)] = OwnedPlan,
        [typeof(ChangePlanItemRequest)] = OwnedPlan,
        [typeof(RetirePlanItemRequest)] = OwnedPlan,
        [typeof(RecordCommunicationRequest)] = OwnedPlan,
        [typeof(GetPlanRequest)] = Access.Read,
        [typeof(GetAgendaRequest)] = Access.Read,

        // brm.v1.FeedbackService
        [typeof(RequestFeedbackRequest)] = Access.Owner<RequestFeedbackRequest>(r => r.RelationshipId),
        [typeof(SubmitFeedbackRequest)] = Access.Owner<SubmitFeedbackRequest>(r => r.RelationshipId),
        [typeof(RevokeFeedbackRequestRequest)] = Access.Owner<RevokeFeedbackRequestRequest, Brm.Domain.Feedback.FeedbackRequest>(r => r.FeedbackRequestId, f => f.RelationshipId),
        [typeof(AcknowledgeFeedbackRequest)] = OwnedFeedback,
        [typeof(ActionFeedbackRequest)] = OwnedFeedback,
        [typeof(DeclineFeedbackRequest)] = OwnedFeedback,
        [typeof(RespondToFeedbackRequest)] = OwnedFeedback,
        [typeof(GetFeedbackRequest)] = Access.Read,
        [typeof(ListFeedbackRequest)] = Access.Read,
        [typeof(GetRequestForFeedbackRequest)] = Access.Read,
        [typeof(GetFeedbackLoopStatsRequest)] = Access.Read,

        // brm.v1.OutreachService
        [typeof(ComposeUpdateRequest)] = Access.Owner<ComposeUpdateRequest>(r => r.RelationshipId),
        [typeof(SendUpdateRequest)] = Access.Owner<SendUpdateRequest>(r => r.RelationshipId),
        [typeof(GetUpdateRequest)] = Access.Read,
        [typeof(ListUpdatesRequest)] = Access.Read,
        [typeof(SetUpdateTemplateRequest)] = Access.Admin,
        [typeof(GetUpdateTemplateRequest)] = Access.Read,
        [typeof(SetDigestPreferencesRequest)] = Access.Self<SetDigestPreferencesRequest>(r => r.Manager),
        [typeof(GetDigestPreferencesRequest)] = Access.Read,
        [typeof(PreviewDigestRequest)] = Access.Read,
        // A calendar feed's address reads the BRM's calendar: only they (or an admin) may see, issue or revoke it.
        [typeof(GetCalendarFeedRequest)] = Access.Self<GetCalendarFeedRequest>(r => r.Manager),
        [typeof(IssueCalendarFeedRequest)] = Access.Self<IssueCalendarFeedRequest>(r => r.Manager),
        [typeof(RevokeCalendarFeedRequest)] = Access.Self<RevokeCalendarFeedRequest>(r => r.Manager),

        // brm.v1.SearchService
        [typeof(SearchRequest)] = Access.Read,

        // brm.v1.TagService
        [typeof(AddTagsRequest)] = OwnedTagTarget,
        [typeof(RemoveTagsRequest)] = OwnedTagTarget,
        [typeof(ListTagsRequest)] = Access.Read,

        // brm.v1.ReportingService
        [typeof(StreamEventsRequest)] = Access.Read,
        [typeof(GetTimelineRequest)] = Access.Read,
        [typeof(GetRelationshipAsOfRequest)] = Access.Read,
        [typeof(GetRelationshipHealthRequest)] = Access.Read,
        [typeof(GetPortfolioRequest)] = Access.Read,
        [typeof(GetBriefingRequest)] = Access.Read,
    };

    /// <summary>The relationship a tag target belongs to: the one it names, or its document's; null when not found.</summary>
    private static async Task<Guid?> RelationshipOfAsync(TagTarget? target, IQuerySession session, CancellationToken ct) =>
        target?.TargetCase switch
        {
            TagTarget.TargetOneofCase.RelationshipId => ProtoFields.UncheckedId(target.RelationshipId),
            TagTarget.TargetOneofCase.Stakeholder => ProtoFields.UncheckedId(target.Stakeholder.RelationshipId),
            TagTarget.TargetOneofCase.MeetingId => await RelationshipOfAsync<Meeting>(target.MeetingId, m => m.RelationshipId, session, ct),
            TagTarget.TargetOneofCase.CommitmentId => await RelationshipOfAsync<Commitment>(target.CommitmentId, c => c.RelationshipId, session, ct),
            TagTarget.TargetOneofCase.FeedbackId => await RelationshipOfAsync<FeedbackItem>(target.FeedbackId, f => f.RelationshipId, session, ct),
            _ => null,
        };

    private static async Task<Guid?> RelationshipOfAsync<TDocument>(string id, Func<TDocument, Guid> relationshipId, IQuerySession session, CancellationToken ct)
        where TDocument : notnull =>
        ProtoFields.UncheckedId(id) is { } key && await session.LoadAsync<TDocument>(key, ct) is { } document ? relationshipId(document) : null;

    /// <summary>The services anyone may call without a token: health and reflection, so that tools work unaided.</summary>
    private static readonly string[] OpenServices =
        ["/grpc.health.v1.Health/", "/grpc.reflection.v1.ServerReflection/", "/grpc.reflection.v1alpha.ServerReflection/"];

    /// <summary>
    /// The calls this policy guards: every call (<c>/package.Service/Method</c>) of any package and handler kind, except
    /// those of <see cref="OpenServices"/>. A guarded call whose request type has no rule is refused: fail closed.
    /// </summary>
    public static bool Guards(string method) => !OpenServices.Any(open => method.StartsWith(open, StringComparison.Ordinal));

    /// <summary>The rule of one RPC, by its request type; null when the table has none.</summary>
    public static Access? For(Type requestType) => Rules.GetValueOrDefault(requestType);
}

/// <summary>Who may call one RPC: a minimum role, and for changes of a relationship, that relationship's manager.</summary>
public sealed class Access
{
    private readonly Role _minimum;
    private readonly Func<object, IQuerySession, CancellationToken, Task<Guid?>>? _relationshipOf;
    private readonly Func<object, string>? _brmOf;

    private Access(Role minimum, Func<object, IQuerySession, CancellationToken, Task<Guid?>>? relationshipOf, Func<object, string>? brmOf = null)
    {
        _minimum = minimum;
        _relationshipOf = relationshipOf;
        _brmOf = brmOf;
    }

    /// <summary>True when the rule reads the request (ownership): a call streaming its requests cannot be judged by it.</summary>
    public bool NeedsRequest => _relationshipOf is not null || _brmOf is not null;

    /// <summary>Every role may call it.</summary>
    public static Access Read { get; } = new(Role.Reporter, null);

    /// <summary>Only admins may call it.</summary>
    public static Access Admin { get; } = new(Role.Admin, null);

    /// <summary>Admins, and the brm managing the relationship whose id the request carries.</summary>
    public static Access Owner<TRequest>(Func<TRequest, string> relationshipId) =>
        new(Role.Brm, (request, _, _) => Task.FromResult(ProtoFields.UncheckedId(relationshipId((TRequest)request))));

    /// <summary>Admins, and the brm managing the relationship <paramref name="relationshipOf"/> finds for the request (null: not found).</summary>
    public static Access Owner<TRequest>(Func<TRequest, IQuerySession, CancellationToken, Task<Guid?>> relationshipOf) =>
        new(Role.Brm, (request, session, ct) => relationshipOf((TRequest)request, session, ct));

    /// <summary>Admins, and the brm whose name the request carries: a BRM's own settings.</summary>
    public static Access Self<TRequest>(Func<TRequest, string> brm) => new(Role.Brm, null, request => brm((TRequest)request).Trim());

    /// <summary>
    /// Admins, and the brm managing the relationship of the document whose id the request carries (a meeting, a
    /// commitment: documents that record their RelationshipId).
    /// </summary>
    public static Access Owner<TRequest, TDocument>(Func<TRequest, string> documentId, Func<TDocument, Guid> relationshipId)
        where TDocument : notnull =>
        new(Role.Brm, async (request, session, ct) =>
            ProtoFields.UncheckedId(documentId((TRequest)request)) is { } id && await session.LoadAsync<TDocument>(id, ct) is { } document
                ? relationshipId(document)
                : null);

    /// <summary>Why <paramref name="caller"/> may not make this call, or null when they may.</summary>
    /// <remarks>
    /// A request whose relationship cannot be found (a malformed or unknown id) is let through: validation or the
    /// service then answers INVALID_ARGUMENT or NOT_FOUND, which tells a brm nothing they could not read anyway.
    /// Ownership is read as committed when the call starts.
    /// </remarks>
    public async Task<string?> DenialAsync(Caller caller, object? request, IDocumentStore store, CancellationToken ct)
    {
        if (caller.Role < _minimum)
        {
            return caller.Role == Role.Reporter ? "a reporter may only read" : "only an admin may do this";
        }

        if (caller.Role == Role.Admin || !NeedsRequest)
        {
            return null;
        }

        if (request is null)
        {
            return "ownership is judged from a request, and this call has none";
        }

        if (_brmOf is not null)
        {
            // A name that is no name (blank, too long) is let through, as an unknown relationship is: validation answers it.
            var brm = _brmOf(request);
            return brm.Length == 0 || brm.Length > ValidationRules.NameLength || string.Equals(brm, caller.Name, StringComparison.Ordinal)
                ? null
                : "a brm may only read or change their own settings, calendar feed included (or an admin)";
        }

        await using var session = store.QuerySession();
        if (await _relationshipOf!(request, session, ct) is not { } relationshipId
            || await session.LoadAsync<RelationshipDocument>(relationshipId, ct) is not { } relationship)
        {
            return null;
        }

        return string.Equals(relationship.Manager, caller.Name, StringComparison.Ordinal)
            ? null
            : $"only the manager of relationship {relationshipId} (or an admin) may change it";
    }

}
