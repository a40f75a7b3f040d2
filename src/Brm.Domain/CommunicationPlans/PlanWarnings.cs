using System.Globalization;
using Brm.Domain.Relationships;

namespace Brm.Domain.CommunicationPlans;

/// <summary>
/// What a change to a plan warns about, without refusing it: a channel the department did not ask for, and the
/// manager's load above the threshold one person can keep to. <see cref="PreferredChannels"/> are the department's
/// recorded channels, each once; <see cref="Messages"/> say each warning in words.
/// </summary>
public sealed record PlanWarnings(IReadOnlyList<Channel> PreferredChannels, bool ChannelNotPreferred, PlannedLoad? Load, IReadOnlyList<string> Messages)
{
    public bool LoadOverThreshold => Load?.OverThreshold ?? false;

    /// <summary>The warnings of <paramref name="command"/> (only adding or changing an item names a channel), with the load it leaves.</summary>
    public static PlanWarnings Of(PlanCommand command, Relationship relationship, PlannedLoad? load)
    {
        var preferred = relationship.CommunicationPreferences.Select(p => p.Channel).Distinct().ToList();
        var messages = new List<string>();
        var channel = command switch
        {
            AddPlanItem a => a.Details.Channel,
            ChangePlanItem c => c.Details.Channel,
            _ => (Channel?)null,
        };
        var notPreferred = channel is { } chosen && !relationship.Prefers(chosen);
        if (notPreferred)
        {
            messages.Add(preferred.Count == 0
                ? $"{relationship.Name} has no recorded communication preferences: check that {channel} suits them"
                : $"{channel} is not one of {relationship.Name}'s preferred channels ({string.Join(", ", preferred)})");
        }

        if (load is { OverThreshold: true })
        {
            messages.Add(string.Create(CultureInfo.InvariantCulture,
                $"{load.Manager}'s plans now ask for {load.PerMonth:0.##} communications a month, above the {load.Threshold} one person can keep to"));
        }

        return new PlanWarnings(preferred, notPreferred, load, messages);
    }
}
