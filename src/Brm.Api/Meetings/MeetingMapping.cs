using Brm.Api.Infrastructure;
using Brm.Domain.Meetings;
using Model = Brm.Domain.Meetings;
using Relationship = Brm.Domain.Relationships.Relationship;
using static Brm.Api.Infrastructure.ProtoFields;

namespace Brm.Api.Meetings;

/// <summary>
/// Meetings between brm.v1 messages and the domain. Stakeholders are stored by id and shown with their name
/// and level as their relationship knows them now (removed ones included, and marked).
/// </summary>
public static class MeetingMapping
{
    public static V1.Meeting ToProto(this Meeting m, Relationship relationship)
    {
        var message = new V1.Meeting
        {
            Id = m.Id.ToString(),
            RelationshipId = m.RelationshipId.ToString(),
            Kind = m.Kind.ToProto(),
            Topic = m.Topic ?? "",
            Status = m.Status.ToProto(),
            OccursAt = m.OccursAt.ToProto(),
            RecordedAt = m.RecordedAt.ToProto(),
            UpdatedAt = m.UpdatedAt.ToProto(),
            Version = m.Version,
            Tags = { m.Tags },
            Sequence = m.Sequence,
            Invitations =
            {
                m.Invitations.Select(i => new V1.MeetingInvitation
                {
                    StakeholderId = i.StakeholderId.ToString(),
                    Sequence = i.Sequence,
                    Cancellation = i.Cancellation,
                    Status = i.Sent ? V1.MeetingInvitationStatus.Sent : V1.MeetingInvitationStatus.Failed,
                    At = i.At.ToProto(),
                    FailureReason = i.FailureReason ?? "",
                }),
            },
        };
        if (m.Schedule is { } schedule)
        {
            message.Schedule = new V1.MeetingSchedule
            {
                Start = schedule.Start.ToProto(),
                DurationMinutes = schedule.DurationMinutes,
                Organiser = schedule.Organiser,
                Location = schedule.Location ?? "",
                Invited = { Stakeholders(schedule.InvitedStakeholderIds, relationship) },
                Reschedules =
                {
                    schedule.Reschedules.Select(r => new V1.Reschedule
                    {
                        PreviousStart = r.PreviousStart.ToProto(),
                        Start = r.Start.ToProto(),
                        Reason = r.Reason ?? "",
                        RescheduledBy = r.RescheduledBy,
                        RescheduledAt = r.RescheduledAt.ToProto(),
                    }),
                },
            };
        }

        if (m.Held is { } held)
        {
            message.Conversation = new V1.Conversation
            {
                HeldAt = held.HeldAt.ToProto(),
                Attendees = { Stakeholders(held.Conversation.StakeholderIds, relationship) },
                ItAttendees = { held.Conversation.ItAttendees },
                ItShared = held.Conversation.ItShared ?? "",
                BusinessRaised = { held.Conversation.BusinessRaised.Select(ToProto) },
                Notes = held.Conversation.Notes ?? "",
                RecordedBy = held.RecordedBy,
                RecordedAt = held.RecordedAt.ToProto(),
            };
        }

        if (m.Cancellation is { } cancellation)
        {
            message.Cancellation = new V1.Cancellation
            {
                Reason = cancellation.Reason,
                CancelledBy = cancellation.CancelledBy,
                CancelledAt = cancellation.CancelledAt.ToProto(),
            };
        }

        return message;
    }

    public static V1.MeetingSummary ToSummary(this Meeting m, Relationship? relationship) => new()
    {
        Id = m.Id.ToString(),
        RelationshipId = m.RelationshipId.ToString(),
        Kind = m.Kind.ToProto(),
        Topic = m.Topic ?? "",
        Status = m.Status.ToProto(),
        OccursAt = m.OccursAt.ToProto(),
        Unscheduled = m.Schedule is null,
        Stakeholders = { Stakeholders(m.Held?.Conversation.StakeholderIds ?? m.Schedule?.InvitedStakeholderIds ?? [], relationship) },
        ItAttendeeCount = m.Held?.Conversation.ItAttendees.Count ?? 0,
        RaisedPointCount = m.Held?.Conversation.BusinessRaised.Count ?? 0,
        Version = m.Version,
        Tags = { m.Tags },
    };

