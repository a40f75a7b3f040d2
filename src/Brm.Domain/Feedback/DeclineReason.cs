namespace Brm.Domain.Feedback;

/// <summary>
/// A decline's reason is what the business will be told, so it must say why: long enough, in words, and not a
/// placeholder. The one definition of "meaningful", read by the request validator and by the decision.
/// </summary>
public static class DeclineReason
{
    public const int MinLength = 15;
    public const int MinWords = 3;

    private static readonly HashSet<string> Placeholders = new(StringComparer.Ordinal)
    {
        "no reason given", "no reason provided", "no particular reason", "not applicable", "to be decided", "to be determined",
        "to be confirmed", "to be advised", "will explain later", "see previous email", "see my email", "see email thread",
        "as discussed earlier", "as per discussion", "as discussed before", "for internal reasons", "for various reasons",
        "we decided not to", "not going to happen", "not a priority right now", "management decision only",
        "placeholder reason here", "reason to follow later", "lorem ipsum dolor",
    };

    /// <summary>What is wrong with the reason, or null when it says why.</summary>
    public static string? Problem(string? reason)
    {
        var text = reason?.Trim() ?? "";
        if (text.Length == 0)
        {
            return "a decline needs its reason: say why, so that the business can be told";
        }

        var words = text.Split(' ', '\t', '\r', '\n')
            .Select(w => new string([.. w.Where(char.IsLetterOrDigit)]).ToLowerInvariant())
            .Where(w => w.Length > 0)
            .ToList();
        if (text.Length < MinLength || words.Count(w => w.Any(char.IsLetter)) < MinWords)
        {
            return $"a decline's reason must say why in at least {MinWords} words and {MinLength} characters";
        }

        var normalized = string.Join(' ', words);
        return Placeholders.Contains(normalized) || normalized.StartsWith("lorem ipsum", StringComparison.Ordinal)
            || words.Distinct().Count() == 1 || normalized.Replace(" ", "", StringComparison.Ordinal).Distinct().Count() < 4
            ? $"'{text}' reads like a placeholder: a decline's reason must say why, so that the business can be told"
            : null;
    }
}
