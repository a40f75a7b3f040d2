using Brm.Api.Infrastructure;

#pragma warning disable IDE0130 // The generated messages live in Brm.V1; these partial declarations must too.
namespace Brm.V1;

/// <summary>A mutation of one existing relationship.</summary>
public interface IRelationshipMutation : IStreamMutation
{
    string RelationshipId { get; }
}

public sealed partial class RegisterDepartmentRequest : IMutation;

public sealed partial class RenameDepartmentRequest : IRelationshipMutation;

public sealed partial class AssignManagerRequest : IRelationshipMutation;

public sealed partial class AddStakeholderRequest : IRelationshipMutation;

public sealed partial class UpdateStakeholderRequest : IRelationshipMutation;

public sealed partial class RemoveStakeholderRequest : IRelationshipMutation;

public sealed partial class RecordInformationNeedRequest : IRelationshipMutation;

public sealed partial class RetireInformationNeedRequest : IRelationshipMutation;

public sealed partial class RecordCommunicationPreferenceRequest : IRelationshipMutation;

public sealed partial class ReviewNeedsAndPreferencesRequest : IRelationshipMutation;

public sealed partial class AssessMaturityRequest : IRelationshipMutation;

public sealed partial class ArchiveRelationshipRequest : IRelationshipMutation;

public sealed partial class EraseStakeholderPersonalDataRequest : IRelationshipMutation;
