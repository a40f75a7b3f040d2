using Brm.Domain.CommunicationPlans;
using Brm.Domain.Relationships;

namespace Brm.Domain.Outreach;

/// <summary>Whom a department's update goes to unless the BRM says otherwise.</summary>
public static class UpdateRecipients
{
    /// <summary>
    /// The current stakeholders with an email address (erased ones have none), when email is how this audience wants
    /// to hear from IT: the plan item goes out by email, or the department's preferences name email for the item's
    /// audience (any audience, without an item). Otherwise nobody: the BRM names the recipients.
    /// </summary>
    public static IReadOnlyList<UpdateRecipient> DefaultFor(Relationship relationship, PlanItem? item)
    {
        var wantsEmail = item?.Channel == Channel.Email
            || relationship.CommunicationPreferences.Any(p => p.Channel == Channel.Email
                && (item is null || string.Equals(p.Audience.Trim(), item.Audience.Trim(), StringComparison.OrdinalIgnoreCase)));
        return wantsEmail
            ? [.. relationship.CurrentStakeholders()
                .Where(s => !s.Erased && !string.IsNullOrWhiteSpace(s.Email))
                .Select(s => new UpdateRecipient(s.Id, s.Name, s.Email!))]
            : [];
    }
}
