namespace Brm.Domain.Feedback;

/// <summary>Stores <see cref="FeedbackItem"/> inline.</summary>
public sealed partial class FeedbackItemProjection() : FoldProjection<FeedbackItem>(FeedbackEvents.Item);

/// <summary>Stores <see cref="FeedbackRequest"/> inline.</summary>
public sealed partial class FeedbackRequestProjection() : FoldProjection<FeedbackRequest>(FeedbackEvents.Request);
