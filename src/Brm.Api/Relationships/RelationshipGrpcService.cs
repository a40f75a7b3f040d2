using Brm.Api.Infrastructure;
using Brm.Api.Tags;
using Brm.Domain;
using Brm.Domain.PersonalData;
using Brm.Domain.Relationships;
using Brm.V1;
using Grpc.Core;
using Google.Protobuf;
using Marten;
using static Brm.Api.Infrastructure.ProtoFields;
using Commands = Brm.Domain.Relationships;
using Model = Brm.Domain.Relationships;

namespace Brm.Api.Relationships;

/// <summary>brm.v1.RelationshipService: each RPC builds one command or query and maps the result.</summary>
public sealed class RelationshipGrpcService(Mutations mutations, IQuerySession query, PageCursors pages) : RelationshipService.RelationshipServiceBase
{
    public override Task<RegisterDepartmentResponse> RegisterDepartment(RegisterDepartmentRequest request, ServerCallContext context) =>
        mutations.Run(request, request.RequestId, context, async (session, stamp, ct) =>
        {
            var code = request.Code;
            await session.EnsureCodeFreeAsync(code, ct);
            var id = Guid.CreateVersion7();
            var command = new Commands.RegisterDepartment(id, code, request.Name.Trim(), Optional(request.Manager), stamp.Actor, stamp.At);
            var decided = await session.Decide<Model.Relationship>(id, null, s => RelationshipDecider.Decide(command, s), ct);
            return new RegisterDepartmentResponse { Relationship = decided.State.ToProto(), Version = decided.Version };
        });

    public override async Task<GetRelationshipResponse> GetRelationship(GetRelationshipRequest request, ServerCallContext context)
    {
        var relationship = request.KeyCase == GetRelationshipRequest.KeyOneofCase.Code
            ? await query.GetByCodeAsync(request.Code, context.CancellationToken)
            : await query.GetAsync(Id(request.RelationshipId), context.CancellationToken);
        return new GetRelationshipResponse { Relationship = relationship.ToProto() };
    }

    public override async Task<ListRelationshipsResponse> ListRelationships(ListRelationshipsRequest request, ServerCallContext context)
    {
        var tags = TagRules.Filter(request.Tags);
        var filters = $"manager={request.Manager}|archived={request.IncludeArchived}|tags={string.Join(',', tags)}";
        var after = pages.Read<string>(request.PageToken, filters, context);
        var size = PageTokens.Size(request.PageSize);
        var page = await query.ListAsync(
            Optional(request.Manager), request.IncludeArchived, after?.Key, after?.Id ?? Guid.Empty, size + 1, context.CancellationToken, tags);

        var response = new ListRelationshipsResponse();
        response.Relationships.AddRange(page.Take(size).Select(r => r.ToSummary()));
        if (page.Count > size)
        {
            var last = page[size - 1];
            response.NextPageToken = pages.Write(new PageCursor<string>(last.Name, last.Id), filters, context);
        }

        return response;
    }

    public override Task<RenameDepartmentResponse> RenameDepartment(RenameDepartmentRequest request, ServerCallContext context) =>
        Change(request, context,
            (id, by) => new Commands.RenameDepartment(id, request.Name.Trim(), by.Actor, by.At),
            d => new RenameDepartmentResponse { Relationship = d.State.ToProto(), Version = d.Version });

    public override Task<AssignManagerResponse> AssignManager(AssignManagerRequest request, ServerCallContext context) =>
        Change(request, context,
            (id, by) => new Commands.AssignManager(id, request.Manager.Trim(), by.Actor, by.At),
            d => new AssignManagerResponse { Relationship = d.State.ToProto(), Version = d.Version });

    public override Task<AddStakeholderResponse> AddStakeholder(AddStakeholderRequest request, ServerCallContext context)
    {
        var stakeholderId = Guid.CreateVersion7();
        return Change(request, context,
            (id, by) => new Commands.AddStakeholder(id, stakeholderId, request.Name.Trim(), request.Title.Trim(),
                request.Level.ToDomain(), Optional(request.Email), request.Influence.ToDomain(), request.Interest.ToDomain(),
                by.Actor, by.At),
            d => new AddStakeholderResponse
            {
                Relationship = d.State.ToProto(), Version = d.Version, StakeholderId = stakeholderId.ToString(),
            });
    }

    public override Task<UpdateStakeholderResponse> UpdateStakeholder(UpdateStakeholderRequest request, ServerCallContext context) =>
        Change(request, context,
            (id, by) => new Commands.UpdateStakeholder(id, Id(request.StakeholderId),
                request.HasName ? request.Name.Trim() : null,
                request.HasTitle ? request.Title.Trim() : null,
                request.HasLevel ? request.Level.ToDomain() : null,
                request.HasEmail ? request.Email.Trim() : null,
                request.HasInfluence ? request.Influence.ToDomain() : null,
                request.HasInterest ? request.Interest.ToDomain() : null,
                by.Actor, by.At),
            d => new UpdateStakeholderResponse { Relationship = d.State.ToProto(), Version = d.Version });

