using Brm.Api.Infrastructure;

#pragma warning disable IDE0130 // The generated messages live in Brm.V1; these partial declarations must too.
namespace Brm.V1;

public sealed partial class IssueCalendarFeedRequest : IStreamMutation;

public sealed partial class RevokeCalendarFeedRequest : IStreamMutation;
