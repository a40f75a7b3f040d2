using Brm.Api.Infrastructure;

#pragma warning disable IDE0130 // The generated messages live in Brm.V1; these partial declarations must too.
namespace Brm.V1;

/// <summary>A mutation of one existing commitment.</summary>
public interface ICommitmentMutation : IStreamMutation
{
    string CommitmentId { get; }
}

public sealed partial class MakeCommitmentRequest : IMutation;

public sealed partial class StartCommitmentRequest : ICommitmentMutation;

public sealed partial class RenegotiateCommitmentRequest : ICommitmentMutation;

public sealed partial class DeliverCommitmentRequest : ICommitmentMutation;

public sealed partial class CancelCommitmentRequest : ICommitmentMutation;

public sealed partial class RecordBusinessInformedRequest : ICommitmentMutation;
