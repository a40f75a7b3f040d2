using Brm.Api.Commitments;
using Brm.Api.CommunicationPlans;
using Brm.Api.Feedback;
using Brm.Api.Infrastructure;
using Brm.Api.Meetings;
using Brm.Api.Outreach;
using Brm.Api.Relationships;
using Brm.Domain.Reporting;
using Google.Protobuf.Reflection;
using static Brm.Api.Infrastructure.ProtoFields;

namespace Brm.Api.Reporting;

/// <summary>
/// brm.v1.ReportingService's messages to and from the domain's: the feed's filter and events, the timeline, the relationship
/// as of a moment, health, the portfolio and the department brief (each part in the message its own RPC answers with,
/// names beside the ids).
/// </summary>
public static class ReportingMapping
{
    private static readonly EnumDescriptor SortNames = V1.ReportingReflection.Descriptor.FindTypeByName<EnumDescriptor>("PortfolioSort");

    public static FeedFilter ToFilter(this V1.StreamEventsRequest request) =>
        new(request.EventTypes.ToHashSet(), Ids(request.RelationshipIds).ToHashSet());

    public static V1.FeedEvent ToProto(this FeedEntry entry) => new()
    {
        Position = entry.Position,
        EventId = entry.EventId.ToString(),
        StreamId = entry.StreamId.ToString(),
        StreamVersion = entry.StreamVersion,
        RelationshipId = entry.RelationshipId == Guid.Empty ? "" : entry.RelationshipId.ToString(),
        EventType = entry.EventType,
        OccurredAt = entry.OccurredAt.ToProto(),
        RecordedAt = entry.RecordedAt.ToProto(),
        Actor = entry.Actor,
        CorrelationId = entry.CorrelationId ?? "",
        CausationId = entry.CausationId ?? "",
        Payload = EventPayloads.ToPayload(entry.Data),
    };

    public static V1.GetTimelineResponse ToProto(this TimelinePage page, V1.Freshness freshness) =>
        new() { Entries = { page.Entries.Select(ToProto) }, Freshness = freshness };

    public static V1.TimelineEntry ToProto(TimelineEntry e) => new()
    {
        Position = e.Id,
        EventType = e.EventType,
        Summary = e.Summary,
        Actor = e.Actor,
        OccurredAt = e.OccurredAt.ToProto(),
        StreamId = e.StreamId.ToString(),
    };

    public static V1.GetRelationshipAsOfResponse ToProto(this RelationshipSnapshot s, V1.Freshness freshness) => new()
    {
        Relationship = s.AsOf.Relationship.ToProto(),
        Position = s.AsOf.Position,
        OpenCommitments = { s.OpenCommitments.Select(c => c.ToProto(s.Day)) },
        OpenFeedback = { s.OpenFeedback.Select(f => f.ToProto(s.Day)) },
        UpdatesSent = { s.UpdatesSent.Select(u => u.ToProto(withHtml: false)) },
        Freshness = freshness,
    };

    public static V1.GetRelationshipHealthResponse ToProto(this RelationshipHealth h, V1.Freshness freshness)
    {
        var response = new V1.GetRelationshipHealthResponse
        {
            RelationshipId = h.Relationship.Id.ToString(),
            Signals = { h.Now.Signals.Select(ToProto) },
            AsOf = h.AsOf.ToProto(),
            Freshness = freshness,
            TwoQuestionsAskedAt = h.Now.Headlines.TwoQuestionsAskedAt.ToProto(),
        };
        if (h.Now.Score is { } score)
        {
            response.Score = score;
        }

        if (h.Score30DaysAgo is { } before30)
        {
            response.Score30DaysAgo = before30;
        }

        if (h.Score90DaysAgo is { } before90)
        {
            response.Score90DaysAgo = before90;
        }

        return response;
    }

    public static V1.HealthSignal ToProto(HealthSignal signal)
    {
        var message = new V1.HealthSignal
        {
            Name = signal.Name, Weight = signal.Weight, Value = signal.Value, Explanation = signal.Explanation,
        };
        if (signal.Score is { } score)
        {
            message.Score = score;
        }

        return message;
    }

    /// <summary>
    /// The order a sort names: by health, by name, by manager, or by one signal, the one the sort is named after
    /// (PORTFOLIO_SORT_TWO_QUESTIONS: "two_questions").
    /// </summary>
    public static PortfolioOrder ToDomain(this V1.PortfolioSort sort) => sort switch
    {
        V1.PortfolioSort.Health => new PortfolioOrder.ByHealth(),
        V1.PortfolioSort.Name => new PortfolioOrder.ByName(),
        V1.PortfolioSort.Manager => new PortfolioOrder.ByManager(),
        _ => new PortfolioOrder.BySignal(SortNames.FindValueByNumber((int)sort).Name["PORTFOLIO_SORT_".Length..].ToLowerInvariant()),
    };

    /// <summary>The page's rows and the portfolio's trend; the caller adds the next page's token.</summary>
    public static V1.GetPortfolioResponse ToProto(this PortfolioPage page, DateTimeOffset asOf, V1.Freshness freshness) => new()
    {
        AsOf = asOf.ToProto(),
        Freshness = freshness,
        Rows = { page.Rows.Select(ToProto) },
        Trend = { page.Trend.Select(ToProto) },
    };

    private static V1.PortfolioRow ToProto(PortfolioRow row)
    {
        var message = new V1.PortfolioRow
        {
            RelationshipId = row.Relationship.Id.ToString(),
            Code = row.Relationship.Code,
            Name = row.Relationship.Name,
            Manager = row.Relationship.Manager ?? "",
            Signals = { row.Health.Signals.Select(ToProto) },
            Tags = { row.Relationship.Tags },
            Scores = row.Scores.ToProto(),
            DeclinesNotTold = row.Health.Headlines.DeclinesNotTold,
            TwoQuestionsAskedAt = row.Health.Headlines.TwoQuestionsAskedAt.ToProto(),
        };
        if (row.Health.Score is { } score)
        {
            message.Health = score;
        }

        if (row.Health.Headlines.PlanAdherence is { } adherence)
        {
            message.PlanAdherence = adherence;
        }

        if (row.Health.Headlines.LoopsClosedShare is { } closed)
        {
            message.LoopsClosedShare = closed;
        }

        message.Trend.AddRange(row.Trend.Select(ToProto));
        return message;
    }

    private static V1.MonthlyHealth ToProto(MonthlyHealth point)
    {
        var message = new V1.MonthlyHealth { Year = point.Month.Year, Month = point.Month.Month, AsOf = point.Month.At.ToProto() };
        if (point.Score is { } score)
        {
            message.Score = score;
        }

        return message;
    }

    private static V1.PortfolioMonthlyHealth ToProto(PortfolioMonthlyHealth point)
    {
        var message = new V1.PortfolioMonthlyHealth
        {
            Year = point.Month.Year, Month = point.Month.Month, AsOf = point.Month.At.ToProto(), DepartmentsScored = point.DepartmentsScored,
        };
        if (point.Score is { } score)
        {
            message.Score = score;
        }

        return message;
    }

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
            Timeline = { b.Timeline.Select(ToProto) },
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
        var message = new V1.BriefingHealth { Signals = { h.Now.Signals.Select(ToProto) } };
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
