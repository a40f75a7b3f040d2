using Brm.Api.Infrastructure;

#pragma warning disable IDE0130 // The generated messages live in Brm.V1; these partial declarations must too.
namespace Brm.V1;

/// <summary>A mutation of one existing meeting.</summary>
public interface IMeetingMutation : IStreamMutation
{
    string MeetingId { get; }
}

/// <summary>A mutation that may email the invited stakeholders the meeting as it then stands (iCalendar).</summary>
public interface IInvitingMutation : IMutation
{
    bool SendInvitations { get; }
}

/// <summary>Every meeting mutation answers with the meeting as it now stands and the stream's version.</summary>
public interface IMeetingResponse
{
    Meeting Meeting { get; set; }

    long Version { get; set; }
}

public sealed partial class ScheduleMeetingRequest : IInvitingMutation;

public sealed partial class RescheduleMeetingRequest : IMeetingMutation, IInvitingMutation;

public sealed partial class CancelMeetingRequest : IMeetingMutation, IInvitingMutation;

public sealed partial class HoldMeetingRequest : IMeetingMutation;

public sealed partial class LogConversationRequest : IMutation;

public sealed partial class ScheduleMeetingResponse : IMeetingResponse;

public sealed partial class RescheduleMeetingResponse : IMeetingResponse;

public sealed partial class CancelMeetingResponse : IMeetingResponse;

public sealed partial class HoldMeetingResponse : IMeetingResponse;

public sealed partial class LogConversationResponse : IMeetingResponse;
