using System.Text.Json.Serialization;

namespace Brm.Domain.Outreach;

// Outreach streams: one per update sent (UpdateSent, then one UpdateDelivered or UpdateDeliveryFailed per
// recipient), one for the organisation's update template, one per BRM's digest preferences, one per BRM's digest of
// a week. Past tense, stream id first, who and when last. Events that concern no department (the template, digests)
// say so with an empty RelationshipId: the feed carries them, no department's timeline does.

/// <summary>Every event of the outreach streams.</summary>
public static class OutreachEvents
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(UpdateSent),
        typeof(UpdateDelivered),
        typeof(UpdateDeliveryFailed),
        typeof(UpdateTemplateSet),
        typeof(DigestPreferencesSet),
        typeof(DigestSent),
    ];
}

/// <summary>What an update reports (the numbers match brm.v1.UpdateFactKind).</summary>
public enum UpdateFactKind
{
    CommitmentDelivered = 1,
    CommitmentRenegotiated = 2,
    CommitmentCancelled = 3,
    CommitmentComingDue = 4,
    FeedbackActioned = 5,
    FeedbackDeclined = 6,
    Meeting = 7,
    InformationNeed = 8,
}

/// <summary>One fact an update reports: the commitment, feedback item, meeting or information need, by id.</summary>
public sealed record UpdateFact(UpdateFactKind Kind, Guid Id);

/// <summary>Whom an update went to: a stakeholder of the department (with their address then), or an address added by the BRM.</summary>
public sealed record UpdateRecipient(Guid? StakeholderId, string Name, string Email);

/// <summary>
/// An update went out: its exact content and recipients, and the communication recorded with it against the plan.
/// Delivery follows the commit (UpdateDelivered / UpdateDeliveryFailed, one per recipient).
/// </summary>
public sealed record UpdateSent(
    Guid UpdateId,
    Guid RelationshipId,
    Guid PlanItemId,
    DateOnly PeriodFrom,
    DateOnly PeriodTo,
    string Subject,
    string BodyMarkdown,
    IReadOnlyList<UpdateFact> Facts,
    IReadOnlyList<UpdateRecipient> Recipients,
    Guid CommunicationId,
    string SentBy,
    DateTimeOffset SentAt);

/// <summary>The mail server accepted the update for one recipient (or it was written to the pickup folder).</summary>
public sealed record UpdateDelivered(
    Guid UpdateId, Guid RelationshipId, string Email, string MessageId, int Attempts, string DeliveredBy, DateTimeOffset DeliveredAt);

/// <summary>The update could not be delivered to one recipient: refused for good, or every retry failed.</summary>
public sealed record UpdateDeliveryFailed(
    Guid UpdateId, Guid RelationshipId, string Email, string MessageId, string Reason, int Attempts, string FailedBy, DateTimeOffset FailedAt);

/// <summary>A new version of the organisation's update template (subject and body, Liquid).</summary>
public sealed record UpdateTemplateSet(int TemplateVersion, string Subject, string Source, string SetBy, DateTimeOffset SetAt)
{
    [JsonIgnore]
    public Guid RelationshipId => Guid.Empty;
}

/// <summary>When and where a BRM's weekly digest goes, or that it does not.</summary>
public sealed record DigestPreferencesSet(
    string Manager, string? Email, DayOfWeek Day, int Hour, string TimeZone, bool OptedOut, string SetBy, DateTimeOffset SetAt)
{
    [JsonIgnore]
    public Guid RelationshipId => Guid.Empty;
}

/// <summary>A BRM's digest of one week went out (at most one per BRM per week: the stream id is derived from both).</summary>
public sealed record DigestSent(
    Guid DigestId,
    string Manager,
    string Email,
    DateOnly WeekOf,
    int Entries,
    int UntoldDeclines,
    string MessageId,
    string SentBy,
    DateTimeOffset SentAt)
{
    [JsonIgnore]
    public Guid RelationshipId => Guid.Empty;
}
