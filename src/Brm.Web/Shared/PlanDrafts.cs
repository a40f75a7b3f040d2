using Brm.V1;

namespace Brm.Web.Shared;

/// <summary>A plan item as it is being written (added or changed), before it is sent.</summary>
public sealed class PlanItemDraft
{
    public string What { get; set; } = "";

    public string Audience { get; set; } = "";

    public Channel Channel { get; set; } = Channel.Email;

    public Cadence Cadence { get; set; } = Cadence.Monthly;

    public string Owner { get; set; } = "";

    /// <summary>An information need's id, or empty for none.</summary>
    public string InformationNeedId { get; set; } = "";

    public DateOnly? StartsOn { get; set; }

    public PlanItemDetails ToDetails() => new()
    {
        What = What, Audience = Audience, Channel = Channel, Cadence = Cadence, Owner = Owner, InformationNeedId = InformationNeedId,
    };
}

/// <summary>A communication that went out, as it is being recorded.</summary>
public sealed class CommunicationDraft
{
    public Channel Channel { get; set; } = Channel.Email;

    public string Summary { get; set; } = "";

    public string Link { get; set; } = "";

    /// <summary>The day it went out; none for now.</summary>
    public DateOnly? SentOn { get; set; }
}
