using Brm.Api.Infrastructure;
using Brm.Api.Tags;
using Brm.Api.Meetings;
using Brm.Domain.Feedback;
using Brm.V1;
using FluentValidation;
using static Brm.Api.Infrastructure.ValidationRules;

namespace Brm.Api.Feedback;

// One validator per request; the limits and rules are the domain's (FeedbackLimits, FeedbackAnswer), documented in
// feedback.proto. A rating is checked here against the widest scale, and against its own request's scale by the service.

public sealed class RequestFeedbackRequestValidator : AbstractValidator<RequestFeedbackRequest>
{
    public RequestFeedbackRequestValidator()
    {
        this.MutationRules();
        RuleFor(x => x.RelationshipId).Uuid();
        this.StakeholderIdRules(x => x.AudienceStakeholderIds, required: true);
        RuleFor(x => x.Channel).Specified().When(x => x.Delivery != V1.FeedbackDelivery.Email || x.Channel != Channel.Unspecified);
        RuleFor(x => x.Channel).Equal(Channel.Email).WithMessage("channel must be EMAIL (or unset) when delivery is EMAIL")
            .When(x => x.Delivery == V1.FeedbackDelivery.Email && x.Channel != Channel.Unspecified);
        RuleFor(x => x.Scale).Must(Enum.IsDefined).WithMessage("scale must be one of the defined values");
        RuleFor(x => x.Delivery).Must(Enum.IsDefined).WithMessage("delivery must be one of the defined values");
        RuleFor(x => x.AboutCase).NotEqual(RequestFeedbackRequest.AboutOneofCase.None)
            .WithMessage("one of about_meeting_id, about_commitment_id or periodic is required").OverridePropertyName("about");
        RuleFor(x => x.AboutMeetingId).Uuid().When(x => x.AboutCase == RequestFeedbackRequest.AboutOneofCase.AboutMeetingId);
        RuleFor(x => x.AboutCommitmentId).Uuid().When(x => x.AboutCase == RequestFeedbackRequest.AboutOneofCase.AboutCommitmentId);
        RuleFor(x => x.Periodic).Specified().When(x => x.AboutCase == RequestFeedbackRequest.AboutOneofCase.Periodic);
        RuleFor(x => x.Question).OptionalText(TextLength);
        RuleFor(x => x.RequestedAt).ValidTimestamp().When(x => x.RequestedAt is not null);
    }
}

public sealed class SubmitFeedbackRequestValidator : AbstractValidator<SubmitFeedbackRequest>
{
    public SubmitFeedbackRequestValidator()
    {
        this.MutationRules();
        RuleFor(x => x.RelationshipId).Uuid();
        RuleFor(x => x.FromCase).NotEqual(SubmitFeedbackRequest.FromOneofCase.None)
            .WithMessage("one of from_stakeholder_id or anonymous is required").OverridePropertyName("from");
        RuleFor(x => x.FromStakeholderId).Uuid().When(x => x.FromCase == SubmitFeedbackRequest.FromOneofCase.FromStakeholderId);
        RuleFor(x => x.Anonymous).Equal(true).WithMessage("anonymous must be true when chosen")
            .When(x => x.FromCase == SubmitFeedbackRequest.FromOneofCase.Anonymous);
        RuleFor(x => x.Channel).Specified();
        RuleFor(x => x.Rating).InclusiveBetween(FeedbackLimits.MinRating, FeedbackLimits.MaxRating)
            .WithMessage($"rating must be between {FeedbackLimits.MinRating} and {FeedbackLimits.MaxRating}").When(x => x.HasRating);
        RuleFor(x => x.Comment).MaximumLength(FeedbackLimits.CommentLength)
            .WithMessage($"{{PropertyName}} must be at most {FeedbackLimits.CommentLength} characters")
            .Must((x, comment) => FeedbackAnswer.HasContent(x.HasRating ? x.Rating : null, comment)).WithMessage(FeedbackAnswer.CommentOrRatingRequired);
        RuleFor(x => x.AboutMeetingId).Uuid().When(x => x.AboutCase == SubmitFeedbackRequest.AboutOneofCase.AboutMeetingId);
        RuleFor(x => x.AboutCommitmentId).Uuid().When(x => x.AboutCase == SubmitFeedbackRequest.AboutOneofCase.AboutCommitmentId);
        RuleFor(x => x.General).Equal(true).WithMessage("general must be true when chosen")
            .When(x => x.AboutCase == SubmitFeedbackRequest.AboutOneofCase.General);
        RuleFor(x => x.FeedbackRequestId).OptionalUuid();
        RuleFor(x => x.ReceivedAt).ValidTimestamp().When(x => x.ReceivedAt is not null);
    }
}

/// <summary>What every mutation of an existing feedback item carries.</summary>
public sealed class RevokeFeedbackRequestRequestValidator : AbstractValidator<RevokeFeedbackRequestRequest>
{
    public RevokeFeedbackRequestRequestValidator()
    {
        this.StreamMutationRules();
        RuleFor(x => x.FeedbackRequestId).Uuid();
        RuleFor(x => x.Reason).OptionalText(TextLength);
    }
}

public abstract class FeedbackChangeValidator<T> : AbstractValidator<T>
    where T : IFeedbackMutation
{
    protected FeedbackChangeValidator()
    {
        this.StreamMutationRules();
        RuleFor(x => x.FeedbackId).Uuid();
    }
}

