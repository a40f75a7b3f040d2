using System.Linq.Expressions;
using Brm.Api.Infrastructure;
using Brm.Api.Tags;
using Brm.V1;
using FluentValidation;
using static Brm.Api.Infrastructure.ValidationRules;
using MeetingLimits = Brm.Domain.Meetings.MeetingLimits;

namespace Brm.Api.Meetings;

// One validator per request; the limits are the domain's (MeetingLimits), documented in meetings.proto.

public sealed class ScheduleMeetingRequestValidator : AbstractValidator<ScheduleMeetingRequest>
{
    public ScheduleMeetingRequestValidator()
    {
        this.MutationRules();
        RuleFor(x => x.RelationshipId).Uuid();
        RuleFor(x => x.Kind).Specified();
        RuleFor(x => x.Topic).RequiredText(NameLength);
        RuleFor(x => x.Start).ValidTimestamp();
        RuleFor(x => x.DurationMinutes).InclusiveBetween(1, MeetingLimits.MaxDurationMinutes);
        this.StakeholderIdRules(x => x.InvitedStakeholderIds, required: false);
        RuleFor(x => x.Organiser).RequiredText(NameLength);
        RuleFor(x => x.Location).OptionalText(NameLength)
            .Must(s => s.IndexOfAny(['\r', '\n']) < 0).WithMessage("{PropertyName} must be one line");
    }
}

/// <summary>What every mutation of an existing meeting carries.</summary>
public abstract class MeetingChangeValidator<T> : AbstractValidator<T>
    where T : IMeetingMutation
{
    protected MeetingChangeValidator()
    {
        this.StreamMutationRules();
        RuleFor(x => x.MeetingId).Uuid();
    }
}

public sealed class RescheduleMeetingRequestValidator : MeetingChangeValidator<RescheduleMeetingRequest>
{
    public RescheduleMeetingRequestValidator()
    {
        RuleFor(x => x.Start).ValidTimestamp();
        RuleFor(x => x.Reason).OptionalText(TextLength);
    }
}

public sealed class CancelMeetingRequestValidator : MeetingChangeValidator<CancelMeetingRequest>
{
    public CancelMeetingRequestValidator()
    {
        RuleFor(x => x.Reason).RequiredText(TextLength);
    }
}

public sealed class HoldMeetingRequestValidator : MeetingChangeValidator<HoldMeetingRequest>
{
    public HoldMeetingRequestValidator()
    {
        RuleFor(x => x.Conversation).Required(new ConversationDetailsValidator());
    }
}

public sealed class LogConversationRequestValidator : AbstractValidator<LogConversationRequest>
{
    public LogConversationRequestValidator()
    {
        this.MutationRules();
        RuleFor(x => x.RelationshipId).Uuid();
        RuleFor(x => x.Kind).Specified();
        RuleFor(x => x.Topic).OptionalText(NameLength);
        RuleFor(x => x.Conversation).Required(new ConversationDetailsValidator());
    }
}

public sealed class GetMeetingRequestValidator : AbstractValidator<GetMeetingRequest>
{
    public GetMeetingRequestValidator()
    {
        RuleFor(x => x.MeetingId).Uuid();
    }
}

public sealed class ListMeetingsRequestValidator : AbstractValidator<ListMeetingsRequest>
{
    public ListMeetingsRequestValidator()
    {
        this.Tags(x => x.Tags);
        RuleFor(x => x.PageSize).PageSize();
        RuleFor(x => x.PageToken).MaximumLength(1000);
        RuleFor(x => x.RelationshipId).OptionalUuid();
        RuleFor(x => x.StakeholderId).OptionalUuid();
        RuleFor(x => x.PeriodStart).ValidTimestamp().When(x => x.PeriodStart is not null);
        RuleFor(x => x.PeriodEnd).ValidTimestamp().When(x => x.PeriodEnd is not null);
        RuleFor(x => x.PeriodEnd).Must((x, end) => end > x.PeriodStart).WithMessage("period_end must be after period_start")
            .When(x => x.PeriodStart is not null && x.PeriodEnd is not null);
        RuleFor(x => x.Status).Specified().When(x => x.HasStatus);
    }
}

