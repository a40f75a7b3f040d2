using Brm.Api.Feedback.Links;
using Brm.Api.Infrastructure;
using Brm.Domain.Calendar;
using Marten;

namespace Brm.Api.Calendar;

/// <summary>Where calendar feed addresses point (section "Calendar").</summary>
public sealed class CalendarOptions
{
    public const string Section = "Calendar";

    /// <summary>The address calendar clients fetch feeds at: the HTTP/1.1 endpoint as they reach it. Unset: <see cref="FeedbackLinkOptions.LinkBaseUrl"/>.</summary>
    public string? FeedBaseUrl { get; set; }
}

/// <summary>
/// A BRM's calendar feed: <c>GET /calendar/{token}.ics</c>, the iCalendar view of the departments they manage
/// (<see cref="CalendarEntries"/>, written by <see cref="CalendarWriter"/>). The token is the secret: 404 for one this
/// service did not issue (or of no feed), 410 for one revoked or replaced by a newer address. Safe for a secret URL: no
/// caching anywhere (<c>Cache-Control: private, no-store</c>), no referrer, not indexed; rate limited as the feedback form is
/// (per address, and per feed: <see cref="RateLimits"/>). See docs/web.md, "Calendar".
/// </summary>
public static class CalendarFeedEndpoint
{
    public const string PathPrefix = "/calendar";

    public const string ContentType = "text/calendar; charset=utf-8";

    public static bool IsFeedPath(PathString path) => path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The address of <paramref name="token"/>'s feed.</summary>
    public static string Url(string baseUrl, string token) => $"{baseUrl.TrimEnd('/')}{PathPrefix}/{token}.ics";

    /// <summary>The base address feeds are served at: Calendar:FeedBaseUrl, else the feedback links' base.</summary>
    public static string BaseUrl(CalendarOptions calendar, FeedbackLinkOptions links) => calendar.FeedBaseUrl is { Length: > 0 } url ? url : links.LinkBaseUrl;

    public static void AddCalendarFeed(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<CalendarOptions>(builder.Configuration.GetSection(CalendarOptions.Section));
        builder.Services.AddSingleton<CalendarFeedTokens>();
    }

    public static void MapCalendarFeed(this WebApplication app)
    {
        app.MapGet($"{PathPrefix}/{{token}}.ics", async (string token, HttpContext context, CalendarFeedTokens tokens, IQuerySession query, TimeProvider clock) =>
        {
            var headers = context.Response.Headers;
            headers.CacheControl = "private, no-store, max-age=0";
            headers["Referrer-Policy"] = "no-referrer";
            headers["X-Robots-Tag"] = "noindex, nofollow";
            headers.XContentTypeOptions = "nosniff";
            var ct = context.RequestAborted;

            var read = tokens.Read(token);
            var feed = read is null ? null : await query.LoadAsync<CalendarFeed>(read.FeedId, ct);
            if (read is null || feed is null || read.Generation > feed.Generation)
            {
                return Results.Text("This calendar address is not valid.\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
            }

            if (!feed.Opens(read.Generation))
            {
                return Results.Text("This calendar address was revoked: ask the service for a new one (brm calendar url).\n", "text/plain; charset=utf-8",
                    statusCode: StatusCodes.Status410Gone);
            }

            var now = clock.GetUtcNow();
            var entries = CalendarEntries.Of(await query.CalendarSourcesAsync(feed.Manager, now, ct), now);
            headers.ContentDisposition = "inline; filename=\"brm-calendar.ics\"";
            return Results.Text(CalendarWriter.Feed(feed.Manager, entries), ContentType);
        }).RequireRateLimiting(RateLimits.CalendarFeedPolicy);
    }
}