public sealed class AcknowledgeFeedbackRequestValidator : FeedbackChangeValidator<AcknowledgeFeedbackRequest>
{
    public AcknowledgeFeedbackRequestValidator() => RuleFor(x => x.Note).OptionalText(TextLength);
}

public sealed class ActionFeedbackRequestValidator : FeedbackChangeValidator<ActionFeedbackRequest>
{
    public ActionFeedbackRequestValidator()
    {
        RuleFor(x => x.CommitmentCase).NotEqual(ActionFeedbackRequest.CommitmentOneofCase.None)
            .WithMessage("one of commitment_id or new_commitment is required").OverridePropertyName("commitment");
        RuleFor(x => x.CommitmentId).Uuid().When(x => x.CommitmentCase == ActionFeedbackRequest.CommitmentOneofCase.CommitmentId);
        RuleFor(x => x.NewCommitment).SetValidator(new CommitmentDraftValidator()!)
            .When(x => x.CommitmentCase == ActionFeedbackRequest.CommitmentOneofCase.NewCommitment);
    }
}

public sealed class CommitmentDraftValidator : AbstractValidator<CommitmentDraft>
{
    public CommitmentDraftValidator()
    {
        RuleFor(x => x.Title).RequiredText(NameLength);
        RuleFor(x => x.Description).OptionalText(TextLength);
        RuleFor(x => x.Owner).RequiredText(NameLength);
        RuleFor(x => x.DueDate).ValidDate();
        RuleFor(x => x.Direction).Specified();
    }
}

public sealed class DeclineFeedbackRequestValidator : FeedbackChangeValidator<DeclineFeedbackRequest>
{
    public DeclineFeedbackRequestValidator() =>
        RuleFor(x => x.Reason)
            .Must(reason => DeclineReason.Problem(reason) is null).WithMessage((_, reason) => DeclineReason.Problem(reason))
            .Must(reason => reason.Trim().Length <= TextLength).WithMessage($"{{PropertyName}} must be at most {TextLength} characters");
}

public sealed class RespondToFeedbackRequestValidator : FeedbackChangeValidator<RespondToFeedbackRequest>
{
    public RespondToFeedbackRequestValidator()
    {
        RuleFor(x => x.Response).RequiredText(TextLength);
        RuleFor(x => x.Channel).Specified();
        RuleFor(x => x.SentAt).ValidTimestamp().When(x => x.SentAt is not null);
        this.StakeholderIdRules(x => x.StakeholderIds, required: false);
    }
}

public sealed class GetFeedbackRequestValidator : AbstractValidator<GetFeedbackRequest>
{
    public GetFeedbackRequestValidator() => RuleFor(x => x.FeedbackId).Uuid();
}

public sealed class ListFeedbackRequestValidator : AbstractValidator<ListFeedbackRequest>
{
    public ListFeedbackRequestValidator()
    {
        this.Tags(x => x.Tags);
        RuleFor(x => x.PageSize).PageSize();
        RuleFor(x => x.PageToken).MaximumLength(1000);
        RuleFor(x => x.RelationshipId).OptionalUuid();
        this.EnumFilter(x => x.Statuses);
        RuleFor(x => x.LoopOpenMoreThanDays).InclusiveBetween(0, FeedbackLimits.MaxDays).When(x => x.HasLoopOpenMoreThanDays);
        RuleFor(x => x.MinRating).InclusiveBetween(FeedbackLimits.MinRating, FeedbackLimits.MaxRating).When(x => x.HasMinRating);
        RuleFor(x => x.MaxRating).InclusiveBetween(FeedbackLimits.MinRating, FeedbackLimits.MaxRating).When(x => x.HasMaxRating);
        RuleFor(x => x.MaxRating).GreaterThanOrEqualTo(x => x.MinRating).WithMessage("max_rating must not be below min_rating")
            .When(x => x.HasMinRating && x.HasMaxRating);
        RuleFor(x => x.FeedbackRequestId).OptionalUuid();
    }
}

public sealed class GetRequestForFeedbackRequestValidator : AbstractValidator<GetRequestForFeedbackRequest>
{
    public GetRequestForFeedbackRequestValidator() => RuleFor(x => x.FeedbackRequestId).Uuid();
}

public sealed class GetFeedbackLoopStatsRequestValidator : AbstractValidator<GetFeedbackLoopStatsRequest>
{
    public GetFeedbackLoopStatsRequestValidator()
    {
        RuleFor(x => x.RelationshipId).OptionalUuid();
        RuleFor(x => x.PeriodStart).ValidTimestamp().When(x => x.PeriodStart is not null);
        RuleFor(x => x.PeriodEnd).ValidTimestamp().When(x => x.PeriodEnd is not null);
        RuleFor(x => x.PeriodEnd).Must((x, end) => end > x.PeriodStart).WithMessage("period_end must be after period_start")
            .When(x => x.PeriodStart is not null && x.PeriodEnd is not null);
        RuleFor(x => x.LoopOpenDays).InclusiveBetween(0, FeedbackLimits.MaxDays)
            .WithMessage($"loop_open_days must be between 0 and {FeedbackLimits.MaxDays} (0 means {FeedbackLimits.DefaultLoopOpenDays})");
    }
}