    /// <summary>The conversation a request records. Texts are trimmed, except the raised points: those are kept verbatim.</summary>
    public static Conversation ToDomain(this V1.ConversationDetails request) => new(
        Ids(request.StakeholderIds),
        [.. request.ItAttendees.Select(name => name.Trim())],
        Optional(request.ItShared),
        [.. request.BusinessRaised.Select(p => new Model.RaisedPoint(p.Text, p.HasKind ? p.Kind.ToDomain() : null))],
        Optional(request.Notes));

    /// <summary>A conversation as the feed carries it: ids, not names, and the raised points verbatim.</summary>
    public static V1.ConversationDetails ToProto(this Conversation c, DateTimeOffset heldAt) => new()
    {
        HeldAt = heldAt.ToProto(),
        StakeholderIds = { c.StakeholderIds.Select(id => id.ToString()) },
        ItAttendees = { c.ItAttendees },
        ItShared = c.ItShared ?? "",
        BusinessRaised = { c.BusinessRaised.Select(ToProto) },
        Notes = c.Notes ?? "",
    };

    public static V1.GetStakeholderCoverageResponse ToProto(
        this IReadOnlyList<RelationshipCoverage> coverage, DateTimeOffset asOf, DateTimeOffset windowStart, int windowDays) => new()
    {
        AsOf = asOf.ToProto(),
        WindowStart = windowStart.ToProto(),
        WindowDays = windowDays,
        Relationships =
        {
            coverage.Select(c => new V1.RelationshipCoverage
            {
                RelationshipId = c.Relationship.Id.ToString(),
                Code = c.Relationship.Code,
                Name = c.Relationship.Name,
                Stakeholders = { c.Stakeholders.Select(ToProto) },
                Levels = Levels(c.Stakeholders),
                NotContacted = { c.NotContacted().Select(ToProto) },
            }),
        },
        Levels = Levels([.. coverage.SelectMany(c => c.Stakeholders)]),
    };

    public static V1.RaisedPoint ToProto(this Model.RaisedPoint p)
    {
        var message = new V1.RaisedPoint { Text = p.Text };
        if (p.Kind is { } kind)
        {
            message.Kind = kind.ToProto();
        }

        return message;
    }

    public static IEnumerable<V1.MeetingStakeholder> Stakeholders(IEnumerable<Guid> ids, Relationship? relationship) =>
        ids.Select(id => relationship?.Stakeholders.Find(s => s.Id == id) is { } s
            ? new V1.MeetingStakeholder { StakeholderId = id.ToString(), Name = s.Name, Level = s.Level.ToProto(), Removed = !s.IsCurrent }
            : new V1.MeetingStakeholder { StakeholderId = id.ToString() });

    private static V1.StakeholderCoverage ToProto(StakeholderContact s) => new()
    {
        StakeholderId = s.Stakeholder.Id.ToString(),
        Name = s.Stakeholder.Name,
        Level = s.Stakeholder.Level.ToProto(),
        LastContactAt = s.LastContact?.At.ToProto(),
        LastContactKind = s.LastContact?.Kind.ToProto() ?? V1.MeetingKind.Unspecified,
        LastContactMeetingId = s.LastContact?.MeetingId.ToString() ?? "",
        ContactedWithinWindow = s.WithinWindow,
    };

    private static V1.LevelCoverage Levels(IReadOnlyList<StakeholderContact> stakeholders) => new()
    {
        Executive = Count(CoverageCount.Of(stakeholders, Domain.StakeholderLevel.Executive)),
        Manager = Count(CoverageCount.Of(stakeholders, Domain.StakeholderLevel.Manager)),
        Staff = Count(CoverageCount.Of(stakeholders, Domain.StakeholderLevel.Staff)),
        Total = Count(CoverageCount.Of(stakeholders)),
    };

    private static V1.CoverageCount Count(CoverageCount count) => new() { Contacted = count.Contacted, Total = count.Total };
}
