using Brm.Api.Infrastructure;
using Brm.Domain.Outreach;
using static Brm.Api.Infrastructure.ProtoFields;
using Model = Brm.Domain.Outreach;

namespace Brm.Api.Outreach;

/// <summary>Sent updates between brm.v1 and the domain.</summary>
public static class SentUpdateMapping
{
    /// <summary>A validated fact (its kind specified, its id a UUID).</summary>
    public static UpdateFact Fact(V1.UpdateFact fact) => new((UpdateFactKind)fact.Kind, Id(fact.Id));

    /// <summary>The update as GetUpdate shows it; without its HTML rendering when <paramref name="withHtml"/> is false (ListUpdates).</summary>
    public static V1.Update ToProto(this Model.Update update, bool withHtml = true)
    {
        var message = new V1.Update
        {
            Id = update.Id.ToString(),
            RelationshipId = update.RelationshipId.ToString(),
            PlanItemId = update.PlanItemId.ToString(),
            Period = new V1.Period { From = update.PeriodFrom.ToProto(), To = update.PeriodTo.ToProto() },
            Subject = update.Subject,
            BodyMarkdown = update.BodyMarkdown,
            BodyHtml = withHtml ? MailMarkdown.ToHtml(update.BodyMarkdown) : "",
            CommunicationId = update.CommunicationId.ToString(),
            SentBy = update.SentBy,
            SentAt = update.SentAt.ToProto(),
            Version = update.Version,
        };
        message.Facts.AddRange(update.Facts.Select(f => new V1.UpdateFact { Kind = (V1.UpdateFactKind)f.Kind, Id = f.Id.ToString() }));
        message.Deliveries.AddRange(update.Deliveries.Select(d => new V1.Delivery
        {
            Recipient = new V1.Recipient { StakeholderId = d.Recipient.StakeholderId?.ToString() ?? "", Name = d.Recipient.Name, Email = d.Recipient.Email },
            Status = (V1.DeliveryStatus)d.Status,
            MessageId = d.MessageId ?? "",
            At = d.At?.ToProto(),
            Detail = d.Detail ?? "",
            Attempts = d.Attempts,
        }));
        return message;
    }
}
