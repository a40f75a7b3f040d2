using Brm.Api.Infrastructure;
using Brm.Domain.Feedback;

namespace Brm.Api.Feedback;

/// <summary>Feedback between brm.v1 messages and the domain; how long a loop has been open is computed against today.</summary>
public static class FeedbackMapping
{
    public static V1.Feedback ToProto(this FeedbackItem f, DateOnly today)
    {
        var message = new V1.Feedback
        {
            Id = f.Id.ToString(),
            RelationshipId = f.RelationshipId.ToString(),
            FromStakeholderId = f.FromStakeholderId?.ToString() ?? "",
            Anonymous = f.IsAnonymous,
            Channel = f.Channel.ToProto(),
            Comment = f.Comment ?? "",
            About = f.About.ToProto(),
            FeedbackRequestId = f.FeedbackRequestId?.ToString() ?? "",
            Status = f.Status.ToProto(),
            ReceivedAt = f.ReceivedAt.ToProto(),
            RecordedBy = f.RecordedBy,
            Acknowledged = f.Acknowledged?.ToProto(),
            Declined = f.Declined?.ToProto(),
            ActionedCommitmentId = f.ActionedCommitmentId?.ToString() ?? "",
            Actioned = f.Actioned?.ToProto(),
            LoopClosed = f.LoopClosed,
            LoopOpenDays = f.LoopOpenDays(today),
            UpdatedAt = f.UpdatedAt.ToProto(),
            Scale = f.Scale.ToProto(),
            Tags = { f.Tags },
            Version = f.Version,
        };
        if (f.Rating is { } rating)
        {
            message.Rating = rating;
        }

        if (f.Response is { } response)
        {
            message.Response = new V1.FeedbackResponse
            {
                By = response.By,
                SentAt = response.SentAt.ToProto(),
                Text = response.Text,
                Channel = response.Channel.ToProto(),
                StakeholderIds = { response.StakeholderIds.Select(id => id.ToString()) },
            };
        }

        return message;
    }

    public static V1.RequestForFeedback ToProto(this FeedbackRequest r) => new()
    {
        Id = r.Id.ToString(),
        RelationshipId = r.RelationshipId.ToString(),
        AudienceStakeholderIds = { r.AudienceStakeholderIds.Select(id => id.ToString()) },
        Channel = r.Channel.ToProto(),
        About = r.About.ToProto(),
        Question = r.Question ?? "",
        RequestedAt = r.RequestedAt.ToProto(),
        RequestedBy = r.RequestedBy,
        Version = r.Version,
        Scale = r.Scale.ToProto(),
        Delivery = r.Delivery.ToProto(),
        AllowAnonymous = r.AllowAnonymous,
        SeriesId = r.SeriesId?.ToString() ?? "",
        PeriodStart = r.PeriodStart?.ToProto(),
        Invitations = { r.Invitations.Select(ToProto) },
        RevokedAt = r.RevokedAt?.ToProto(),
        RevokeReason = r.RevokeReason ?? "",
        Continued = r.Continued,
        NextFeedbackRequestId = r.NextFeedbackRequestId?.ToString() ?? "",
    };

    public static V1.MonthlyResponseRate ToProto(this MonthlyResponses m)
    {
        var month = new V1.MonthlyResponseRate { Year = m.Year, Month = m.Month, PeopleAsked = m.PeopleAsked, Responses = m.Responses };
        if (m.ResponseRate is { } rate)
        {
            month.ResponseRate = rate;
        }

        return month;
    }

    public static V1.FeedbackInvitation ToProto(this FeedbackInvitation i) => new()
    {
        StakeholderId = i.StakeholderId.ToString(),
        Status = ((InvitationStatus?)i.Status).ToProto(),
        At = i.At?.ToProto(),
        FailureReason = i.FailureReason ?? "",
        Reminder = i.Reminder.ToProto(),
        RemindedAt = i.ReminderAt?.ToProto(),
        Answered = i.Answered,
    };

    public static V1.ScaleScores ToProto(this ScaleScores s)
    {
        var message = new V1.ScaleScores
        {
            NpsAnswers = s.NpsAnswers, Promoters = s.Promoters, Passives = s.Passives, Detractors = s.Detractors,
            CsatAnswers = s.CsatAnswers, Satisfied = s.Satisfied,
        };
        if (s.Nps is { } nps)
        {
            message.Nps = nps;
        }

        if (s.CsatShare is { } share)
        {
            message.CsatShare = share;
        }

        return message;
    }

    public static V1.FeedbackSubject ToProto(this FeedbackSubject about) => new()
    {
        Kind = about.Kind.ToProto(),
        MeetingId = about.Kind == FeedbackSubjectKind.Meeting ? about.Id.ToString() : "",
        CommitmentId = about.Kind == FeedbackSubjectKind.Commitment ? about.Id.ToString() : "",
        Cadence = about.Cadence?.ToProto() ?? V1.Cadence.Unspecified,
    };

    public static V1.FeedbackLoopStats ToProto(this FeedbackLoopStats s)
    {
        var message = new V1.FeedbackLoopStats
        {
            AsOf = s.AsOf.ToProto(),
            RequestsSent = s.RequestsSent,
            PeopleAsked = s.PeopleAsked,
            Responses = s.Responses,
            Received = s.Received,
            Acknowledged = s.Acknowledged,
            LoopsClosed = s.LoopsClosed,
            OpenLoops = s.OpenLoops,
            OpenLoopsOverThreshold = s.OpenLoopsOverThreshold,
            LoopOpenDays = s.LoopOpenDays,
            Actioned = s.Actioned,
            DeclinesTold = s.DeclinesTold,
            DeclinesNotTold = s.DeclinesNotTold,
            Rated = s.Rated,
            MonthlyRatings =
            {
                s.MonthlyRatings.Select(m => new V1.MonthlyRating { Year = m.Year, Month = m.Month, Rated = m.Rated, AverageRating = m.Average }),
            },
            Scores = s.Scores.ToProto(),
            MonthlyScores = { s.MonthlyScores.Select(m => new V1.MonthlyScores { Year = m.Year, Month = m.Month, Scores = m.Scores.ToProto() }) },
            MonthlyResponseRates = { s.MonthlyResponseRates.Select(ToProto) },
        };
        if (s.ResponseRate is { } rate)
        {
            message.ResponseRate = rate;
        }

        if (s.MedianTimeToAcknowledge is { } acknowledge)
        {
            message.MedianHoursToAcknowledge = acknowledge.TotalHours;
        }

        if (s.LoopsClosedShare is { } share)
        {
            message.LoopsClosedShare = share;
        }

        if (s.MedianTimeToClose is { } close)
        {
            message.MedianHoursToClose = close.TotalHours;
        }

        if (s.AverageRating is { } average)
        {
            message.AverageRating = average;
        }

        return message;
    }

    private static V1.FeedbackStep ToProto(this FeedbackStep step) => new() { By = step.By, At = step.At.ToProto(), Text = step.Text ?? "" };
}