public sealed class GetStakeholderCoverageRequestValidator : AbstractValidator<GetStakeholderCoverageRequest>
{
    public GetStakeholderCoverageRequestValidator()
    {
        RuleFor(x => x.ScopeCase).NotEqual(GetStakeholderCoverageRequest.ScopeOneofCase.None)
            .WithMessage("one of relationship_id or manager is required").OverridePropertyName("relationship_id");
        RuleFor(x => x.RelationshipId).Uuid().When(x => x.ScopeCase == GetStakeholderCoverageRequest.ScopeOneofCase.RelationshipId);
        RuleFor(x => x.Manager).RequiredText(NameLength).When(x => x.ScopeCase == GetStakeholderCoverageRequest.ScopeOneofCase.Manager);
        RuleFor(x => x.WindowDays).InclusiveBetween(0, MeetingLimits.MaxWindowDays)
            .WithMessage($"window_days must be between 0 and {MeetingLimits.MaxWindowDays} (0 means {MeetingLimits.DefaultWindowDays})");
    }
}

/// <summary>What HoldMeeting and LogConversation both record.</summary>
public sealed class ConversationDetailsValidator : AbstractValidator<ConversationDetails>
{
    public ConversationDetailsValidator()
    {
        RuleFor(x => x.HeldAt).ValidTimestamp().When(x => x.HeldAt is not null);
        this.StakeholderIdRules(x => x.StakeholderIds, required: true);
        RuleFor(x => x.ItAttendees).Must(names => names.Count <= MeetingLimits.ItAttendees)
            .WithMessage($"{{PropertyName}} may name at most {MeetingLimits.ItAttendees} people");
        RuleForEach(x => x.ItAttendees).RequiredText(NameLength);
        RuleFor(x => x.ItShared).OptionalText(MeetingLimits.LongTextLength);
        RuleFor(x => x.BusinessRaised).Must(points => points.Count <= MeetingLimits.RaisedPoints)
            .WithMessage($"{{PropertyName}} may hold at most {MeetingLimits.RaisedPoints} points");
        RuleForEach(x => x.BusinessRaised).ChildRules(point =>
        {
            // Kept verbatim: the limit counts every character sent.
            point.RuleFor(p => p.Text).Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage("{PropertyName} is required")
                .MaximumLength(TextLength).WithMessage($"{{PropertyName}} must be at most {TextLength} characters");
            point.RuleFor(p => p.Kind).Specified().When(p => p.HasKind);
        });
        RuleFor(x => x.Notes).OptionalText(MeetingLimits.LongTextLength);
    }
}

/// <summary>Rules the meeting validators share.</summary>
public static class MeetingRules
{
    /// <summary>A message field that must be set, and valid by its own validator.</summary>
    public static void Required<T, TMessage>(this IRuleBuilder<T, TMessage?> rule, IValidator<TMessage> validator)
        where TMessage : class =>
        rule.NotNull().WithMessage("{PropertyName} is required").SetValidator(validator!);

    /// <summary>A list of stakeholder ids: UUIDs, no repeats, at most the documented number, and at least one when required.</summary>
    public static void StakeholderIdRules<T>(this AbstractValidator<T> validator, Expression<Func<T, IEnumerable<string>>> ids, bool required)
    {
        validator.RuleFor(ids)
            .Must(list => !required || list.Any()).WithMessage("{PropertyName} must name at least one stakeholder")
            .Must(list => list.Count() <= MeetingLimits.Stakeholders).WithMessage($"{{PropertyName}} may name at most {MeetingLimits.Stakeholders} stakeholders")
            .Must(list => list.Distinct(StringComparer.OrdinalIgnoreCase).Count() == list.Count()).WithMessage("{PropertyName} must not name a stakeholder twice");
        validator.RuleForEach(ids).Uuid();
    }
}
