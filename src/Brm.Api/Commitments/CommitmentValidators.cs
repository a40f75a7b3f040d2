using Brm.Api.Infrastructure;
using Brm.Api.Tags;
using Brm.V1;
using CommitmentLimits = Brm.Domain.Commitments.CommitmentLimits;
using FluentValidation;
using static Brm.Api.Infrastructure.ValidationRules;

namespace Brm.Api.Commitments;

// One validator per request; the limits are the domain's (TextLimits, CommitmentLimits), documented in commitments.proto.

public sealed class MakeCommitmentRequestValidator : AbstractValidator<MakeCommitmentRequest>
{
    public MakeCommitmentRequestValidator()
    {
        this.MutationRules();
        RuleFor(x => x.RelationshipId).Uuid();
        RuleFor(x => x.Title).RequiredText(NameLength);
        RuleFor(x => x.Description).OptionalText(TextLength);
        RuleFor(x => x.Owner).RequiredText(NameLength);
        RuleFor(x => x.DueDate).ValidDate();
        RuleFor(x => x.Direction).Specified();
        RuleFor(x => x.SourceCase).NotEqual(MakeCommitmentRequest.SourceOneofCase.None)
            .WithMessage("one of source_meeting_id, source_feedback_id or source_note is required").OverridePropertyName("source");
        RuleFor(x => x.SourceMeetingId).Uuid().When(x => x.SourceCase == MakeCommitmentRequest.SourceOneofCase.SourceMeetingId);
        RuleFor(x => x.SourceFeedbackId).Uuid().When(x => x.SourceCase == MakeCommitmentRequest.SourceOneofCase.SourceFeedbackId);
        RuleFor(x => x.SourceNote).RequiredText(TextLength).When(x => x.SourceCase == MakeCommitmentRequest.SourceOneofCase.SourceNote);
    }
}

/// <summary>What every mutation of an existing commitment carries.</summary>
public abstract class CommitmentChangeValidator<T> : AbstractValidator<T>
    where T : ICommitmentMutation
{
    protected CommitmentChangeValidator()
    {
        this.StreamMutationRules();
        RuleFor(x => x.CommitmentId).Uuid();
    }
}

public sealed class StartCommitmentRequestValidator : CommitmentChangeValidator<StartCommitmentRequest>;

public sealed class RenegotiateCommitmentRequestValidator : CommitmentChangeValidator<RenegotiateCommitmentRequest>
{
    public RenegotiateCommitmentRequestValidator()
    {
        RuleFor(x => x.DueDate).ValidDate();
        RuleFor(x => x.Reason).RequiredText(TextLength);
        RuleFor(x => x.AgreedWithStakeholderId).OptionalUuid();
    }
}

public sealed class DeliverCommitmentRequestValidator : CommitmentChangeValidator<DeliverCommitmentRequest>
{
    public DeliverCommitmentRequestValidator()
    {
        RuleFor(x => x.Note).OptionalText(TextLength);
        RuleFor(x => x.DeliveredAt).ValidTimestamp().When(x => x.DeliveredAt is not null);
    }
}

public sealed class CancelCommitmentRequestValidator : CommitmentChangeValidator<CancelCommitmentRequest>
{
    public CancelCommitmentRequestValidator() => RuleFor(x => x.Reason).RequiredText(TextLength);
}

public sealed class RecordBusinessInformedRequestValidator : CommitmentChangeValidator<RecordBusinessInformedRequest>
{
    public RecordBusinessInformedRequestValidator()
    {
        RuleFor(x => x.Channel).Specified();
        RuleFor(x => x.InformedAt).ValidTimestamp().When(x => x.InformedAt is not null);
        RuleFor(x => x.StakeholderIds.Count).InclusiveBetween(1, CommitmentLimits.InformedStakeholders)
            .WithMessage($"stakeholder_ids must name 1 to {CommitmentLimits.InformedStakeholders} stakeholders who were told").OverridePropertyName("stakeholder_ids");
        RuleForEach(x => x.StakeholderIds).Uuid();
        RuleFor(x => x.Message).RequiredText(TextLength);
    }
}

public sealed class GetCommitmentRequestValidator : AbstractValidator<GetCommitmentRequest>
{
    public GetCommitmentRequestValidator() => RuleFor(x => x.CommitmentId).Uuid();
}

public sealed class ListCommitmentsRequestValidator : AbstractValidator<ListCommitmentsRequest>
{
    public ListCommitmentsRequestValidator()
    {
        this.Tags(x => x.Tags);
        RuleFor(x => x.PageSize).PageSize();
        RuleFor(x => x.PageToken).MaximumLength(1000);
        RuleFor(x => x.RelationshipId).OptionalUuid();
        RuleFor(x => x.Owner).OptionalText(NameLength);
        this.EnumFilter(x => x.Statuses);
        RuleFor(x => x.DueBefore).ValidDate().When(x => x.DueBefore is not null);
        RuleFor(x => x.SourceMeetingId).OptionalUuid();
    }
}

public sealed class GetCommitmentFiguresRequestValidator : AbstractValidator<GetCommitmentFiguresRequest>
{
    public GetCommitmentFiguresRequestValidator()
    {
        RuleFor(x => x.ScopeCase).NotEqual(GetCommitmentFiguresRequest.ScopeOneofCase.None)
            .WithMessage("one of relationship_id or owner is required").OverridePropertyName("relationship_id");
        RuleFor(x => x.RelationshipId).Uuid().When(x => x.ScopeCase == GetCommitmentFiguresRequest.ScopeOneofCase.RelationshipId);
        RuleFor(x => x.Owner).RequiredText(NameLength).When(x => x.ScopeCase == GetCommitmentFiguresRequest.ScopeOneofCase.Owner);
    }
}
