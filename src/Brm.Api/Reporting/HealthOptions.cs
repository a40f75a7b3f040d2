using Brm.Domain.Reporting;

namespace Brm.Api.Reporting;

/// <summary>What health lets an organisation set; section "Health" of the configuration (docs/health.md).</summary>
public sealed class HealthOptions
{
    /// <summary>How many months the answers to the two questions stay current (1-60, default 12).</summary>
    public int TwoQuestionsReviewMonths { get; set; } = HealthPolicy.DefaultTwoQuestionsReviewMonths;

    public const string Invalid = "Health:TwoQuestionsReviewMonths must be 1-60 months";

    public bool IsValid => TwoQuestionsReviewMonths is >= 1 and <= HealthPolicy.MaxTwoQuestionsReviewMonths;

    public HealthPolicy ToPolicy() => new(TwoQuestionsReviewMonths);
}
