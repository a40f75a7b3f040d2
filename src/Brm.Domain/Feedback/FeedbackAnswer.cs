namespace Brm.Domain.Feedback;

/// <summary>
/// The rules of an answer's content, wherever it comes from (the API's validators, the feedback form, the decisions):
/// a rating on its request's scale (1-5 unless the request asked on NPS's 0-10), a comment of at most
/// <see cref="FeedbackLimits.CommentLength"/> characters, and a comment or a rating.
/// </summary>
public static class FeedbackAnswer
{
    public const string CommentOrRatingRequired = "a comment or a rating is required";

    /// <summary>
    /// True when <paramref name="text"/> holds a control character other than tab, line feed and carriage return: no
    /// text the service keeps holds one.
    /// </summary>
    public static bool HasControlCharacters(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the answer says something: a rating, or a comment that is not blank.</summary>
    public static bool HasContent(int? rating, string? comment) => rating is not null || !string.IsNullOrWhiteSpace(comment);

    /// <summary>True when <paramref name="rating"/> is on <paramref name="scale"/>.</summary>
    public static bool IsOn(this FeedbackScale scale, int rating)
    {
        var (min, max) = scale.Range();
        return rating >= min && rating <= max;
    }

    /// <summary>Why <paramref name="rating"/> is refused on the scale of the request it answers, or null when it is on it (or absent).</summary>
    public static string? RatingProblem(FeedbackScale scale, int? rating)
    {
        if (rating is not { } r || scale.IsOn(r))
        {
            return null;
        }

        var (min, max) = scale.Range();
        return $"rating must be between {min} and {max} on the {scale.ToString().ToUpperInvariant()} scale of the request it answers";
    }

    /// <summary>What is wrong with an answer on <paramref name="scale"/>, by field ("rating", "comment"); empty when nothing is.</summary>
    public static IReadOnlyList<(string Field, string Message)> Problems(FeedbackScale scale, int? rating, string? comment)
    {
        var problems = new List<(string, string)>();
        var (min, max) = scale.Range();
        if (rating is { } r && !scale.IsOn(r))
        {
            problems.Add(("rating", $"rating must be between {min} and {max}"));
        }

        if (comment is { Length: > FeedbackLimits.CommentLength })
        {
            problems.Add(("comment", $"comment must be at most {FeedbackLimits.CommentLength} characters"));
        }
        else if (comment is not null && HasControlCharacters(comment))
        {
            problems.Add(("comment", "comment must not hold control characters"));
        }

        if (!HasContent(rating, comment))
        {
            problems.Add(("rating", CommentOrRatingRequired));
        }

        return problems;
    }
}
