using Brm.Api.Feedback.Links;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Brm.Api.Pages.Feedback;

/// <summary>A refusal page: its heading, its words, its HTTP status.</summary>
public sealed record Refusal(string Title, string Message, int Status);

/// <summary>
/// The feedback form of a personal link (<see cref="FeedbackForm"/>): shows the question and the scale, records the answer
/// through <see cref="FeedbackLinkAnswers"/>, and shows a clear page (with its status) for a link that cannot be used.
/// Antiforgery is checked here, so that a failed check gets a page rather than an empty 400.
/// </summary>
[IgnoreAntiforgeryToken]
[EnableRateLimiting(Infrastructure.RateLimits.FormAnswersPolicy)]
public sealed class AnswerModel(FeedbackLinkAnswers answers, IAntiforgery antiforgery) : PageModel
{
    public string Title { get; private set; } = "Your feedback";

    public string Department { get; private set; } = "";

    public string Question { get; private set; } = "";

    public IReadOnlyList<(int Value, string Label)> Choices { get; private set; } = [];

    public bool AllowAnonymous { get; private set; }

    public Refusal? Refusal { get; private set; }

    public bool Thanked { get; private set; }

    public bool AnsweredAnonymously { get; private set; }

    public IReadOnlyList<(string Field, string Message)> Errors { get; private set; } = [];

    [BindProperty]
    public int? Rating { get; set; }

    [BindProperty]
    public string? Comment { get; set; }

    [BindProperty]
    public bool Anonymous { get; set; }

    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field).Message;

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        var (open, problem) = await answers.OpenAsync(token, ct);
        return open is null ? Refuse(problem!.Value) : Show(open);
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(HttpContext))
        {
            return Refuse(new Refusal(
                "This form has expired", "The page was open too long, or it was sent from somewhere else. Open your link again to answer.", StatusCodes.Status400BadRequest));
        }

        // A value that is not a number binds to nothing and reads as a missing score; the rules below then say so.
        var outcome = await answers.AnswerAsync(token, Rating, Comment, Anonymous, ct);
        if (outcome.Problem is { } problem)
        {
            return Refuse(problem);
        }

        var (open, _) = await answers.OpenAsync(token, ct);
        if (outcome.FieldErrors.Count > 0 && open is not null)
        {
            Errors = outcome.FieldErrors;
            Title = "Please check your answer";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Show(open);
        }

        Thanked = true;
        AnsweredAnonymously = Anonymous;
        Title = "Thank you";
        return Page();
    }

    private PageResult Show(OpenLink open)
    {
        Department = open.Relationship.Name;
        Question = FeedbackForm.Question(open.Request);
        Choices = FeedbackForm.Choices(open.Request.Scale);
        AllowAnonymous = open.Request.AllowAnonymous;
        Title = $"{Department}: your feedback";
        return Page();
    }

    private IActionResult Refuse(LinkProblem problem) => Refuse(problem switch
    {
        LinkProblem.Used => new Refusal("You have already answered", "This link takes one answer, and yours was recorded. Thank you.", StatusCodes.Status409Conflict),
        LinkProblem.Expired => new Refusal("This link has expired", "The request for feedback has closed. If you would still like to tell IT something, reply to the email.", StatusCodes.Status410Gone),
        LinkProblem.Revoked => new Refusal("This request was withdrawn", "IT's relationship manager withdrew this request for feedback, so it takes no more answers.", StatusCodes.Status410Gone),
        LinkProblem.Closed => new Refusal("This request is closed", "This request for feedback no longer takes answers from this link.", StatusCodes.Status410Gone),
        _ => new Refusal("This link is not valid", "The link may be incomplete: open it again from the email, or copy all of it into the address bar.", StatusCodes.Status404NotFound),
    });

    private IActionResult Refuse(Refusal refusal)
    {
        Refusal = refusal;
        Title = refusal.Title;
        Response.StatusCode = refusal.Status;
        return Page();
    }
}
