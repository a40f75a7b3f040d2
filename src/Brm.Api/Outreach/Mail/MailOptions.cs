namespace Brm.Api.Outreach.Mail;

/// <summary>
/// The mail server (configuration section "Smtp"). With no <see cref="Host"/>, mail goes to the pickup folder
/// instead (<see cref="OutreachOptions.PickupFolder"/>), so the product works unaided.
/// </summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    /// <summary>Upgrade the connection with STARTTLS (required when true).</summary>
    public bool StartTls { get; set; }

    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender, e.g. <c>"IT Relationship Management &lt;brm@example.org&gt;"</c>; its domain ends every Message-Id.</summary>
    public string From { get; set; } = "BRM CRM <brm@localhost>";

    public bool Configured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>How outreach delivers (configuration section "Outreach").</summary>
public sealed class OutreachOptions
{
    public const string Section = "Outreach";

    /// <summary>Where messages go as .eml files when no SMTP server is configured: <c>&lt;data folder&gt;/mail-pickup</c> unless set.</summary>
    public string? PickupFolder { get; set; }

    /// <summary>
    /// The waits between attempts while the mail server cannot be reached (or answers "try later"): after the last,
    /// the recipients not yet delivered are recorded failed. At most 24 (Wolverine's limit). Unset: <see cref="DefaultRetryDelays"/>. (Set as a
    /// whole: configuration would append to a list it started with.)
    /// </summary>
    public TimeSpan[]? RetryDelays { get; set; }

    /// <summary>The waits in force.</summary>
    public TimeSpan[] Retries => RetryDelays is { Length: > 0 } delays ? delays : DefaultRetryDelays;

    /// <summary>About a day and a half of retries.</summary>
    public static readonly TimeSpan[] DefaultRetryDelays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10),
        TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4),
        TimeSpan.FromHours(8), TimeSpan.FromHours(8), TimeSpan.FromHours(8),
    ];

    /// <summary>Whether BRMs get their weekly digest at all (docs/outreach.md).</summary>
    public bool Digests { get; set; } = true;

    /// <summary>How often the service looks for digests due: a digest goes within this much of its hour.</summary>
    public TimeSpan DigestInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often a node looks for scheduled retries and for deliveries a stopped node left behind.</summary>
    public TimeSpan PollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After how long without a heartbeat a node is taken for dead, and its deliveries taken over.</summary>
    public TimeSpan StaleNodeTimeout { get; set; } = TimeSpan.FromMinutes(1);
}