    public override Task<RemoveStakeholderResponse> RemoveStakeholder(RemoveStakeholderRequest request, ServerCallContext context) =>
        Change(request, context,
            (id, by) => new Commands.RemoveStakeholder(id, Id(request.StakeholderId), Optional(request.Reason), by.Actor, by.At),
            d => new RemoveStakeholderResponse { Relationship = d.State.ToProto(), Version = d.Version });

    public override Task<RecordInformationNeedResponse> RecordInformationNeed(RecordInformationNeedRequest request, ServerCallContext context)
    {
        var needId = Guid.CreateVersion7();
        return Change(request, context,
            (id, by) => new Commands.RecordInformationNeed(id, needId, request.Description.Trim(), request.Priority.ToDomain(),
                OptionalId(request.RaisedByStakeholderId), by.Actor, by.At),
            d => new RecordInformationNeedResponse
            {
                Relationship = d.State.ToProto(), Version = d.Version, InformationNeedId = needId.ToString(),
            });
    }

    public override Task<RetireInformationNeedResponse> RetireInformationNeed(RetireInformationNeedRequest request, ServerCallContext context) =>
        Change(request, context,
            (id, by) => new Commands.RetireInformationNeed(id, Id(request.InformationNeedId), request.Reason.Trim(), by.Actor, by.At),
            d => new RetireInformationNeedResponse { Relationship = d.State.ToProto(), Version = d.Version });

    public override Task<RecordCommunicationPreferenceResponse> RecordCommunicationPreference(
        RecordCommunicationPreferenceRequest request, ServerCallContext context) =>
        Change(request, context,
            (id, by) => new Commands.RecordCommunicationPreference(id, request.Channel.ToDomain(), request.Audience.Trim(),
                Optional(request.Notes), by.Actor, by.At),
            d => new RecordCommunicationPreferenceResponse { Relationship = d.State.ToProto(), Version = d.Version });

    public override Task<ReviewNeedsAndPreferencesResponse> ReviewNeedsAndPreferences(
        ReviewNeedsAndPreferencesRequest request, ServerCallContext context) =>
        Change(request, context,
            (id, by) => new Commands.ReviewNeedsAndPreferences(id, by.Actor, by.At),
            d => new ReviewNeedsAndPreferencesResponse { Relationship = d.State.ToProto(), Version = d.Version });

    public override Task<AssessMaturityResponse> AssessMaturity(AssessMaturityRequest request, ServerCallContext context) =>
        Change(request, context,
            (id, by) => new Commands.AssessMaturity(id, request.Side.ToDomain(), request.Level.ToDomain(),
                request.Evidence.Trim(), by.Actor, by.At),
            d => new AssessMaturityResponse { Relationship = d.State.ToProto(), Version = d.Version });

    public override Task<ArchiveRelationshipResponse> ArchiveRelationship(ArchiveRelationshipRequest request, ServerCallContext context) =>
        Change(request, context,
            (id, by) => new Commands.ArchiveRelationship(id, request.Reason.Trim(), by.Actor, by.At),
            d => new ArchiveRelationshipResponse { Relationship = d.State.ToProto(), Version = d.Version });

    /// <summary>Erasure reads and rewrites more than the relationship's stream (<see cref="StakeholderErasure"/>): it runs on its own path.</summary>
    public override Task<EraseStakeholderPersonalDataResponse> EraseStakeholderPersonalData(
        EraseStakeholderPersonalDataRequest request, ServerCallContext context) =>
        mutations.Run(request, request.RequestId, context, async (session, stamp, ct) =>
        {
            var command = new Commands.EraseStakeholderPersonalData(Id(request.RelationshipId), Id(request.StakeholderId), stamp.Actor, stamp.At);
            var decided = await session.EraseStakeholderPersonalDataAsync(command, request.Expected(), ct);
            return new EraseStakeholderPersonalDataResponse { Relationship = decided.State.ToProto(), Version = decided.Version };
        });

    /// <summary>Every change to an existing relationship: one round trip fetches the request id's first answer and the locked stream.</summary>
    private Task<TResponse> Change<TResponse>(
        IRelationshipMutation request,
        ServerCallContext context,
        Func<Guid, Stamp, RelationshipCommand> command,
        Func<Decided<Model.Relationship>, TResponse> respond)
        where TResponse : class, IMessage<TResponse>, new()
    {
        var id = Id(request.RelationshipId);
        return mutations.Decide<Model.Relationship, TResponse>(request, context, id, request.Expected(),
            (state, by) => RelationshipDecider.Decide(command(id, by), state),
            (decided, _) => respond(decided));
    }
}
