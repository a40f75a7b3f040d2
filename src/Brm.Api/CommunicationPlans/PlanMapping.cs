using Brm.Api.Infrastructure;
using Brm.Domain.CommunicationPlans;
using Model = Brm.Domain.CommunicationPlans;
using static Brm.Api.Infrastructure.ProtoFields;

namespace Brm.Api.CommunicationPlans;

/// <summary>Domain plans and agenda entries to brm.v1 messages; due and overdue are judged against today.</summary>
public static class PlanMapping
{
    public static PlanItemDetails ToDomain(this V1.PlanItemDetails d) => new(
        d.What.Trim(), OptionalId(d.InformationNeedId), d.Channel.ToDomain(), d.Audience.Trim(),
        d.Cadence.ToDomain(), d.Owner.Trim());

    public static V1.CommunicationPlan ToProto(this Model.CommunicationPlan plan, DateOnly today, PlannedLoad? load)
    {
        var message = new V1.CommunicationPlan
        {
            RelationshipId = plan.RelationshipId.ToString(),
            Adherence = plan.Adherence(today).ToProto(),
            Load = load?.ToProto(),
            UpdatedAt = plan.Version == 0 ? null : plan.UpdatedAt.ToProto(),
            Version = plan.Version,
        };
        message.Items.AddRange(plan.Items.Select(i => i.ToProto(plan, today)));
        message.RecentCommunications.AddRange(plan.Communications.OrderByDescending(c => c.DeliveredAt).Take(PlanLimits.RecentCommunications).Select(ToProto));
        return message;
    }

    public static V1.PlannedLoad ToProto(this PlannedLoad load) => new()
    {
        Manager = load.Manager, PerMonth = load.PerMonth, Threshold = load.Threshold, OverThreshold = load.OverThreshold,
    };

    public static V1.PlanWarnings ToProto(this PlanWarnings w) => new()
    {
        Load = w.Load?.ToProto(),
        LoadOverThreshold = w.LoadOverThreshold,
        ChannelNotPreferred = w.ChannelNotPreferred,
        PreferredChannels = { w.PreferredChannels.Select(c => c.ToProto()) },
        Messages = { w.Messages },
    };

    public static V1.AgendaEntry ToProto(this AgendaEntry e) => new()
    {
        Kind = (V1.AgendaEntryKind)e.Kind,
        RelationshipId = e.RelationshipId.ToString(),
        Department = e.Department,
        SubjectId = e.SubjectId.ToString(),
        What = e.What,
        DueAt = e.DueAt.ToProto(),
        Since = e.Since.ToProto(),
        DueOn = e.DueOn?.ToProto(),
        Overdue = e.Overdue,
        ActsOn = ActsOn(e.Action),
        UntoldDecline = e.UntoldDecline,
    };

    /// <summary>The RPC that takes each step.</summary>
    public static string ActsOn(AgendaAction action) => action switch
    {
        AgendaAction.RecordCommunication => "brm.v1.CommunicationPlanService/RecordCommunication",
        AgendaAction.DeliverCommitment => "brm.v1.CommitmentService/DeliverCommitment",
        AgendaAction.AcknowledgeFeedback => "brm.v1.FeedbackService/AcknowledgeFeedback",
        AgendaAction.ActionFeedback => "brm.v1.FeedbackService/ActionFeedback",
        AgendaAction.RespondToFeedback => "brm.v1.FeedbackService/RespondToFeedback",
        AgendaAction.LogConversation => "brm.v1.MeetingService/LogConversation",
        AgendaAction.HoldMeeting => "brm.v1.MeetingService/HoldMeeting",
        AgendaAction.SendUpdate => "brm.v1.OutreachService/SendUpdate",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    public static V1.PlanItem ToProto(this PlanItem item, Model.CommunicationPlan plan, DateOnly today)
    {
        var assessment = plan.Assess(item, today);
        var message = new V1.PlanItem
        {
            Id = item.Id.ToString(),
            What = item.What,
            InformationNeedId = item.InformationNeedId?.ToString() ?? "",
            Channel = item.Channel.ToProto(),
            Audience = item.Audience,
            Cadence = item.Cadence.ToProto(),
            Owner = item.Owner,
            StartsOn = item.StartsOn.ToProto(),
            Retired = !item.IsActive,
            RetireReason = item.Retired?.Reason ?? "",
            RetiredAt = item.Retired?.RetiredAt.ToProto(),
            NextDueOn = assessment.NextDueOn?.ToProto(),
            Overdue = assessment.NextDueOn < today,
            LastDeliveredAt = plan.Communications.Where(c => c.PlanItemId == item.Id).Select(c => (DateTimeOffset?)c.DeliveredAt).Max().ToProto(),
            Adherence = assessment.Adherence.ToProto(),
            AddedAt = item.AddedAt.ToProto(),
            UpdatedAt = item.UpdatedAt.ToProto(),
        };
        message.RecentPeriods.AddRange(assessment.Periods.Where(p => p.Outcome != PeriodOutcome.Pending).TakeLast(PlanLimits.RecentPeriods).Select(p => new V1.PlanPeriod
        {
            StartsOn = p.Start.ToProto(), DueOn = p.DueOn.ToProto(), Outcome = (V1.PeriodOutcome)p.Outcome, DeliveredAt = p.DeliveredAt.ToProto(),
        }));
        return message;
    }

    public static V1.Adherence ToProto(this Adherence a)
    {
        var message = new V1.Adherence { OnTime = a.OnTime, Late = a.Late, Missed = a.Missed };
        if (a.OnTimeShare is { } share)
        {
            message.OnTimeShare = share;
        }

        return message;
    }

    private static V1.Communication ToProto(Communication c) => new()
    {
        Id = c.Id.ToString(),
        PlanItemId = c.PlanItemId?.ToString() ?? "",
        DeliveredAt = c.DeliveredAt.ToProto(),
        Channel = c.Channel.ToProto(),
        Summary = c.Summary,
        Link = c.Link ?? "",
        DeliveredBy = c.DeliveredBy,
    };
}
