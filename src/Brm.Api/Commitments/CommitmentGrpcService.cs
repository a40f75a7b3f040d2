using Brm.Api.Infrastructure;
using Brm.Api.Tags;
using Brm.Domain;
using Brm.Domain.Commitments;
using Brm.Domain.Feedback;
using Brm.Domain.Meetings;
using Brm.Domain.Relationships;
using Brm.V1;
using Google.Protobuf;
using Grpc.Core;
using Marten;
using static Brm.Api.Infrastructure.ProtoFields;
using Commands = Brm.Domain.Commitments;
using Model = Brm.Domain.Commitments;

namespace Brm.Api.Commitments;

/// <summary>brm.v1.CommitmentService: each RPC builds one command or query and maps the result.</summary>
public sealed class CommitmentGrpcService(Mutations mutations, IQuerySession query, TimeProvider clock, PageCursors pages)
    : CommitmentService.CommitmentServiceBase
{
    /// <summary>The source meeting or feedback item is read for its relationship after the one round trip.</summary>
    public override Task<MakeCommitmentResponse> MakeCommitment(MakeCommitmentRequest request, ServerCallContext context) =>
        mutations.Run<Model.Commitment, MakeCommitmentResponse>(request, context, Guid.CreateVersion7(), RelationshipHold.Of(Id(request.RelationshipId)), async (held, ct) =>
        {
            var (session, stream, relationship, stamp) = held;
            var source = Source(request);
            var command = new Commands.MakeCommitment(
                stream.Id, relationship.Id, request.Title.Trim(), Optional(request.Description), request.Owner.Trim(),
                request.DueDate.ToDomain(), request.Direction.ToDomain(), source, await SourceRelationshipAsync(session, source, ct),
                !request.HasVisibleToBusiness || request.VisibleToBusiness, stamp.Actor, stamp.At);
            var decided = stream.Decide(expectedVersion: null, state => CommitmentDecider.Decide(command, state, relationship));
            return new MakeCommitmentResponse { Commitment = decided.State.ToProto(stamp.Today), Version = decided.Version };
        });

    public override Task<StartCommitmentResponse> StartCommitment(StartCommitmentRequest request, ServerCallContext context) =>
        Change(request, context,
            (id, by) => new Commands.StartCommitment(id, by.Actor, by.At),
            (c, v) => new StartCommitmentResponse { Commitment = c, Version = v });

    public override Task<RenegotiateCommitmentResponse> RenegotiateCommitment(RenegotiateCommitmentRequest request, ServerCallContext context) =>
        Change(request, context,
            (id, by) => new Commands.RenegotiateCommitment(id, request.DueDate.ToDomain(), request.Reason.Trim(),
                OptionalId(request.AgreedWithStakeholderId), by.Actor, by.At),
            (c, v) => new RenegotiateCommitmentResponse { Commitment = c, Version = v });

    public override Task<DeliverCommitmentResponse> DeliverCommitment(DeliverCommitmentRequest request, ServerCallContext context) =>
        Change(request, context,
            (id, by) => new Commands.DeliverCommitment(id, Optional(request.Note), request.DeliveredAt?.ToDomain(), by.Actor, by.At),
            (c, v) => new DeliverCommitmentResponse { Commitment = c, Version = v });

    public override Task<CancelCommitmentResponse> CancelCommitment(CancelCommitmentRequest request, ServerCallContext context) =>
        Change(request, context,
            (id, by) => new Commands.CancelCommitment(id, request.Reason.Trim(), by.Actor, by.At),
            (c, v) => new CancelCommitmentResponse { Commitment = c, Version = v });

    public override Task<RecordBusinessInformedResponse> RecordBusinessInformed(RecordBusinessInformedRequest request, ServerCallContext context) =>
        Change(request, context,
            (id, by) => new Commands.RecordBusinessInformed(id, request.Channel.ToDomain(), request.InformedAt?.ToDomain(),
                [.. Ids(request.StakeholderIds).Distinct()], request.Message.Trim(), by.Actor, by.At),
            (c, v) => new RecordBusinessInformedResponse { Commitment = c, Version = v });

    public override async Task<GetCommitmentResponse> GetCommitment(GetCommitmentRequest request, ServerCallContext context)
    {
        var commitment = await query.GetCommitmentAsync(Id(request.CommitmentId), context.CancellationToken);
        return new GetCommitmentResponse { Commitment = commitment.ToProto(Today()) };
    }

    public override async Task<ListCommitmentsResponse> ListCommitments(ListCommitmentsRequest request, ServerCallContext context)
    {
        var today = Today();
        var filter = new CommitmentFilter(
            OptionalId(request.RelationshipId),
            Optional(request.Owner),
            [.. request.Statuses.Select(s => s.ToDomain())],
            request.OverdueOnly,
            request.DueBefore?.ToDomain(),
            OptionalId(request.SourceMeetingId),
            TagRules.Filter(request.Tags));
        var filters = $"{filter with { Statuses = null, Tags = null }}|{string.Join(",", request.Statuses)}|{string.Join(",", filter.Tags!)}"
            + $"|today={(request.OverdueOnly ? today : default)}";
        var after = pages.Read<DateOnly>(request.PageToken, filters, context);
        var size = PageTokens.Size(request.PageSize);
        var page = await query.ListCommitmentsAsync(
            filter, today, after?.Key, after?.Id ?? Guid.Empty, size + 1,
            context.CancellationToken);

        var response = new ListCommitmentsResponse();
        response.Commitments.AddRange(page.Take(size).Select(c => c.ToProto(today)));
        if (page.Count > size)
        {
            var last = page[size - 1];
            response.NextPageToken = pages.Write(new PageCursor<DateOnly>(last.DueDate, last.Id), filters, context);
        }

        return response;
    }

    public override async Task<GetCommitmentFiguresResponse> GetCommitmentFigures(GetCommitmentFiguresRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        CommitmentFilter filter;
        if (request.ScopeCase == GetCommitmentFiguresRequest.ScopeOneofCase.RelationshipId)
        {
            var relationship = await query.GetAsync(Id(request.RelationshipId), ct);
            filter = new CommitmentFilter(RelationshipId: relationship.Id);
        }
        else
        {
            filter = new CommitmentFilter(Owner: request.Owner.Trim());
        }

        var commitments = await query.AllCommitmentsAsync(filter, ct);
        return new GetCommitmentFiguresResponse { Figures = Model.CommitmentFigures.From([.. commitments], Today()).ToProto() };
    }

    /// <summary>Every change to an existing commitment: its relationship (the one its document names) is held for the rules.</summary>
    private Task<TResponse> Change<TResponse>(
        ICommitmentMutation request,
        ServerCallContext context,
        Func<Guid, Stamp, CommitmentCommand> command,
        Func<V1.Commitment, long, TResponse> respond)
        where TResponse : class, IMessage<TResponse>, new()
    {
        var id = Id(request.CommitmentId);
        return mutations.Decide<Model.Commitment, TResponse>(request, context, id, request.Expected(), RelationshipHold.OfCommitment(id),
            (state, relationship, by) => CommitmentDecider.Decide(command(id, by), state, relationship),
            (decided, _, by) => respond(decided.State.ToProto(by.Today), decided.Version));
    }

    private static CommitmentSource Source(MakeCommitmentRequest request) => request.SourceCase switch
    {
        MakeCommitmentRequest.SourceOneofCase.SourceMeetingId => new CommitmentSource(SourceKind.Meeting, Id(request.SourceMeetingId), null),
        MakeCommitmentRequest.SourceOneofCase.SourceFeedbackId => new CommitmentSource(SourceKind.Feedback, Id(request.SourceFeedbackId), null),
        _ => new CommitmentSource(SourceKind.Other, null, request.SourceNote.Trim()),
    };

    /// <summary>The relationship the source meeting or feedback item belongs to; NOT_FOUND when it does not exist.</summary>
    private static async Task<Guid?> SourceRelationshipAsync(IQuerySession session, CommitmentSource source, CancellationToken ct) =>
        source.Kind switch
        {
            SourceKind.Meeting => (await session.GetMeetingAsync(source.Id!.Value, ct)).RelationshipId,
            SourceKind.Feedback => (await session.GetFeedbackAsync(source.Id!.Value, ct)).RelationshipId,
            _ => null,
        };

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

}
