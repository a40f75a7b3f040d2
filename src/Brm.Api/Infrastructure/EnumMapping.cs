namespace Brm.Api.Infrastructure;

/// <summary>
/// brm.v1 enums and domain enums share their numbers (0 is UNSPECIFIED on the wire and never valid in the
/// domain, which validation guarantees), so they convert by value. A test checks that the names line up.
/// </summary>
public static class EnumMapping
{
    public static Domain.Channel ToDomain(this V1.Channel value) => (Domain.Channel)value;

    public static Domain.Degree ToDomain(this V1.Degree value) => (Domain.Degree)value;

    public static Domain.Priority ToDomain(this V1.Priority value) => (Domain.Priority)value;

    public static Domain.StakeholderLevel ToDomain(this V1.StakeholderLevel value) => (Domain.StakeholderLevel)value;

    public static Domain.MaturitySide ToDomain(this V1.MaturitySide value) => (Domain.MaturitySide)value;

    public static Domain.MaturityLevel ToDomain(this V1.MaturityLevel value) => (Domain.MaturityLevel)value;

    public static Domain.Meetings.MeetingKind ToDomain(this V1.MeetingKind value) => (Domain.Meetings.MeetingKind)value;

    public static Domain.Meetings.MeetingStatus ToDomain(this V1.MeetingStatus value) => (Domain.Meetings.MeetingStatus)value;

    public static Domain.Meetings.RaisedPointKind ToDomain(this V1.RaisedPointKind value) => (Domain.Meetings.RaisedPointKind)value;

    public static V1.Channel ToProto(this Domain.Channel value) => (V1.Channel)value;

    public static V1.Degree ToProto(this Domain.Degree value) => (V1.Degree)value;

    public static V1.Priority ToProto(this Domain.Priority value) => (V1.Priority)value;

    public static V1.StakeholderLevel ToProto(this Domain.StakeholderLevel value) => (V1.StakeholderLevel)value;

    public static V1.MaturityLevel ToProto(this Domain.MaturityLevel value) => (V1.MaturityLevel)value;

    public static V1.MaturitySide ToProto(this Domain.MaturitySide value) => (V1.MaturitySide)value;

    public static Domain.CommitmentDirection ToDomain(this V1.CommitmentDirection value) => (Domain.CommitmentDirection)value;

    public static Domain.CommitmentStatus ToDomain(this V1.CommitmentStatus value) => (Domain.CommitmentStatus)value;

    public static V1.CommitmentDirection ToProto(this Domain.CommitmentDirection value) => (V1.CommitmentDirection)value;

    public static V1.CommitmentStatus ToProto(this Domain.CommitmentStatus value) => (V1.CommitmentStatus)value;

    public static V1.CommitmentOutcome ToProto(this Domain.Commitments.CommitmentOutcome value) => (V1.CommitmentOutcome)value;

    public static V1.CommitmentChangeKind ToProto(this Domain.Commitments.CommitmentChangeKind value) => (V1.CommitmentChangeKind)value;
    public static V1.MeetingKind ToProto(this Domain.Meetings.MeetingKind value) => (V1.MeetingKind)value;

    public static V1.MeetingStatus ToProto(this Domain.Meetings.MeetingStatus value) => (V1.MeetingStatus)value;

    public static V1.RaisedPointKind ToProto(this Domain.Meetings.RaisedPointKind value) => (V1.RaisedPointKind)value;

    public static Domain.Feedback.FeedbackStatus ToDomain(this V1.FeedbackStatus value) => (Domain.Feedback.FeedbackStatus)value;

    public static V1.FeedbackStatus ToProto(this Domain.Feedback.FeedbackStatus value) => (V1.FeedbackStatus)value;

    public static V1.FeedbackSubjectKind ToProto(this Domain.Feedback.FeedbackSubjectKind value) => (V1.FeedbackSubjectKind)value;
    public static Domain.CommunicationPlans.Cadence ToDomain(this V1.Cadence value) => (Domain.CommunicationPlans.Cadence)value;

    public static V1.Cadence ToProto(this Domain.CommunicationPlans.Cadence value) => (V1.Cadence)value;

    // The one enum that does not share its numbers: the domain's default scale is 0, so that feedback recorded before
    // scales existed reads as a 1-5 rating; on the wire UNSPECIFIED means that default.
    public static Domain.Feedback.FeedbackScale ToDomain(this V1.FeedbackScale value) => value switch
    {
        V1.FeedbackScale.Csat => Domain.Feedback.FeedbackScale.Csat,
        V1.FeedbackScale.Nps => Domain.Feedback.FeedbackScale.Nps,
        _ => Domain.Feedback.FeedbackScale.Rating,
    };

    public static V1.FeedbackScale ToProto(this Domain.Feedback.FeedbackScale value) => value switch
    {
        Domain.Feedback.FeedbackScale.Csat => V1.FeedbackScale.Csat,
        Domain.Feedback.FeedbackScale.Nps => V1.FeedbackScale.Nps,
        _ => V1.FeedbackScale.Rating,
    };

    // Delivery: the domain's default (none) is 0, and on the wire UNSPECIFIED means that default, NONE says it.
    public static Domain.Feedback.FeedbackDelivery ToDomain(this V1.FeedbackDelivery value) =>
        value == V1.FeedbackDelivery.Email ? Domain.Feedback.FeedbackDelivery.Email : Domain.Feedback.FeedbackDelivery.None;

    public static V1.FeedbackDelivery ToProto(this Domain.Feedback.FeedbackDelivery value) =>
        value == Domain.Feedback.FeedbackDelivery.Email ? V1.FeedbackDelivery.Email : V1.FeedbackDelivery.None;

    // The domain's pending is 0 (an invitation starts pending); the wire's 0 is UNSPECIFIED (for a reminder: none yet).
    public static V1.InvitationStatus ToProto(this Domain.Feedback.InvitationStatus? value) => value switch
    {
        Domain.Feedback.InvitationStatus.Pending => V1.InvitationStatus.Pending,
        Domain.Feedback.InvitationStatus.Sent => V1.InvitationStatus.Sent,
        Domain.Feedback.InvitationStatus.Failed => V1.InvitationStatus.Failed,
        _ => V1.InvitationStatus.Unspecified,
    };
}
