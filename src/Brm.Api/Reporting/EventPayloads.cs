using Brm.Api.Feedback;
using Brm.Api.Infrastructure;
using Brm.Api.Meetings;
using Brm.V1;
using CalendarEvents = Brm.Domain.Calendar;
using CommitmentEvents = Brm.Domain.Commitments;
using FeedbackEvents = Brm.Domain.Feedback;
using PlanEvents = Brm.Domain.CommunicationPlans;
using RelationshipEvents = Brm.Domain.Relationships;
using MeetingEvents = Brm.Domain.Meetings;
using OutreachEvents = Brm.Domain.Outreach;

namespace Brm.Api.Reporting;

/// <summary>Domain events as typed brm.v1 messages, for the feed. A test checks every event type maps.</summary>
public static class EventPayloads
{
    public static EventPayload ToPayload(object @event) => @event switch
    {
        RelationshipEvents.DepartmentRegistered e => new EventPayload
        {
            DepartmentRegistered = new DepartmentRegistered
            {
                RelationshipId = e.RelationshipId.ToString(), Code = e.Code, Name = e.Name, Manager = e.Manager ?? "",
                RegisteredBy = e.RegisteredBy, RegisteredAt = e.RegisteredAt.ToProto(),
            },
        },
        RelationshipEvents.DepartmentRenamed e => new EventPayload
        {
            DepartmentRenamed = new DepartmentRenamed
            {
                RelationshipId = e.RelationshipId.ToString(), Name = e.Name, RenamedBy = e.RenamedBy, RenamedAt = e.RenamedAt.ToProto(),
            },
        },
        RelationshipEvents.RelationshipManagerAssigned e => new EventPayload
        {
            RelationshipManagerAssigned = new RelationshipManagerAssigned
            {
                RelationshipId = e.RelationshipId.ToString(), Manager = e.Manager, AssignedBy = e.AssignedBy,
                AssignedAt = e.AssignedAt.ToProto(),
            },
        },
        RelationshipEvents.StakeholderAdded e => new EventPayload
        {
            StakeholderAdded = new StakeholderAdded
            {
                RelationshipId = e.RelationshipId.ToString(), StakeholderId = e.StakeholderId.ToString(), Name = e.Name,
                Title = e.Title, Level = e.Level.ToProto(), Email = e.Email ?? "", Influence = e.Influence.ToProto(),
                Interest = e.Interest.ToProto(), AddedBy = e.AddedBy, AddedAt = e.AddedAt.ToProto(),
            },
        },
        RelationshipEvents.StakeholderUpdated e => new EventPayload
        {
            StakeholderUpdated = new StakeholderUpdated
            {
                RelationshipId = e.RelationshipId.ToString(), StakeholderId = e.StakeholderId.ToString(), Name = e.Name,
                Title = e.Title, Level = e.Level.ToProto(), Email = e.Email ?? "", Influence = e.Influence.ToProto(),
                Interest = e.Interest.ToProto(), UpdatedBy = e.UpdatedBy, UpdatedAt = e.UpdatedAt.ToProto(),
            },
        },
        RelationshipEvents.StakeholderRemoved e => new EventPayload
        {
            StakeholderRemoved = new StakeholderRemoved
            {
                RelationshipId = e.RelationshipId.ToString(), StakeholderId = e.StakeholderId.ToString(), Reason = e.Reason ?? "",
                RemovedBy = e.RemovedBy, RemovedAt = e.RemovedAt.ToProto(),
            },
        },
        RelationshipEvents.StakeholderPersonalDataErased e => new EventPayload
        {
            StakeholderPersonalDataErased = new StakeholderPersonalDataErased
            {
                RelationshipId = e.RelationshipId.ToString(), StakeholderId = e.StakeholderId.ToString(), ErasedBy = e.ErasedBy,
                ErasedAt = e.ErasedAt.ToProto(),
            },
        },
        RelationshipEvents.InformationNeedRecorded e => new EventPayload
        {
            InformationNeedRecorded = new InformationNeedRecorded
            {
                RelationshipId = e.RelationshipId.ToString(), InformationNeedId = e.InformationNeedId.ToString(),
                Description = e.Description, Priority = e.Priority.ToProto(),
                RaisedByStakeholderId = e.RaisedByStakeholderId?.ToString() ?? "", RecordedBy = e.RecordedBy,
                RecordedAt = e.RecordedAt.ToProto(),
            },
        },
        RelationshipEvents.InformationNeedRetired e => new EventPayload
        {
            InformationNeedRetired = new InformationNeedRetired
            {
                RelationshipId = e.RelationshipId.ToString(), InformationNeedId = e.InformationNeedId.ToString(), Reason = e.Reason,
                RetiredBy = e.RetiredBy, RetiredAt = e.RetiredAt.ToProto(),
            },
        },
        RelationshipEvents.CommunicationPreferenceRecorded e => new EventPayload
        {
            CommunicationPreferenceRecorded = new CommunicationPreferenceRecorded
            {
                RelationshipId = e.RelationshipId.ToString(), Channel = e.Channel.ToProto(), Audience = e.Audience,
                Notes = e.Notes ?? "", RecordedBy = e.RecordedBy, RecordedAt = e.RecordedAt.ToProto(),
            },
        },
        RelationshipEvents.NeedsAndPreferencesReviewed e => new EventPayload
        {
            NeedsAndPreferencesReviewed = new NeedsAndPreferencesReviewed
            {
                RelationshipId = e.RelationshipId.ToString(), ReviewedBy = e.ReviewedBy, ReviewedAt = e.ReviewedAt.ToProto(),
            },
        },
        RelationshipEvents.MaturityAssessed e => new EventPayload
        {
            MaturityAssessed = new MaturityAssessed
            {
                RelationshipId = e.RelationshipId.ToString(), Side = e.Side.ToProto(), Level = e.Level.ToProto(),
                Evidence = e.Evidence, AssessedBy = e.AssessedBy, AssessedAt = e.AssessedAt.ToProto(),
            },
        },
        RelationshipEvents.RelationshipArchived e => new EventPayload
        {
            RelationshipArchived = new RelationshipArchived
            {
                RelationshipId = e.RelationshipId.ToString(), Reason = e.Reason, ArchivedBy = e.ArchivedBy,
                ArchivedAt = e.ArchivedAt.ToProto(),
            },
        },
        CommitmentEvents.CommitmentMade e => new EventPayload { CommitmentMade = Made(e) },
        CommitmentEvents.CommitmentStarted e => new EventPayload
        {
            CommitmentStarted = new CommitmentStarted
            {
                CommitmentId = e.CommitmentId.ToString(), RelationshipId = e.RelationshipId.ToString(), StartedBy = e.StartedBy,
                StartedAt = e.StartedAt.ToProto(),
            },
        },
        CommitmentEvents.DueDateRenegotiated e => new EventPayload
        {
            DueDateRenegotiated = new DueDateRenegotiated
            {
                CommitmentId = e.CommitmentId.ToString(), RelationshipId = e.RelationshipId.ToString(),
                PreviousDueDate = e.PreviousDueDate.ToProto(), DueDate = e.DueDate.ToProto(), Reason = e.Reason,
                AgreedWithStakeholderId = e.AgreedWithStakeholderId?.ToString() ?? "", RenegotiatedBy = e.RenegotiatedBy,
                RenegotiatedAt = e.RenegotiatedAt.ToProto(),
            },
        },
        CommitmentEvents.CommitmentDelivered e => new EventPayload
        {
            CommitmentDelivered = new CommitmentDelivered
            {
                CommitmentId = e.CommitmentId.ToString(), RelationshipId = e.RelationshipId.ToString(), Note = e.Note ?? "",
                DeliveredBy = e.DeliveredBy, DeliveredAt = e.DeliveredAt.ToProto(),
            },
        },
        CommitmentEvents.CommitmentCancelled e => new EventPayload
        {
            CommitmentCancelled = new CommitmentCancelled
            {
                CommitmentId = e.CommitmentId.ToString(), RelationshipId = e.RelationshipId.ToString(), Reason = e.Reason,
                CancelledBy = e.CancelledBy, CancelledAt = e.CancelledAt.ToProto(),
            },
        },
        CommitmentEvents.BusinessInformed e => new EventPayload { BusinessInformed = Informed(e) },
        MeetingEvents.MeetingScheduled e => new EventPayload
        {
            MeetingScheduled = new MeetingScheduled
            {
                MeetingId = e.MeetingId.ToString(), RelationshipId = e.RelationshipId.ToString(), Kind = e.Kind.ToProto(), Topic = e.Topic,
                Start = e.Start.ToProto(), DurationMinutes = e.DurationMinutes,
                InvitedStakeholderIds = { e.InvitedStakeholderIds.Select(id => id.ToString()) }, Organiser = e.Organiser,
                ScheduledBy = e.ScheduledBy, ScheduledAt = e.ScheduledAt.ToProto(), Location = e.Location ?? "",
            },
        },
        MeetingEvents.MeetingRescheduled e => new EventPayload
        {
            MeetingRescheduled = new MeetingRescheduled
            {
                MeetingId = e.MeetingId.ToString(), RelationshipId = e.RelationshipId.ToString(), PreviousStart = e.PreviousStart.ToProto(),
                Start = e.Start.ToProto(), Reason = e.Reason ?? "", RescheduledBy = e.RescheduledBy, RescheduledAt = e.RescheduledAt.ToProto(),
            },
        },
        MeetingEvents.MeetingHeld e => new EventPayload
        {
            MeetingHeld = new MeetingHeld
            {
                MeetingId = e.MeetingId.ToString(), RelationshipId = e.RelationshipId.ToString(),
                Conversation = e.Conversation.ToProto(e.HeldAt), RecordedBy = e.RecordedBy, RecordedAt = e.RecordedAt.ToProto(),
            },
        },
        MeetingEvents.ConversationLogged e => new EventPayload
        {
            ConversationLogged = new ConversationLogged
            {
                MeetingId = e.MeetingId.ToString(), RelationshipId = e.RelationshipId.ToString(), Kind = e.Kind.ToProto(),
                Topic = e.Topic ?? "", Conversation = e.Conversation.ToProto(e.HeldAt), LoggedBy = e.LoggedBy, LoggedAt = e.LoggedAt.ToProto(),
            },
        },
        MeetingEvents.MeetingCancelled e => new EventPayload
        {
            MeetingCancelled = new MeetingCancelled
            {
                MeetingId = e.MeetingId.ToString(), RelationshipId = e.RelationshipId.ToString(), Reason = e.Reason,
                CancelledBy = e.CancelledBy, CancelledAt = e.CancelledAt.ToProto(),
            },
        },
        MeetingEvents.MeetingInvitationSent e => new EventPayload
        {
            MeetingInvitationSent = new MeetingInvitationSent
            {
                MeetingId = e.MeetingId.ToString(), RelationshipId = e.RelationshipId.ToString(), StakeholderId = e.StakeholderId.ToString(),
                Sequence = e.Sequence, Cancellation = e.Cancellation, MessageId = e.MessageId, SentBy = e.SentBy, SentAt = e.SentAt.ToProto(),
            },
        },
        MeetingEvents.MeetingInvitationFailed e => new EventPayload
        {
            MeetingInvitationFailed = new MeetingInvitationFailed
            {
                MeetingId = e.MeetingId.ToString(), RelationshipId = e.RelationshipId.ToString(), StakeholderId = e.StakeholderId.ToString(),
                Sequence = e.Sequence, Cancellation = e.Cancellation, Reason = e.Reason, FailedBy = e.FailedBy, FailedAt = e.FailedAt.ToProto(),
            },
        },
        CalendarEvents.CalendarFeedIssued e => new EventPayload
        {
            CalendarFeedIssued = new CalendarFeedIssued
            {
                FeedId = e.FeedId.ToString(), Manager = e.Manager, Generation = e.Generation, IssuedBy = e.IssuedBy, IssuedAt = e.IssuedAt.ToProto(),
            },
        },
        CalendarEvents.CalendarFeedRevoked e => new EventPayload
        {
            CalendarFeedRevoked = new CalendarFeedRevoked
            {
                FeedId = e.FeedId.ToString(), Manager = e.Manager, Generation = e.Generation, RevokedBy = e.RevokedBy, RevokedAt = e.RevokedAt.ToProto(),
            },
        },
        FeedbackEvents.FeedbackRequested e => new EventPayload
        {
            FeedbackRequested = new FeedbackRequested
            {
                FeedbackRequestId = e.FeedbackRequestId.ToString(), RelationshipId = e.RelationshipId.ToString(),
                AudienceStakeholderIds = { e.AudienceStakeholderIds.Select(id => id.ToString()) }, Channel = e.Channel.ToProto(),
                About = e.About.ToProto(), Question = e.Question ?? "", RequestedBy = e.RequestedBy, RequestedAt = e.RequestedAt.ToProto(),
                Scale = e.Scale.ToProto(), Delivery = e.Delivery.ToProto(), AllowAnonymous = e.AllowAnonymous,
                SeriesId = e.SeriesId?.ToString() ?? "", PeriodStart = e.PeriodStart?.ToProto(),
            },
        },
        FeedbackEvents.FeedbackInvitationSent e => new EventPayload
        {
            FeedbackInvitationSent = new FeedbackInvitationSent
            {
                FeedbackRequestId = e.FeedbackRequestId.ToString(), RelationshipId = e.RelationshipId.ToString(),
                StakeholderId = e.StakeholderId.ToString(), Reminder = e.Reminder, MessageId = e.MessageId, SentBy = e.SentBy, SentAt = e.SentAt.ToProto(),
            },
        },
        FeedbackEvents.FeedbackInvitationFailed e => new EventPayload
        {
            FeedbackInvitationFailed = new FeedbackInvitationFailed
            {
                FeedbackRequestId = e.FeedbackRequestId.ToString(), RelationshipId = e.RelationshipId.ToString(),
                StakeholderId = e.StakeholderId.ToString(), Reminder = e.Reminder, Reason = e.Reason, FailedBy = e.FailedBy, FailedAt = e.FailedAt.ToProto(),
            },
        },
        FeedbackEvents.FeedbackLinkAnswered e => new EventPayload
        {
            FeedbackLinkAnswered = new FeedbackLinkAnswered
            {
                FeedbackRequestId = e.FeedbackRequestId.ToString(), RelationshipId = e.RelationshipId.ToString(),
                StakeholderId = e.StakeholderId.ToString(), AnsweredBy = e.AnsweredBy, AnsweredAt = e.AnsweredAt.ToProto(),
            },
        },
        FeedbackEvents.FeedbackRequestRevoked e => new EventPayload
        {
            FeedbackRequestRevoked = new FeedbackRequestRevoked
            {
                FeedbackRequestId = e.FeedbackRequestId.ToString(), RelationshipId = e.RelationshipId.ToString(), Reason = e.Reason ?? "",
                RevokedBy = e.RevokedBy, RevokedAt = e.RevokedAt.ToProto(),
            },
        },
        FeedbackEvents.FeedbackRoundContinued e => new EventPayload
        {
            FeedbackRoundContinued = new FeedbackRoundContinued
            {
                FeedbackRequestId = e.FeedbackRequestId.ToString(), RelationshipId = e.RelationshipId.ToString(),
                NextFeedbackRequestId = e.NextFeedbackRequestId?.ToString() ?? "", Note = e.Note ?? "", ContinuedBy = e.ContinuedBy,
                ContinuedAt = e.ContinuedAt.ToProto(),
            },
        },
        FeedbackEvents.FeedbackReceived e => new EventPayload { FeedbackReceived = Received(e) },
        FeedbackEvents.FeedbackAcknowledged e => new EventPayload
        {
            FeedbackAcknowledged = new FeedbackAcknowledged
            {
                FeedbackId = e.FeedbackId.ToString(), RelationshipId = e.RelationshipId.ToString(), Note = e.Note ?? "",
                AcknowledgedBy = e.AcknowledgedBy, AcknowledgedAt = e.AcknowledgedAt.ToProto(),
            },
        },
        FeedbackEvents.FeedbackActioned e => new EventPayload
        {
            FeedbackActioned = new FeedbackActioned
            {
                FeedbackId = e.FeedbackId.ToString(), RelationshipId = e.RelationshipId.ToString(), CommitmentId = e.CommitmentId.ToString(),
                ActionedBy = e.ActionedBy, ActionedAt = e.ActionedAt.ToProto(),
            },
        },
        FeedbackEvents.FeedbackDeclined e => new EventPayload
        {
            FeedbackDeclined = new FeedbackDeclined
            {
                FeedbackId = e.FeedbackId.ToString(), RelationshipId = e.RelationshipId.ToString(), Reason = e.Reason,
                DeclinedBy = e.DeclinedBy, DeclinedAt = e.DeclinedAt.ToProto(),
            },
        },
        FeedbackEvents.FeedbackResponseSent e => new EventPayload
        {
            FeedbackResponseSent = new FeedbackResponseSent
            {
                FeedbackId = e.FeedbackId.ToString(), RelationshipId = e.RelationshipId.ToString(), Response = e.Response,
                Channel = e.Channel.ToProto(), StakeholderIds = { e.StakeholderIds.Select(id => id.ToString()) }, SentBy = e.SentBy,
                SentAt = e.SentAt.ToProto(), UpdateId = e.UpdateId?.ToString() ?? "",
            },
        },
        PlanEvents.PlanItemAdded e => new EventPayload
        {
            PlanItemAdded = new PlanItemAdded
            {
                PlanId = e.PlanId.ToString(), RelationshipId = e.RelationshipId.ToString(), PlanItemId = e.PlanItemId.ToString(), What = e.What,
                InformationNeedId = e.InformationNeedId?.ToString() ?? "", Channel = e.Channel.ToProto(), Audience = e.Audience,
                Cadence = e.Cadence.ToProto(), Owner = e.Owner, StartsOn = e.StartsOn.ToProto(), AddedBy = e.AddedBy, AddedAt = e.AddedAt.ToProto(),
            },
        },
        PlanEvents.PlanItemChanged e => new EventPayload
        {
            PlanItemChanged = new PlanItemChanged
            {
                PlanId = e.PlanId.ToString(), RelationshipId = e.RelationshipId.ToString(), PlanItemId = e.PlanItemId.ToString(), What = e.What,
                InformationNeedId = e.InformationNeedId?.ToString() ?? "", Channel = e.Channel.ToProto(), Audience = e.Audience,
                Cadence = e.Cadence.ToProto(), Owner = e.Owner, ChangedBy = e.ChangedBy, ChangedAt = e.ChangedAt.ToProto(),
            },
        },
        PlanEvents.PlanItemRetired e => new EventPayload
        {
            PlanItemRetired = new PlanItemRetired
            {
                PlanId = e.PlanId.ToString(), RelationshipId = e.RelationshipId.ToString(), PlanItemId = e.PlanItemId.ToString(), Reason = e.Reason,
                RetiredBy = e.RetiredBy, RetiredAt = e.RetiredAt.ToProto(),
            },
        },
        PlanEvents.CommunicationDelivered e => new EventPayload
        {
            CommunicationDelivered = new CommunicationDelivered
            {
                PlanId = e.PlanId.ToString(), RelationshipId = e.RelationshipId.ToString(), CommunicationId = e.CommunicationId.ToString(),
                PlanItemId = e.PlanItemId?.ToString() ?? "", Channel = e.Channel.ToProto(), Summary = e.Summary, Link = e.Link ?? "",
                DeliveredBy = e.DeliveredBy, DeliveredAt = e.DeliveredAt.ToProto(), UpdateId = e.UpdateId?.ToString() ?? "",
            },
        },
        OutreachEvents.UpdateSent e => new EventPayload { UpdateSent = Sent(e) },
        OutreachEvents.UpdateDelivered e => new EventPayload
        {
            UpdateDelivered = new UpdateDelivered
            {
                UpdateId = e.UpdateId.ToString(), RelationshipId = e.RelationshipId.ToString(), Email = e.Email, MessageId = e.MessageId,
                Attempts = e.Attempts, DeliveredAt = e.DeliveredAt.ToProto(),
            },
        },
        OutreachEvents.UpdateDeliveryFailed e => new EventPayload
        {
            UpdateDeliveryFailed = new UpdateDeliveryFailed
            {
                UpdateId = e.UpdateId.ToString(), RelationshipId = e.RelationshipId.ToString(), Email = e.Email, MessageId = e.MessageId,
                Reason = e.Reason, Attempts = e.Attempts, FailedAt = e.FailedAt.ToProto(),
            },
        },
        OutreachEvents.UpdateTemplateSet e => new EventPayload
        {
            UpdateTemplateSet = new UpdateTemplateSet
            {
                TemplateVersion = e.TemplateVersion, Subject = e.Subject, Source = e.Source, SetBy = e.SetBy, SetAt = e.SetAt.ToProto(),
            },
        },
        OutreachEvents.DigestPreferencesSet e => new EventPayload
        {
            DigestPreferencesSet = new DigestPreferencesSet
            {
                Manager = e.Manager, Email = e.Email ?? "", Day = e.Day == DayOfWeek.Sunday ? Weekday.Sunday : (Weekday)(int)e.Day, Hour = e.Hour,
                TimeZone = e.TimeZone, OptedOut = e.OptedOut, SetBy = e.SetBy, SetAt = e.SetAt.ToProto(),
            },
        },
        OutreachEvents.DigestSent e => new EventPayload
        {
            DigestSent = new DigestSent
            {
                DigestId = e.DigestId.ToString(), Manager = e.Manager, Email = e.Email, WeekOf = e.WeekOf.ToProto(), Entries = e.Entries,
                UntoldDeclines = e.UntoldDeclines, MessageId = e.MessageId, SentAt = e.SentAt.ToProto(),
            },
        },
        RelationshipEvents.RelationshipTagsChanged e => new EventPayload
        {
            RelationshipTagsChanged = Tagged(
                e.RelationshipId,
                e.StakeholderId is { } person
                    ? new TagTarget { Stakeholder = new StakeholderReference { RelationshipId = e.RelationshipId.ToString(), StakeholderId = person.ToString() } }
                    : new TagTarget { RelationshipId = e.RelationshipId.ToString() },
                e.Added, e.Removed, e.ChangedBy, e.ChangedAt),
        },
        MeetingEvents.MeetingTagsChanged e => new EventPayload
        {
            MeetingTagsChanged = Tagged(
                e.RelationshipId, new TagTarget { MeetingId = e.MeetingId.ToString() }, e.Added, e.Removed, e.ChangedBy, e.ChangedAt),
        },
        CommitmentEvents.CommitmentTagsChanged e => new EventPayload
        {
            CommitmentTagsChanged = Tagged(
                e.RelationshipId, new TagTarget { CommitmentId = e.CommitmentId.ToString() }, e.Added, e.Removed, e.ChangedBy, e.ChangedAt),
        },
        FeedbackEvents.FeedbackTagsChanged e => new EventPayload
        {
            FeedbackTagsChanged = Tagged(
                e.RelationshipId, new TagTarget { FeedbackId = e.FeedbackId.ToString() }, e.Added, e.Removed, e.ChangedBy, e.ChangedAt),
        },
        _ => throw new InvalidOperationException($"No feed payload for {@event.GetType().Name}."),
    };

