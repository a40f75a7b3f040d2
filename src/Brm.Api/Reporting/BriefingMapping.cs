using Brm.Api.Commitments;
using Brm.Api.CommunicationPlans;
using Brm.Api.Feedback;
using Brm.Api.Infrastructure;
using Brm.Api.Meetings;
using Brm.Api.Relationships;
using Brm.Domain.Reporting;

namespace Brm.Api.Reporting;

/// <summary>The department brief to brm.v1: each part in the message its own RPC answers with, names beside the ids.</summary>
public static class BriefingMapping
{
    public static V1.GetBriefingResponse ToProto(this Briefing b, V1.Freshness freshness)
    {
        var today = b.Today;
        return new V1.GetBriefingResponse
        {
            Relationship = b.Relationship.ToSummary(),
            AsOf = b.AsOf.ToProto(),
            CoverageWindowDays = BriefingLimits.CoverageWindowDays,
            StakeholderLevels =
            {
                b.Levels.Select(l => new V1.BriefingLevel
                {
                    Level = l.Level.ToProto(),
                    Coverage = new V1.CoverageCount { Contacted = l.Coverage.Contacted, Total = l.Coverage.Total },
                    Stakeholders = { l.Stakeholders.Select(ToProto) },
                }),
            },
            NotContacted = { b.NotContacted.Select(ToProto) },
            TwoQuestions = b.TwoQuestions.ToProto(b.AsOf),
            OpenCommitments = { b.OpenCommitments.Select(c => c.ToProto(today)) },
            OverdueCommitments = b.OverdueCommitments,
            OpenFeedback = { b.OpenFeedback.Select(f => ToProto(f, today)) },
            UntoldDeclines = b.UntoldDeclines,
            PlanItems = { b.PlanItems.Select(i => i.ToProto(b.Plan, today)) },
            PlanAdherence = b.Plan.Adherence(today).ToProto(),
            Health = b.Health.ToProto(),
            RaisedPoints = { b.RaisedPoints.Select(p => ToProto(p, b)) },
            Timeline = { b.Timeline.Select(ReportingGrpcService.ToProto) },
            Freshness = freshness,
        };
    }

    private static V1.BriefingStakeholder ToProto(BriefingStakeholder s)
    {
        var message = new V1.BriefingStakeholder
        {
            Stakeholder = s.Stakeholder.ToProto(),
            LastContactAt = s.LastContact?.At.ToProto(),
            LastContactKind = s.LastContact?.Kind.ToProto() ?? V1.MeetingKind.Unspecified,
            LastContactMeetingId = s.LastContact?.MeetingId.ToString() ?? "",
            ContactedWithinWindow = s.WithinWindow,
        };
        if (s.DaysSinceContact is { } days)
        {
            message.DaysSinceContact = days;
        }

        return message;
    }

    private static V1.BriefingTwoQuestions ToProto(this BriefingTwoQuestions q, DateTimeOffset asOf)
    {
        var message = new V1.BriefingTwoQuestions
        {
            InformationNeeds =
            {
                q.Needs.Select(n => new V1.BriefingInformationNeed { Need = n.Need.ToProto(), RaisedByName = n.RaisedBy ?? "", AnsweredBy = { n.AnsweredBy } }),
            },
            CommunicationPreferences = { q.Preferences.Select(p => p.ToProto()) },
            NeedsLastRecordedAt = q.NeedsLastRecordedAt.ToProto(),
            PreferencesLastRecordedAt = q.PreferencesLastRecordedAt.ToProto(),
            LastAskedAt = q.LastAskedAt.ToProto(),
        };
        if (q.LastAskedAt is { } asked)
        {
            message.DaysSinceAsked = Briefings.WholeDays(asked, asOf);
        }

        return message;
    }

    private static V1.BriefingFeedback ToProto(BriefingFeedback f, DateOnly today) => new()
    {
        Feedback = f.Item.ToProto(today),
        FromName = f.From ?? "",
        UntoldDecline = f.Next.UntoldDecline,
        Awaiting = f.Awaiting,
        DueAt = f.Next.DueAt.ToProto(),
        Overdue = f.Next.Overdue,
        ActsOn = PlanMapping.ActsOn(f.Next.Action),
    };

    private static V1.BriefingHealth ToProto(this RecentHealth h)
    {
        var message = new V1.BriefingHealth { Signals = { h.Now.Signals.Select(ReportingGrpcService.ToProto) } };
        if (h.Now.Score is { } score)
        {
            message.Score = score;
        }

        if (h.DaysAgo30?.Score is { } before30)
        {
            message.Score30DaysAgo = before30;
        }

        if (h.DaysAgo90?.Score is { } before90)
        {
            message.Score90DaysAgo = before90;
        }

        return message;
    }

    private static V1.BriefingRaisedPoint ToProto(BriefingPoint p, Briefing b) => new()
    {
        Point = p.Point.ToProto(),
        MeetingId = p.Conversation.Id.ToString(),
        MeetingKind = p.Conversation.Kind.ToProto(),
        MeetingTopic = p.Conversation.Topic ?? "",
        HeldAt = p.Conversation.OccursAt.ToProto(),
        Attendees = { MeetingMapping.Stakeholders(p.Conversation.Held!.Conversation.StakeholderIds, b.Relationship) },
    };
}
