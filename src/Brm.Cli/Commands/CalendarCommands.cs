using System.CommandLine;
using Brm.V1;
using Spectre.Console;
using static Brm.Cli.Commands.Dsl;

namespace Brm.Cli.Commands;

/// <summary>brm calendar url|revoke: the secret address of the BRM's calendar feed, and its revocation.</summary>
internal static class CalendarCommands
{
    private static readonly Option<string?> Manager = Optional("--manager", "Whose feed (default: you; another BRM's: admins only)");

    public static Command Create(Io io)
    {
        var group = new Command("calendar", "Your calendar feed: meetings, commitments and communications due, feedback to answer, in any calendar client");
        var renew = Flag("--new", "Issue a new address: the one in use stops working (when it leaked, say)");
        var url = Command("url", "Print the address to subscribe to (issued on first use); keep it private", Manager, renew);
        Context.Run(url, io, async c =>
        {
            var manager = c.Get(Manager) ?? c.Me;
            var feed = (await c.Outreach.GetCalendarFeedAsync(new GetCalendarFeedRequest { Manager = manager }, cancellationToken: c.Cancellation)).Feed;
            if (!feed.Active || c.Get(renew))
            {
                // Guarded by the version read: two `--new` at once issue one address, and the other is told to run again.
                var issue = new IssueCalendarFeedRequest { RequestId = Context.RequestId(), Manager = manager };
                if (feed.Version > 0)
                {
                    issue.ExpectedVersion = feed.Version;
                }

                feed = (await c.Outreach.IssueCalendarFeedAsync(issue, cancellationToken: c.Cancellation)).Feed;
            }

            c.Out.Write(new GetCalendarFeedResponse { Feed = feed }, console => console.WriteLine(feed.Url));
            return 0;
        });

        var revoke = Command("revoke", "Stop the address working (calendar clients get 410 Gone); `calendar url` issues a new one", Manager);
        Context.Run(revoke, io, async c =>
        {
            var manager = c.Get(Manager) ?? c.Me;
            var response = await c.Outreach.RevokeCalendarFeedAsync(new RevokeCalendarFeedRequest { RequestId = Context.RequestId(), Manager = manager },
                cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line(response.Feed.RevokedAt is null
                ? $"{manager} has no calendar feed address: nothing to revoke."
                : $"{manager}'s calendar feed address is revoked (since {Output.Time(response.Feed.RevokedAt)}): calendar clients using it get nothing more."));
            return 0;
        });

        group.Add(url);
        group.Add(revoke);
        return group;
    }
}
