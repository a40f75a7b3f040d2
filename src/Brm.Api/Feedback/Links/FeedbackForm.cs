using Brm.Api.Infrastructure;
using Brm.Domain.Feedback;

namespace Brm.Api.Feedback.Links;

/// <summary>
/// The feedback form people open from their personal link: <c>GET /feedback/{token}</c> shows it, <c>POST</c> answers
/// (Razor Pages, server-rendered, no script). Safe by default: an antiforgery token on the form (cookie SameSite=Strict),
/// a Content-Security-Policy allowing only its own stylesheet and form target, no referrer (the link is a secret), no
/// caching, no framing; rate limits per address and per link (<see cref="RateLimits"/>). See docs/feedback.md.
/// </summary>
public static class FeedbackForm
{
    public const string PathPrefix = "/feedback";

    public const string StylesheetPath = "/feedback-assets/form.css";

    private const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static bool IsFormPath(PathString path) =>
        path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/feedback-assets", StringComparison.OrdinalIgnoreCase);

    public static void AddFeedbackForm(this IServiceCollection services)
    {
        services.AddRazorPages();
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "brm-form";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
            options.FormFieldName = "form-token";
            options.SuppressXFrameOptionsHeader = false;
        });
        services.AddScoped<FeedbackLinkAnswers>();
    }

    /// <summary>The form's pages, its stylesheet, and the headers every one of them carries.</summary>
    public static void MapFeedbackForm(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (IsFormPath(context.Request.Path))
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.CacheControl = "no-store";
            }

            await next(context);
        });
        app.MapGet(StylesheetPath, () => Results.Text(Stylesheet, "text/css; charset=utf-8"));
        app.MapRazorPages();
    }

    /// <summary>The question a request asks: the BRM's, or the scale's own.</summary>
    public static string Question(FeedbackRequest request) => request.Question ?? request.Scale switch
    {
        FeedbackScale.Nps => "How likely are you to recommend IT's services to a colleague?",
        FeedbackScale.Csat => "How satisfied are you with IT's services?",
        _ => "How would you rate IT's services?",
    };

    /// <summary>The choices of a scale, lowest first, each with the words a reader needs at its ends.</summary>
    public static IReadOnlyList<(int Value, string Label)> Choices(FeedbackScale scale)
    {
        var (min, max) = scale.Range();
        return [.. Enumerable.Range(min, max - min + 1).Select(v => (v, (scale, v) switch
        {
            (FeedbackScale.Nps, 0) => "0, not at all likely",
            (FeedbackScale.Nps, 10) => "10, extremely likely",
            (FeedbackScale.Csat, 1) => "1, very dissatisfied",
            (FeedbackScale.Csat, 5) => "5, very satisfied",
            (FeedbackScale.Rating, 1) => "1, poor",
            (FeedbackScale.Rating, 5) => "5, excellent",
            _ => v.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }))];
    }

    /// <summary>The page of an address over its budget (429, with Retry-After).</summary>
    public static Task WriteTooManyRequestsAsync(HttpResponse response, int retryAfterSeconds)
    {
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.ContentType = "text/html; charset=utf-8";
        return response.WriteAsync($"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Too many attempts</title><link rel="stylesheet" href="{StylesheetPath}"></head>
            <body><main><h1>Too many attempts</h1><p>Please wait {retryAfterSeconds} seconds, then try again.</p></main></body></html>
            """);
    }

    /// <summary>Plain, readable, AA contrast (text #1a1a1a on white, links and button #0b4f8a), a visible focus ring.</summary>
    private const string Stylesheet = """
        *{box-sizing:border-box}
        body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
        main{max-width:40rem;margin:0 auto;padding:1.5rem 1rem 3rem}
        h1{font-size:1.5rem;line-height:1.25;margin:0 0 .5rem}
        .lead{color:#3d3d3d;margin:0 0 1.5rem}
        fieldset{border:1px solid #767676;border-radius:.5rem;padding:1rem;margin:0 0 1.5rem}
        legend{font-weight:600;padding:0 .25rem}
        .scale{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.5rem}
        .scale label{display:inline-flex;align-items:center;gap:.35rem;border:1px solid #767676;border-radius:.375rem;padding:.4rem .6rem;cursor:pointer}
        label.block{display:block;font-weight:600;margin-bottom:.25rem}
        textarea{width:100%;min-height:8rem;font:inherit;padding:.5rem;border:1px solid #767676;border-radius:.375rem}
        .hint{color:#3d3d3d;font-size:.9375rem;margin:.25rem 0 0}
        .check{display:flex;gap:.5rem;align-items:flex-start;margin:1rem 0 1.5rem}
        button{font:inherit;font-weight:600;color:#fff;background:#0b4f8a;border:0;border-radius:.375rem;padding:.65rem 1.25rem;cursor:pointer}
        a{color:#0b4f8a}
        :focus-visible{outline:3px solid #b35900;outline-offset:2px}
        .errors{border:2px solid #a4000f;border-radius:.5rem;padding:.75rem 1rem;margin:0 0 1.5rem}
        .errors h2{font-size:1.125rem;margin:0 0 .25rem;color:#a4000f}
        .error{color:#a4000f;font-weight:600;margin:.25rem 0}
        """;
}
