namespace Brm.Api.Feedback.Links;

/// <summary>Personal feedback links (section "Feedback"): where they point, how long they last, when the reminder goes.</summary>
public sealed class FeedbackLinkOptions
{
    public const string Section = "Feedback";

    /// <summary>The address people open links at: the HTTP/1.1 endpoint as the business reaches it (behind a proxy, its public address).</summary>
    public string LinkBaseUrl { get; set; } = Hosting.BrmHost.DefaultHttp1Address;

    /// <summary>How long a request's links take answers, from when it was asked.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long after the invitation the one reminder goes to those who have not answered.</summary>
    public TimeSpan ReminderAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Whether periodic requests continue and reminders go (tests turn them off, as digests, unless they test them).</summary>
    public bool Rounds { get; set; } = true;

    /// <summary>Form submissions one link may make per minute.</summary>
    public int SubmitsPerLinkPerMinute { get; set; } = 10;

    /// <summary>Form pages (views and submissions) one address may load per minute.</summary>
    public int RequestsPerAddressPerMinute { get; set; } = 60;
}
