namespace Brm.Domain.Feedback;

/// <summary>
/// How an answer is scored, set by its request. <see cref="Rating"/> (the default, and feedback answering no request):
/// 1-5. <see cref="Csat"/>: 1-5, "satisfied" at 4-5. <see cref="Nps"/>: 0-10 ("how likely are you to recommend"),
/// promoters at 9-10, passives at 7-8, detractors at 0-6.
/// </summary>
public enum FeedbackScale
{
    // Zero on purpose: feedback recorded before scales existed is read as a 1-5 rating.
    Rating = 0,
    Csat = 1,
    Nps = 2,
}

/// <summary>How a request reaches its audience: <see cref="None"/>, the BRM asks them (recorded as today); <see cref="Email"/>, each gets a personal link.</summary>
public enum FeedbackDelivery
{
    None = 0,
    Email = 1,
}

public static class FeedbackScales
{
    /// <summary>The lowest and highest score an answer on <paramref name="scale"/> may give.</summary>
    public static (int Min, int Max) Range(this FeedbackScale scale) => scale == FeedbackScale.Nps ? (LowestScore, HighestScore) : (1, 5);

    /// <summary>The widest range of any scale (NPS's): what a score is checked against before its request is known.</summary>
    public const int LowestScore = 0, HighestScore = 10;

    /// <summary>A CSAT answer counts as satisfied at 4 or 5.</summary>
    public static bool Satisfied(int score) => score >= 4;

    public static bool Promoter(int score) => score >= 9;

    public static bool Detractor(int score) => score <= 6;
}
