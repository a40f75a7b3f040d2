using Brm.Api.Infrastructure;

#pragma warning disable IDE0130 // The generated messages live in Brm.V1; these partial declarations must too.
namespace Brm.V1;

/// <summary>A mutation of one department's communication plan.</summary>
public interface IPlanMutation : IStreamMutation
{
    string RelationshipId { get; }
}

public sealed partial class AddPlanItemRequest : IPlanMutation;

public sealed partial class ChangePlanItemRequest : IPlanMutation;

public sealed partial class RetirePlanItemRequest : IPlanMutation;

public sealed partial class RecordCommunicationRequest : IPlanMutation;
