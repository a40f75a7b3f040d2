using Brm.Domain.Calendar;
using Brm.Domain.Commitments;
using Brm.Domain.Feedback;
using Brm.Domain.CommunicationPlans;
using Brm.Domain.Meetings;
using Brm.Domain.Outreach;
using Brm.Domain.Relationships;

namespace Brm.Domain.Reporting;

/// <summary>One line a person can read for each event, as the timeline shows it.</summary>
public static class EventSummaries
{
    public static string Describe(object @event) => @event switch
    {
        DepartmentRegistered e => $"Registered the department {e.Name} ({e.Code})" + (e.Manager is null ? "" : $", managed by {e.Manager}"),
        DepartmentRenamed e => $"Renamed the department to {e.Name}",
        RelationshipManagerAssigned e => $"Assigned {e.Manager} as relationship manager",
        StakeholderAdded e => $"Added {Level(e.Level)} stakeholder {e.Name}" + (e.Title.Length == 0 ? "" : $" ({e.Title})"),
        StakeholderUpdated e => $"Updated stakeholder {e.Name} (" + (e.Title.Length == 0 ? "" : $"{e.Title}, ") + $"{Level(e.Level)})",
        StakeholderRemoved e => "Removed a stakeholder" + (e.Reason is null ? "" : $": {e.Reason}"),
        StakeholderPersonalDataErased => "Erased a stakeholder's personal data",
        InformationNeedRecorded e => $"Recorded a {e.Priority.ToString().ToLowerInvariant()}-priority information need: {e.Description}",
        InformationNeedRetired e => $"Retired an information need: {e.Reason}",
        CommunicationPreferenceRecorded e => $"Recorded that {e.Audience} prefer {Channel(e.Channel)}" + (e.Notes is null ? "" : $" ({e.Notes})"),
        NeedsAndPreferencesReviewed => "Asked the two questions again: the department confirmed its information needs and communication preferences",
        MaturityAssessed e => $"{(e.Side == MaturitySide.Business ? "The business" : "IT")} assessed maturity at level {(int)e.Level} ({Maturity(e.Level)})",
        RelationshipArchived e => $"Archived the relationship: {e.Reason}",
        CommitmentMade e => $"Committed to \"{e.Title}\" (owner {e.Owner}, due {e.DueDate:yyyy-MM-dd})",
        CommitmentStarted => "Started work on a commitment",
        DueDateRenegotiated e => $"Moved a commitment's due date from {e.PreviousDueDate:yyyy-MM-dd} to {e.DueDate:yyyy-MM-dd}: {e.Reason}",
        CommitmentDelivered e => "Delivered a commitment" + (e.Note is null ? "" : $": {e.Note}"),
        CommitmentCancelled e => $"Cancelled a commitment: {e.Reason}",
        BusinessInformed e => $"Told the business ({Channel(e.Channel)}) that a commitment was {e.Outcome.ToString().ToLowerInvariant()}",
        MeetingScheduled e => $"Scheduled {Kind(e.Kind)} \"{e.Topic}\" for {e.Start:yyyy-MM-dd HH:mm} UTC"
            + $" with {People(e.InvitedStakeholderIds.Count, "invited stakeholder")}",
        MeetingRescheduled e => $"Moved a meeting from {e.PreviousStart:yyyy-MM-dd HH:mm} to {e.Start:yyyy-MM-dd HH:mm} UTC"
            + (e.Reason is null ? "" : $": {OneLine(e.Reason)}"),
        MeetingHeld e => $"Held a meeting with {People(e.Conversation.StakeholderIds.Count, "stakeholder")}"
            + $"; the business raised {People(e.Conversation.BusinessRaised.Count, "point")}",
        ConversationLogged e => $"Logged {Kind(e.Kind)} with {People(e.Conversation.StakeholderIds.Count, "stakeholder")}"
            + $"; the business raised {People(e.Conversation.BusinessRaised.Count, "point")}",
        MeetingCancelled e => $"Cancelled a meeting: {OneLine(e.Reason)}",
        MeetingInvitationSent e => e.Cancellation
            ? "Emailed a stakeholder the meeting's cancellation"
            : $"Emailed a stakeholder {(e.Sequence == 0 ? "an invitation to the meeting" : "the meeting's new time")}",
        MeetingInvitationFailed e => $"Could not email a stakeholder {(e.Cancellation ? "the meeting's cancellation" : "the meeting's invitation")}: {Short(e.Reason)}",
        FeedbackRequested e => $"Asked {People(e.AudienceStakeholderIds.Count, "stakeholder")} ({Channel(e.Channel)}) for feedback {About(e.About)}",
        FeedbackReceived e => $"Received {(e.FromStakeholderId is null ? "anonymous " : "")}feedback {About(e.About)}"
            + (e.Rating is { } rating ? $", rated {rating}/5" : "") + (e.Comment is null ? "" : $": {Short(e.Comment)}"),
        FeedbackAcknowledged e => "Acknowledged feedback" + (e.Note is null ? "" : $": {OneLine(e.Note)}"),
        FeedbackActioned => "Acted on feedback through a commitment",
        FeedbackDeclined e => $"Declined feedback: {OneLine(e.Reason)}",
        FeedbackInvitationSent e => e.Reminder ? "Reminded a stakeholder by email to give feedback" : "Emailed a stakeholder a personal link to give feedback",
        FeedbackInvitationFailed e => $"Could not email a stakeholder {(e.Reminder ? "the reminder" : "their link")} to give feedback: {Short(e.Reason)}",
        FeedbackLinkAnswered => "A stakeholder answered through their personal link",
        FeedbackRequestRevoked e => "Withdrew a request for feedback" + (e.Reason is null ? "" : $": {OneLine(e.Reason)}"),
        FeedbackRoundContinued e => e.NextFeedbackRequestId is null
            ? $"Ended a periodic request for feedback: {e.Note}"
            : "Asked again for feedback at the start of a new period",
        FeedbackResponseSent e => $"Told the business ({Channel(e.Channel)}) what became of their feedback: {Short(e.Response)}",
        PlanItemAdded e => $"Planned {Cadence(e.Cadence)} \"{OneLine(e.What)}\" for {e.Audience} by {Channel(e.Channel)}, from {e.StartsOn:yyyy-MM-dd} (owner {e.Owner})",
        PlanItemChanged e => $"Changed plan item \"{OneLine(e.What)}\": {Cadence(e.Cadence)} for {e.Audience} by {Channel(e.Channel)} (owner {e.Owner})",
        PlanItemRetired e => $"Retired a plan item: {OneLine(e.Reason)}",
        CommunicationDelivered e => $"Sent {(e.PlanItemId is null ? "an ad-hoc update" : "a planned communication")} by {Channel(e.Channel)}: {OneLine(e.Summary)}",
        UpdateSent e => $"Sent the update \"{OneLine(e.Subject)}\" to {Recipients(e.Recipients)}",
        UpdateDelivered e => $"Delivered the update to {e.Email}" + (e.Attempts > 1 ? $" (attempt {e.Attempts})" : ""),
        UpdateDeliveryFailed e => $"Could not deliver the update to {e.Email}: {Short(e.Reason)}",
        UpdateTemplateSet e => $"Set version {e.TemplateVersion} of the update template",
        DigestPreferencesSet e => e.OptedOut
            ? $"{e.Manager} opted out of the weekly digest"
            : $"Set {e.Manager}'s weekly digest for {e.Day}s at {e.Hour:00}:00 ({e.TimeZone})",
        DigestSent e => $"Sent {e.Manager}'s weekly digest of {e.WeekOf:yyyy-MM-dd}: {(e.Entries == 1 ? "1 entry" : $"{e.Entries} entries")}, "
            + $"{People(e.UntoldDeclines, "untold decline")}",
        CalendarFeedIssued e => $"Issued {e.Manager} a new calendar feed address" + (e.Generation > 1 ? " (the previous one stopped working)" : ""),
        CalendarFeedRevoked e => $"Revoked {e.Manager}'s calendar feed address",
        RelationshipTagsChanged e => Tagged(e.StakeholderId is null ? "the department" : "a stakeholder", e.Added, e.Removed),
        MeetingTagsChanged e => Tagged("a meeting", e.Added, e.Removed),
        CommitmentTagsChanged e => Tagged("a commitment", e.Added, e.Removed),
        FeedbackTagsChanged e => Tagged("feedback", e.Added, e.Removed),
        _ => throw new InvalidOperationException($"No summary for {@event.GetType().Name}."),
    };

