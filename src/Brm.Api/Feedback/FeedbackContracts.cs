using Brm.Api.Infrastructure;

#pragma warning disable IDE0130 // The generated messages live in Brm.V1; these partial declarations must too.
namespace Brm.V1;

/// <summary>A mutation of one existing feedback item.</summary>
public interface IFeedbackMutation : IStreamMutation
{
    string FeedbackId { get; }
}

public sealed partial class RequestFeedbackRequest : IMutation;

public sealed partial class SubmitFeedbackRequest : IMutation;

public sealed partial class AcknowledgeFeedbackRequest : IFeedbackMutation;

public sealed partial class ActionFeedbackRequest : IFeedbackMutation;

public sealed partial class DeclineFeedbackRequest : IFeedbackMutation;

public sealed partial class RespondToFeedbackRequest : IFeedbackMutation;

public sealed partial class RevokeFeedbackRequestRequest : IStreamMutation;
