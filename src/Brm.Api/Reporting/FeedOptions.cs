namespace Brm.Api.Reporting;

/// <summary>How the feed paces itself; section "Feed" of the configuration.</summary>
public sealed class FeedOptions
{
    /// <summary>How often a caught-up follower looks for new events.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest a follower goes without a message: then it gets a checkpoint.</summary>
    public TimeSpan IdleCheckpoint { get; set; } = TimeSpan.FromSeconds(5);
}
