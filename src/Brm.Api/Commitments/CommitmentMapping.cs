using Brm.Api.Infrastructure;
using Brm.Domain;
using Model = Brm.Domain.Commitments;

namespace Brm.Api.Commitments;

/// <summary>Domain commitments to brm.v1 messages; overdue is computed against today's date.</summary>
public static class CommitmentMapping
{
    public static V1.Commitment ToProto(this Model.Commitment c, DateOnly today)
    {
        var message = new V1.Commitment
        {
            Id = c.Id.ToString(),
            RelationshipId = c.RelationshipId.ToString(),
            Title = c.Title,
            Description = c.Description ?? "",
            Owner = c.Owner,
            DueDate = c.DueDate.ToProto(),
            Direction = c.Direction.ToProto(),
            VisibleToBusiness = c.VisibleToBusiness,
            Status = c.Status.ToProto(),
            Overdue = c.IsOverdue(today),
            Renegotiations = c.Renegotiations,
            MadeAt = c.MadeAt.ToProto(),
            ClosedAt = c.ClosedAt.ToProto(),
            ClosingNote = c.ClosingNote ?? "",
            OutcomeTold = c.OutcomeTold(),
            UpdatedAt = c.UpdatedAt.ToProto(),
            Version = c.Version,
            Tags = { c.Tags },
        };
        switch (c.Source.Kind)
        {
            case SourceKind.Meeting:
                message.SourceMeetingId = c.Source.Id.ToString();
                break;
            case SourceKind.Feedback:
                message.SourceFeedbackId = c.Source.Id.ToString();
                break;
            default:
                message.SourceNote = c.Source.Note ?? "";
                break;
        }

        if (c.DeliveredOnTime() is { } onTime)
        {
            message.DeliveredOnTime = onTime;
        }

        message.History.AddRange(c.History.Select(ToProto));
        return message;
    }

    public static V1.CommitmentFigures ToProto(this Model.CommitmentFigures f)
    {
        var message = new V1.CommitmentFigures
        {
            Total = f.Total,
            Open = f.Open,
            Overdue = f.Overdue,
            DeliveredOnTime = f.DeliveredOnTime,
            DeliveredLate = f.DeliveredLate,
            Cancelled = f.Cancelled,
            Renegotiated = f.Renegotiated,
            Closed = f.Closed,
            ClosedTold = f.ClosedTold,
        };
        if (f.ToldShare is { } share)
        {
            message.ToldShare = share;
        }

        if (f.MeanTimeToTell is { } mean)
        {
            message.MeanHoursToTell = mean.TotalHours;
        }

        return message;
    }

    private static V1.CommitmentChange ToProto(Model.CommitmentChange h)
    {
        var change = new V1.CommitmentChange
        {
            Kind = h.Kind.ToProto(),
            By = h.By,
            At = h.At.ToProto(),
            Text = h.Text ?? "",
            PreviousDueDate = h.PreviousDueDate?.ToProto(),
            DueDate = h.DueDate?.ToProto(),
            Outcome = h.Outcome?.ToProto() ?? V1.CommitmentOutcome.Unspecified,
            Channel = h.Channel?.ToProto() ?? V1.Channel.Unspecified,
        };
        change.StakeholderIds.AddRange(h.StakeholderIds?.Select(id => id.ToString()) ?? []);
        return change;
    }
}
