namespace Brm.Domain.Outreach;

/// <summary>
/// The documented limits of outreach (outreach.proto), read by the validators and the decisions. Partial: each part of
/// outreach keeps its own limits in its own file; these are the limits of an update sent.
/// </summary>
public static partial class OutreachLimits
{
    /// <summary>The most facts one update reports.</summary>
    public const int SentFacts = 500;

    /// <summary>The most recipients of one update: stakeholders and addresses together.</summary>
    public const int SentRecipients = 200;
}
