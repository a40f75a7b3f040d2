namespace Brm.Domain.Feedback;

/// <summary>The rules of an answer's content, wherever it comes from (the API's validators, the feedback form).</summary>
public static class FeedbackAnswer
{
    /// <summary>A comment's longest length, kept verbatim.</summary>
    public const int CommentLength = 4000;

    /// <summary>
    /// True when <paramref name="text"/> holds a control character other than tab, line feed and carriage return: no
    /// text the service keeps holds one.
    /// </summary>
    public static bool HasControlCharacters(string text) => text.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r'));

    /// <summary>What is wrong with an answer on <paramref name="scale"/>, by field ("rating", "comment"); empty when nothing is.</summary>
    public static IReadOnlyList<(string Field, string Message)> Problems(FeedbackScale scale, int? rating, string? comment)
    {
        var problems = new List<(string, string)>();
        var (min, max) = scale.Range();
        if (rating is { } r && (r < min || r > max))
        {
            problems.Add(("rating", $"rating must be between {min} and {max}"));
        }

        if (comment is { Length: > CommentLength })
        {
            problems.Add(("comment", $"comment must be at most {CommentLength} characters"));
        }
        else if (comment is not null && HasControlCharacters(comment))
        {
            problems.Add(("comment", "comment must not hold control characters"));
        }

        if (rating is null && string.IsNullOrWhiteSpace(comment))
        {
            problems.Add(("rating", "a comment or a rating is required"));
        }

        return problems;
    }
}