    private static TagsChanged Tagged(
        Guid relationshipId, TagTarget target, IReadOnlyList<string> added, IReadOnlyList<string> removed, string by, DateTimeOffset at) => new()
        {
            RelationshipId = relationshipId.ToString(), Target = target, Added = { added }, Removed = { removed }, ChangedBy = by, ChangedAt = at.ToProto(),
        };

    private static CommitmentMade Made(CommitmentEvents.CommitmentMade e)
    {
        var made = new CommitmentMade
        {
            CommitmentId = e.CommitmentId.ToString(), RelationshipId = e.RelationshipId.ToString(), Title = e.Title,
            Description = e.Description ?? "", Owner = e.Owner, DueDate = e.DueDate.ToProto(), Direction = e.Direction.ToProto(),
            VisibleToBusiness = e.VisibleToBusiness, MadeBy = e.MadeBy, MadeAt = e.MadeAt.ToProto(),
        };
        switch (e.Source.Kind)
        {
            case Brm.Domain.SourceKind.Meeting:
                made.SourceMeetingId = e.Source.Id.ToString();
                break;
            case Brm.Domain.SourceKind.Feedback:
                made.SourceFeedbackId = e.Source.Id.ToString();
                break;
            default:
                made.SourceNote = e.Source.Note ?? "";
                break;
        }

        return made;
    }