    private static string Tagged(string what, IReadOnlyList<string> added, IReadOnlyList<string> removed) =>
        string.Join("; ", new[]
        {
            added.Count == 0 ? null : $"Tagged {what} {string.Join(", ", added)}",
            removed.Count == 0 ? null : $"{(added.Count == 0 ? "Removed" : "removed")} tag{(removed.Count == 1 ? "" : "s")} {string.Join(", ", removed)} from {what}",
        }.OfType<string>()) is { Length: > 0 } line ? line : $"Changed the tags of {what}";

    private static string Kind(MeetingKind kind) => kind switch
    {
        MeetingKind.FaceToFace => "a face-to-face meeting",
        MeetingKind.TeamMeetingSlot => "a slot in a team meeting",
        MeetingKind.CoffeeChat => "a coffee chat",
        MeetingKind.ServiceReview => "a service review",
        MeetingKind.Workshop => "a workshop",
        _ => "a remote meeting",
    };

    private static string About(FeedbackSubject about) => about.Kind switch
    {
        FeedbackSubjectKind.Meeting => "about a meeting",
        FeedbackSubjectKind.Commitment => "about a commitment",
        FeedbackSubjectKind.Periodic => $"({about.Cadence?.ToString().ToLowerInvariant() ?? "periodic"} check-in)",
        _ => "(general)",
    };

