using Brm.Api.Infrastructure;
using Model = Brm.Domain.Relationships;

namespace Brm.Api.Relationships;

/// <summary>Domain state to brm.v1 messages. The enums share their numbers, so they convert by value.</summary>
public static class RelationshipMapping
{
    public static V1.Relationship ToProto(this Model.Relationship r)
    {
        var message = new V1.Relationship
        {
            Id = r.Id.ToString(),
            Code = r.Code,
            Name = r.Name,
            Manager = r.Manager ?? "",
            StakeholderCounts = Counts(r),
            BusinessMaturity = r.BusinessMaturity?.ToProto(),
            ItMaturity = r.ItMaturity?.ToProto(),
            Archived = r.Archived is not null,
            ArchiveReason = r.Archived?.Reason ?? "",
            ArchivedAt = r.Archived?.ArchivedAt.ToProto(),
            RegisteredAt = r.RegisteredAt.ToProto(),
            UpdatedAt = r.UpdatedAt.ToProto(),
            Version = r.Version,
            Tags = { r.Tags },
            TwoQuestionsAskedAt = r.TwoQuestionsAskedAt().ToProto(),
        };
        if (r.MaturityGap() is { } gap)
        {
            message.MaturityGap = gap;
        }

        message.Stakeholders.AddRange(r.CurrentStakeholders().Select(ToProto));
        message.InformationNeeds.AddRange(r.ActiveInformationNeeds().Select(ToProto));
        message.CommunicationPreferences.AddRange(r.CommunicationPreferences.Select(ToProto));
        return message;
    }

    public static V1.Stakeholder ToProto(this Model.Stakeholder s) => new()
    {
        Id = s.Id.ToString(),
        Name = s.Name,
        Title = s.Title,
        Level = s.Level.ToProto(),
        Email = s.Email ?? "",
        Influence = s.Influence.ToProto(),
        Interest = s.Interest.ToProto(),
        AddedAt = s.AddedAt.ToProto(),
        Erased = s.Erased,
        Tags = { s.Tags },
    };

    public static V1.InformationNeed ToProto(this Model.InformationNeed n) => new()
    {
        Id = n.Id.ToString(),
        Description = n.Description,
        Priority = n.Priority.ToProto(),
        RaisedByStakeholderId = n.RaisedByStakeholderId?.ToString() ?? "",
        RecordedAt = n.RecordedAt.ToProto(),
    };

    public static V1.CommunicationPreference ToProto(this Model.CommunicationPreference p) => new()
    {
        Channel = p.Channel.ToProto(),
        Audience = p.Audience,
        Notes = p.Notes ?? "",
        RecordedAt = p.RecordedAt.ToProto(),
    };

    public static V1.RelationshipSummary ToSummary(this Model.Relationship r) => new()
    {
        Id = r.Id.ToString(),
        Code = r.Code,
        Name = r.Name,
        Manager = r.Manager ?? "",
        StakeholderCounts = Counts(r),
        InformationNeedCount = r.ActiveInformationNeeds().Count(),
        BusinessMaturity = r.BusinessMaturity?.Level.ToProto() ?? V1.MaturityLevel.Unspecified,
        ItMaturity = r.ItMaturity?.Level.ToProto() ?? V1.MaturityLevel.Unspecified,
        Archived = r.Archived is not null,
        UpdatedAt = r.UpdatedAt.ToProto(),
        Version = r.Version,
        Tags = { r.Tags },
    };

    private static V1.MaturityAssessment ToProto(this Model.MaturityAssessment m) => new()
    {
        Level = m.Level.ToProto(),
        Evidence = m.Evidence,
        AssessedBy = m.AssessedBy,
        AssessedAt = m.AssessedAt.ToProto(),
    };

    private static V1.StakeholderCounts Counts(Model.Relationship r) => new()
    {
        Executive = r.CountStakeholders(Brm.Domain.StakeholderLevel.Executive),
        Manager = r.CountStakeholders(Brm.Domain.StakeholderLevel.Manager),
        Staff = r.CountStakeholders(Brm.Domain.StakeholderLevel.Staff),
        Total = r.CurrentStakeholders().Count(),
    };
}
