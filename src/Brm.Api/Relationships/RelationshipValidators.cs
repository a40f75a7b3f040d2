using Brm.Api.Infrastructure;
using Brm.Api.Tags;
using Brm.V1;
using RelationshipLimits = Brm.Domain.Relationships.RelationshipLimits;
using FluentValidation;
using static Brm.Api.Infrastructure.ValidationRules;

namespace Brm.Api.Relationships;

// One validator per request; the limits are the domain's (TextLimits, RelationshipLimits), documented in relationships.proto.

public sealed class RegisterDepartmentRequestValidator : AbstractValidator<RegisterDepartmentRequest>
{
    public RegisterDepartmentRequestValidator()
    {
        this.MutationRules();
        RuleFor(x => x.Code).NotEmpty().WithMessage("{PropertyName} is required")
            .Length(RelationshipLimits.CodeMinLength, RelationshipLimits.CodeMaxLength)
            .Matches(RelationshipLimits.CodePattern).WithMessage("{PropertyName} must be a lower-case slug: letters, digits and single hyphens");
        RuleFor(x => x.Name).RequiredText(NameLength);
        RuleFor(x => x.Manager).OptionalText(NameLength);
    }
}

public sealed class GetRelationshipRequestValidator : AbstractValidator<GetRelationshipRequest>
{
    public GetRelationshipRequestValidator()
    {
        RuleFor(x => x.KeyCase).NotEqual(GetRelationshipRequest.KeyOneofCase.None)
            .WithMessage("one of relationship_id or code is required").OverridePropertyName("relationship_id");
        RuleFor(x => x.RelationshipId).Uuid().When(x => x.KeyCase == GetRelationshipRequest.KeyOneofCase.RelationshipId);
        RuleFor(x => x.Code).NotEmpty().MaximumLength(RelationshipLimits.CodeMaxLength).When(x => x.KeyCase == GetRelationshipRequest.KeyOneofCase.Code);
    }
}

public sealed class ListRelationshipsRequestValidator : AbstractValidator<ListRelationshipsRequest>
{
    public ListRelationshipsRequestValidator()
    {
        this.Tags(x => x.Tags);
        RuleFor(x => x.PageSize).PageSize();
        RuleFor(x => x.PageToken).MaximumLength(1000);
        RuleFor(x => x.Manager).OptionalText(NameLength);
    }
}

/// <summary>What every mutation of an existing relationship carries.</summary>
public abstract class RelationshipChangeValidator<T> : AbstractValidator<T>
    where T : IRelationshipMutation
{
    protected RelationshipChangeValidator()
    {
        this.StreamMutationRules();
        RuleFor(x => x.RelationshipId).Uuid();
    }
}

public sealed class RenameDepartmentRequestValidator : RelationshipChangeValidator<RenameDepartmentRequest>
{
    public RenameDepartmentRequestValidator()
    {
        RuleFor(x => x.Name).RequiredText(NameLength);
    }
}

public sealed class AssignManagerRequestValidator : RelationshipChangeValidator<AssignManagerRequest>
{
    public AssignManagerRequestValidator()
    {
        RuleFor(x => x.Manager).RequiredText(NameLength);
    }
}

public sealed class AddStakeholderRequestValidator : RelationshipChangeValidator<AddStakeholderRequest>
{
    public AddStakeholderRequestValidator()
    {
        RuleFor(x => x.Name).RequiredText(NameLength);
        RuleFor(x => x.Title).RequiredText(NameLength);
        RuleFor(x => x.Level).Specified();
        RuleFor(x => x.Email).OptionalEmail();
        RuleFor(x => x.Influence).Specified();
        RuleFor(x => x.Interest).Specified();
    }
}

public sealed class UpdateStakeholderRequestValidator : RelationshipChangeValidator<UpdateStakeholderRequest>
{
    public UpdateStakeholderRequestValidator()
    {
        RuleFor(x => x.StakeholderId).Uuid();
        RuleFor(x => x).Must(x => x.HasName || x.HasTitle || x.HasLevel || x.HasEmail || x.HasInfluence || x.HasInterest)
            .WithMessage("set at least one of name, title, level, email, influence, interest").OverridePropertyName("name");
        RuleFor(x => x.Name).RequiredText(NameLength).When(x => x.HasName);
        RuleFor(x => x.Title).RequiredText(NameLength).When(x => x.HasTitle);
        RuleFor(x => x.Level).Specified().When(x => x.HasLevel);
        RuleFor(x => x.Email).OptionalEmail().When(x => x.HasEmail);
        RuleFor(x => x.Influence).Specified().When(x => x.HasInfluence);
        RuleFor(x => x.Interest).Specified().When(x => x.HasInterest);
    }
}

public sealed class RemoveStakeholderRequestValidator : RelationshipChangeValidator<RemoveStakeholderRequest>
{
    public RemoveStakeholderRequestValidator()
    {
        RuleFor(x => x.StakeholderId).Uuid();
        RuleFor(x => x.Reason).OptionalText(TextLength);
    }
}

public sealed class RecordInformationNeedRequestValidator : RelationshipChangeValidator<RecordInformationNeedRequest>
{
    public RecordInformationNeedRequestValidator()
    {
        RuleFor(x => x.Description).RequiredText(TextLength);
        RuleFor(x => x.Priority).Specified();
        RuleFor(x => x.RaisedByStakeholderId).OptionalUuid();
    }
}

public sealed class RetireInformationNeedRequestValidator : RelationshipChangeValidator<RetireInformationNeedRequest>
{
    public RetireInformationNeedRequestValidator()
    {
        RuleFor(x => x.InformationNeedId).Uuid();
        RuleFor(x => x.Reason).RequiredText(TextLength);
    }
}

public sealed class RecordCommunicationPreferenceRequestValidator : RelationshipChangeValidator<RecordCommunicationPreferenceRequest>
{
    public RecordCommunicationPreferenceRequestValidator()
    {
        RuleFor(x => x.Channel).Specified();
        RuleFor(x => x.Audience).RequiredText(NameLength);
        RuleFor(x => x.Notes).OptionalText(TextLength);
    }
}

/// <summary>Nothing beyond the relationship, request id and expected version: the review is the fact.</summary>
public sealed class ReviewNeedsAndPreferencesRequestValidator : RelationshipChangeValidator<ReviewNeedsAndPreferencesRequest>;

public sealed class AssessMaturityRequestValidator : RelationshipChangeValidator<AssessMaturityRequest>
{
    public AssessMaturityRequestValidator()
    {
        RuleFor(x => x.Side).Specified();
        RuleFor(x => x.Level).Specified();
        RuleFor(x => x.Evidence).RequiredText(TextLength);
    }
}

public sealed class ArchiveRelationshipRequestValidator : RelationshipChangeValidator<ArchiveRelationshipRequest>
{
    public ArchiveRelationshipRequestValidator()
    {
        RuleFor(x => x.Reason).RequiredText(TextLength);
    }
}

public sealed class EraseStakeholderPersonalDataRequestValidator : RelationshipChangeValidator<EraseStakeholderPersonalDataRequest>
{
    public EraseStakeholderPersonalDataRequestValidator()
    {
        RuleFor(x => x.StakeholderId).Uuid();
    }
}