    private static string Cadence(Cadence cadence) => cadence switch
    {
        CommunicationPlans.Cadence.Weekly => "a weekly",
        CommunicationPlans.Cadence.Fortnightly => "a fortnightly",
        CommunicationPlans.Cadence.Monthly => "a monthly",
        _ => "a quarterly",
    };

    // Who an update went to: the first three by name (or address), then how many more.
    private static string Recipients(IReadOnlyList<UpdateRecipient> recipients) =>
        string.Join(", ", recipients.Take(3).Select(r => r.Name.Length > 0 ? r.Name : r.Email))
        + (recipients.Count > 3 ? $" and {recipients.Count - 3} more" : "")
        + $" ({People(recipients.Count, "recipient")})";

    private static string People(int count, string what) => count == 1 ? $"1 {what}" : $"{count} {what}s";

    internal static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>One line of at most 140 characters: long verbatim texts (a comment, a response) are cut with an ellipsis.</summary>
    internal static string Short(string text) => OneLine(text) is { Length: > 140 } line ? line[..139] + "…" : OneLine(text);

    private static string Level(StakeholderLevel level) => level.ToString().ToLowerInvariant();

    private static string Channel(Channel channel) => channel switch
    {
        Domain.Channel.FaceToFace => "face to face",
        Domain.Channel.TeamMeeting => "team meetings",
        _ => channel.ToString().ToLowerInvariant(),
    };

    private static string Maturity(MaturityLevel level) => level switch
    {
        MaturityLevel.AdHoc => "ad hoc",
        MaturityLevel.OrderTaker => "order taker",
        MaturityLevel.ServiceProvider => "service provider",
        MaturityLevel.TrustedAdvisor => "trusted advisor",
        _ => "strategic partner",
    };
}