    private static BusinessInformed Informed(CommitmentEvents.BusinessInformed e)
    {
        var informed = new BusinessInformed
        {
            CommitmentId = e.CommitmentId.ToString(), RelationshipId = e.RelationshipId.ToString(), Outcome = e.Outcome.ToProto(),
            Channel = e.Channel.ToProto(), Message = e.Message, InformedBy = e.InformedBy, InformedAt = e.InformedAt.ToProto(),
            UpdateId = e.UpdateId?.ToString() ?? "",
        };
        informed.StakeholderIds.AddRange(e.StakeholderIds.Select(id => id.ToString()));
        return informed;
    }

    private static UpdateSent Sent(OutreachEvents.UpdateSent e)
    {
        var sent = new UpdateSent
        {
            UpdateId = e.UpdateId.ToString(), RelationshipId = e.RelationshipId.ToString(), PlanItemId = e.PlanItemId.ToString(),
            Period = new Period { From = e.PeriodFrom.ToProto(), To = e.PeriodTo.ToProto() }, Subject = e.Subject, BodyMarkdown = e.BodyMarkdown,
            CommunicationId = e.CommunicationId.ToString(), SentBy = e.SentBy, SentAt = e.SentAt.ToProto(),
        };
        sent.Facts.AddRange(e.Facts.Select(f => new UpdateFact { Kind = (UpdateFactKind)f.Kind, Id = f.Id.ToString() }));
        sent.Recipients.AddRange(e.Recipients.Select(r => new Recipient
        {
            StakeholderId = r.StakeholderId?.ToString() ?? "", Name = r.Name, Email = r.Email,
        }));
        return sent;
    }

    private static FeedbackReceived Received(FeedbackEvents.FeedbackReceived e)
    {
        var received = new FeedbackReceived
        {
            FeedbackId = e.FeedbackId.ToString(), RelationshipId = e.RelationshipId.ToString(),
            FromStakeholderId = e.FromStakeholderId?.ToString() ?? "", Channel = e.Channel.ToProto(), Comment = e.Comment ?? "",
            About = e.About.ToProto(), FeedbackRequestId = e.FeedbackRequestId?.ToString() ?? "", RecordedBy = e.RecordedBy,
            ReceivedAt = e.ReceivedAt.ToProto(), Scale = e.Scale.ToProto(),
        };
        if (e.Rating is { } rating)
        {
            received.Rating = rating;
        }

        return received;
    }
}
