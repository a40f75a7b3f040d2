using Brm.Api.Infrastructure;
using Brm.Domain;
using Brm.Domain.CommunicationPlans;
using Brm.Domain.Meetings;
using Brm.Domain.Relationships;
using Brm.V1;
using Google.Protobuf;
using Grpc.Core;
using Marten;
using Microsoft.Extensions.Options;
using Commands = Brm.Domain.CommunicationPlans;
using Model = Brm.Domain.CommunicationPlans;
using static Brm.Api.Infrastructure.ProtoFields;

namespace Brm.Api.CommunicationPlans;

/// <summary>How many communications a month one BRM can keep to (configuration section "Plans").</summary>
public sealed class PlanOptions
{
    public int MonthlyLoadThreshold { get; set; } = PlanLimits.DefaultMonthlyLoadThreshold;
}

/// <summary>brm.v1.CommunicationPlanService: each RPC builds one command or query and maps the result.</summary>
public sealed class PlanGrpcService(Mutations mutations, IQuerySession query, TimeProvider clock, IOptions<PlanOptions> options)
    : CommunicationPlanService.CommunicationPlanServiceBase
{
    private int Threshold => options.Value.MonthlyLoadThreshold;

    public override Task<AddPlanItemResponse> AddPlanItem(AddPlanItemRequest request, ServerCallContext context) =>
        Change(request, context,
            by => new Commands.AddPlanItem(Id(request.RelationshipId), Guid.CreateVersion7(), request.Item.ToDomain(),
                request.StartsOn.ToDomain(), by.Actor, by.At),
            (c, plan, warnings, v) => new AddPlanItemResponse
            {
                PlanItemId = ((Commands.AddPlanItem)c).PlanItemId.ToString(), Plan = plan, Warnings = warnings, Version = v,
            });

    public override Task<ChangePlanItemResponse> ChangePlanItem(ChangePlanItemRequest request, ServerCallContext context) =>
        Change(request, context,
            by => new Commands.ChangePlanItem(Id(request.RelationshipId), Id(request.PlanItemId), request.Item.ToDomain(),
                by.Actor, by.At),
            (_, plan, warnings, v) => new ChangePlanItemResponse { Plan = plan, Warnings = warnings, Version = v });

    public override Task<RetirePlanItemResponse> RetirePlanItem(RetirePlanItemRequest request, ServerCallContext context) =>
        Change(request, context,
            by => new Commands.RetirePlanItem(Id(request.RelationshipId), Id(request.PlanItemId), request.Reason.Trim(),
                by.Actor, by.At),
            (_, plan, _, v) => new RetirePlanItemResponse { Plan = plan, Version = v });

    public override Task<RecordCommunicationResponse> RecordCommunication(RecordCommunicationRequest request, ServerCallContext context) =>
        Change(request, context,
            by => new Commands.RecordCommunication(Id(request.RelationshipId), Guid.CreateVersion7(),
                OptionalId(request.PlanItemId), request.DeliveredAt?.ToDomain(), request.Channel.ToDomain(),
                request.Summary.Trim(), string.IsNullOrWhiteSpace(request.Link) ? null : request.Link.Trim(), by.Actor, by.At),
            (c, plan, _, v) => new RecordCommunicationResponse
            {
                CommunicationId = ((Commands.RecordCommunication)c).CommunicationId.ToString(), Plan = plan, Version = v,
            });

    public override async Task<GetPlanResponse> GetPlan(GetPlanRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var relationship = await query.GetAsync(Id(request.RelationshipId), ct);
        var plan = await query.GetPlanAsync(relationship.Id, ct);
        var load = await query.PlannedLoadAsync(relationship.Manager, plan, Threshold, ct);
        return new GetPlanResponse { Plan = plan.ToProto(Today(), load) };
    }

    public override async Task<GetAgendaResponse> GetAgenda(GetAgendaRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var now = clock.GetUtcNow().ToMicroseconds();
        var horizon = request.HorizonDays == 0 ? PlanLimits.DefaultHorizonDays : request.HorizonDays;
        var window = MeetingLimits.DefaultWindowDays;
        var manager = request.Manager.Trim();
        var sources = await query.AgendaSourcesAsync(manager, now, horizon, ct);
        var response = new GetAgendaResponse
        {
            Load = Model.PlannedLoad.Of(manager, sources.Plans, Threshold).ToProto(),
            AsOf = now.ToProto(),
            HorizonDays = horizon,
            CoverageWindowDays = window,
        };
        response.Entries.AddRange(Agenda.Of(sources, now, horizon, window).Select(e => e.ToProto()));
        return response;
    }

    /// <summary>
    /// The one write path of every plan mutation: hold the relationship (rules and preferences) and lock and fetch its
    /// plan's stream in one round trip, decide, then weigh the manager's load with the plan as it now stands (a read of
    /// the manager's other plans), and map what the domain warns of.
    /// </summary>
    private Task<TResponse> Change<TResponse>(
        IPlanMutation request,
        ServerCallContext context,
        Func<Stamp, PlanCommand> command,
        Func<PlanCommand, V1.CommunicationPlan, V1.PlanWarnings, long, TResponse> respond)
        where TResponse : class, IMessage<TResponse>, new() =>
        mutations.Run<Model.CommunicationPlan, TResponse>(request, context,
            Model.CommunicationPlan.IdFor(Id(request.RelationshipId)), RelationshipHold.Of(Id(request.RelationshipId)), async (held, ct) =>
        {
            var (session, stream, relationship, stamp) = held;
            var planCommand = command(stamp);
            var decided = stream.Decide(request.Expected(), state => CommunicationPlanDecider.Decide(planCommand, state, relationship));
            var load = await session.PlannedLoadAsync(relationship.Manager, decided.State, Threshold, ct);
            var warnings = Model.PlanWarnings.Of(planCommand, relationship, load);
            return respond(planCommand, decided.State.ToProto(stamp.Today, load), warnings.ToProto(), decided.Version);
        });

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
