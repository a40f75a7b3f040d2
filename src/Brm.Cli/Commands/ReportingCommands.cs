using System.CommandLine;
using Brm.V1;
using Grpc.Core;
using Spectre.Console;
using static Brm.Cli.Commands.Dsl;

namespace Brm.Cli.Commands;

/// <summary>brm brief, health, portfolio, timeline, asof, feed: reports and the event feed.</summary>
internal static class ReportingCommands
{
    private static readonly Argument<string> Dept = Department();

    public static Command Brief(Io io)
    {
        var brief = Command("brief", "Everything before a meeting with a department, on one screen", Dept);
        Context.Run(brief, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(Dept));
            var response = await c.Reporting.GetBriefingAsync(new GetBriefingRequest { RelationshipId = relationship.Id }, cancellationToken: c.Cancellation);
            c.Out.Write(response, console => RenderBrief(console, response));
            return 0;
        });
        return brief;
    }

    /// <summary>The brief, section by section: who, the two questions, what is owed, the plan, health, what they raised, what happened.</summary>
    private static void RenderBrief(IAnsiConsole console, GetBriefingResponse b)
    {
        var r = b.Relationship;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        console.MarkupLine(Markup.Escape($"{r.Name} ({r.Code}), manager {(r.Manager.Length > 0 ? r.Manager : "none")}, as of {Output.Time(b.AsOf)}"));
        var h = b.Health;
        console.WriteLine($"Health {Score(h.HasScore ? h.Score : null)} (30 days ago {Score(h.HasScore30DaysAgo ? h.Score30DaysAgo : null)}, 90 days ago {Score(h.HasScore90DaysAgo ? h.Score90DaysAgo : null)});"
            + $" {b.OverdueCommitments} overdue commitment(s), {b.UntoldDeclines} untold decline(s)");

        Section(console, $"Stakeholders (contacted within {b.CoverageWindowDays} days)");
        var people = new Table().AddColumns("Level", "Name", "Title", "Last contact", "Days ago", "Recent");
        foreach (var level in b.StakeholderLevels)
        {
            foreach (var s in level.Stakeholders)
            {
                people.AddRow(Output.Enum(level.Level), Markup.Escape(s.Stakeholder.Name), Markup.Escape(s.Stakeholder.Title),
                    s.LastContactAt is null ? "never" : $"{Output.Time(s.LastContactAt)} {Output.Enum(s.LastContactKind)}",
                    s.HasDaysSinceContact ? s.DaysSinceContact.ToString(inv) : "", s.ContactedWithinWindow ? "yes" : "no");
            }
        }

        console.Write(people);
        console.WriteLine("Coverage: " + string.Join(", ", b.StakeholderLevels.Select(l => $"{Output.Enum(l.Level)} {l.Coverage.Contacted}/{l.Coverage.Total}")));
        console.WriteLine(b.NotContacted.Count == 0
            ? "Everyone was talked to recently."
            : "Nobody has talked to: " + string.Join(", ", b.NotContacted.Select(s => s.Stakeholder.Name + (s.LastContactAt is null ? " (never)" : $" ({s.DaysSinceContact} days)"))));

        var q = b.TwoQuestions;
        Section(console, "The two questions");
        console.WriteLine(q.LastAskedAt is null ? "Never asked." : $"Last asked {Output.Time(q.LastAskedAt)} ({q.DaysSinceAsked} days ago): needs {Output.Time(q.NeedsLastRecordedAt)}, preferences {Output.Time(q.PreferencesLastRecordedAt)}");
        foreach (var n in q.InformationNeeds)
        {
            console.WriteLine($"  need [{Output.Enum(n.Need.Priority)}] {n.Need.Description}" + (n.RaisedByName.Length > 0 ? $" (raised by {n.RaisedByName})" : "")
                + (n.AnsweredBy.Count > 0 ? $"; answered by {string.Join(", ", n.AnsweredBy)}" : "; nothing in the plan answers it"));
        }

        foreach (var p in q.CommunicationPreferences)
        {
            console.WriteLine($"  prefers {Output.Enum(p.Channel)} for {p.Audience}" + (p.Notes.Length > 0 ? $" ({p.Notes})" : ""));
        }

        Section(console, $"Open commitments ({b.OpenCommitments.Count}, {b.OverdueCommitments} overdue)");
        foreach (var x in b.OpenCommitments)
        {
            console.WriteLine($"  {(x.Overdue ? "OVERDUE " : "")}{x.Title} (due {Output.Day(x.DueDate)}, {x.Owner}, {Output.Enum(x.Status)})");
        }

        Section(console, $"Open feedback ({b.OpenFeedback.Count}, {b.UntoldDeclines} untold decline(s))");
        foreach (var f in b.OpenFeedback)
        {
            console.WriteLine($"  {(f.UntoldDecline ? "UNTOLD DECLINE " : f.Overdue ? "OVERDUE " : "")}{f.Awaiting}: \"{f.Feedback.Comment}\""
                + $" from {(f.FromName.Length > 0 ? f.FromName : "anonymous")}, due {Output.Time(f.DueAt)}" + (f.UntoldDecline ? $" (declined: {f.Feedback.Declined?.Text})" : ""));
        }

        var a = b.PlanAdherence;
        Section(console, $"Plan ({b.PlanItems.Count} item(s); {a.OnTime} on time, {a.Late} late, {a.Missed} missed)");
        foreach (var i in b.PlanItems)
        {
            console.WriteLine($"  {i.What} ({Output.Enum(i.Cadence)} by {Output.Enum(i.Channel)} to {i.Audience}): next due {Output.Day(i.NextDueOn)}{(i.Overdue ? " OVERDUE" : "")}");
        }

        Section(console, "Health signals");
        console.Write(Signals(h.Signals));

        Section(console, "What the business raised");
        foreach (var p in b.RaisedPoints)
        {
            var kind = p.Point.HasKind ? $"[{Output.Enum(p.Point.Kind)}] " : "";
            console.WriteLine($"  {Output.Time(p.HeldAt)} {kind}{p.Point.Text} ({(p.MeetingTopic.Length > 0 ? p.MeetingTopic + ", " : "")}{string.Join(", ", p.Attendees.Select(x => x.Name))})");
        }

        Section(console, "Timeline");
        foreach (var e in b.Timeline)
        {
            console.WriteLine($"  {Output.Time(e.OccurredAt)} {e.Summary} ({e.Actor})");
        }
    }

    private static void Section(IAnsiConsole console, string title)
    {
        console.WriteLine();
        console.Write(new Rule(Markup.Escape(title)).LeftJustified());
    }

    public static Command Health(Io io)
    {
        var health = Command("health", "A relationship's health, signal by signal, now and 30 and 90 days ago", Dept);
        Context.Run(health, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(Dept));
            var response = await c.Reporting.GetRelationshipHealthAsync(new GetRelationshipHealthRequest { RelationshipId = relationship.Id }, cancellationToken: c.Cancellation);
            c.Out.Write(response, console =>
            {
                console.WriteLine($"{relationship.Name} ({relationship.Code}): health {Score(response.HasScore ? response.Score : null)}"
                    + $" (30 days ago {Score(response.HasScore30DaysAgo ? response.Score30DaysAgo : null)}, 90 days ago {Score(response.HasScore90DaysAgo ? response.Score90DaysAgo : null)})");
                console.WriteLine($"The two questions last asked: {Asked(response.TwoQuestionsAskedAt)}");
                console.Write(Signals(response.Signals));
            });
            return 0;
        });
        return health;
    }

    public static Command Portfolio(Io io)
    {
        var manager = Optional("--manager", "Only this BRM's relationships");
        var byName = Flag("--by-name", "Sort by name (default: weakest health first)");
        var by = Optional("--by", $"Sort by health, name, manager or one signal (weakest first): {Values.Names<PortfolioSort>()}");
        var tagged = TagFilter();
        var trend = new Option<int>("--trend")
        {
            Description = "Also health at the end of each of the last N months (1-12, the current one included), per department and for the portfolio",
        };
        var portfolio = Command("portfolio", "Every relationship with its health", manager, byName, by, tagged, trend);
        Context.Run(portfolio, io, async c =>
        {
            var request = new GetPortfolioRequest
            {
                Manager = c.Get(manager) ?? "",
                Sort = c.Get(by) is { } sort ? Values.Enum<PortfolioSort>("by", sort) : c.Get(byName) ? PortfolioSort.Name : PortfolioSort.Health,
                PageSize = 500, Tags = { c.Get(tagged) }, TrendMonths = c.Get(trend),
            };
            var result = new GetPortfolioResponse();
            result.Rows.AddRange(await Context.AllPagesAsync(
                request,
                r => c.Reporting.GetPortfolioAsync(r, cancellationToken: c.Cancellation),
                page =>
                {
                    result.AsOf = page.AsOf;
                    result.Trend.Clear();
                    result.Trend.AddRange(page.Trend); // the whole portfolio's, the same on every page
                    return page.Rows;
                }));

            c.Out.Write(result, console =>
            {
                var table = new Table().AddColumns("Code", "Name", "Manager", "Health", "Untold declines", "Two questions asked", "Weakest signal");
                foreach (var row in result.Rows)
                {
                    var weakest = row.Signals.Where(s => s.HasScore).MinBy(s => s.Score);
                    table.AddRow(Markup.Escape(row.Code), Markup.Escape(row.Name), Markup.Escape(row.Manager), Score(row.HasHealth ? row.Health : null),
                        row.DeclinesNotTold.ToString(System.Globalization.CultureInfo.InvariantCulture), Asked(row.TwoQuestionsAskedAt), Markup.Escape(weakest is null ? "" : $"{weakest.Name}: {weakest.Explanation}"));
                }

                console.Write(table);
                if (result.Trend.Count > 0)
                {
                    RenderTrend(console, result);
                }
            });
            return 0;
        });
        return portfolio;
    }

    /// <summary>
    /// Each department's health month by month, oldest first, then the portfolio's mean: a sparkline and the scores,
    /// one line each, in the table's order.
    /// </summary>
    private static void RenderTrend(IAnsiConsole console, GetPortfolioResponse portfolio)
    {
        const string Mean = "portfolio mean";
        var months = portfolio.Trend;
        var width = portfolio.Rows.Select(r => r.Code.Length).Append(Mean.Length).Max();
        string Line(string label, IReadOnlyList<int?> scores) =>
            $"  {label.PadRight(width)}  {Sparkline(scores)} " + string.Concat(scores.Select(s => $" {(s is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "·"),3}"));

        console.WriteLine();
        console.WriteLine($"Health month by month, {months[0].Year:0000}-{months[0].Month:00} to {months[^1].Year:0000}-{months[^1].Month:00} (oldest first, the current month now; · no score):");
        foreach (var row in portfolio.Rows)
        {
            console.WriteLine(Line(row.Code, [.. row.Trend.Select(m => m.HasScore ? m.Score : (int?)null)]));
        }

        console.WriteLine(Line(Mean, [.. months.Select(m => m.HasScore ? m.Score : (int?)null)]) + $"  ({months[^1].DepartmentsScored} department(s) scored now)");
    }

    private const string Bars = "▁▂▃▄▅▆▇█";

    /// <summary>One character per score on the fixed 0-100 scale (▁ lowest, █ highest), so lines compare with each other; · no score.</summary>
    private static string Sparkline(IEnumerable<int?> scores) =>
        string.Concat(scores.Select(s => s is { } v ? Bars[Math.Clamp(v * Bars.Length / 101, 0, Bars.Length - 1)] : '·'));

    public static Command Timeline(Io io)
    {
        var limit = new Option<int>("--limit") { Description = "At most this many entries (default 50)", DefaultValueFactory = _ => 50 };
        var timeline = Command("timeline", "What happened in a relationship, newest first", Dept, limit);
        Context.Run(timeline, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(Dept));
            var response = await c.Reporting.GetTimelineAsync(new GetTimelineRequest { RelationshipId = relationship.Id, PageSize = Math.Clamp(c.Get(limit), 1, 500) }, cancellationToken: c.Cancellation);
            c.Out.Write(response, console =>
            {
                var table = new Table().AddColumns("When", "What", "Who", "Summary");
                foreach (var e in response.Entries)
                {
                    table.AddRow(Output.Time(e.OccurredAt), Markup.Escape(e.EventType), Markup.Escape(e.Actor), Markup.Escape(e.Summary));
                }

                console.Write(table);
            });
            return 0;
        });
        return timeline;
    }

    public static Command AsOf(Io io)
    {
        var at = Arg("moment", "e.g. 2026-03-01T00:00");
        var asOf = Command("asof", "A relationship as it stood at a past moment, with its open commitments and feedback", Dept, at);
        Context.Run(asOf, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(Dept));
            var response = await c.Reporting.GetRelationshipAsOfAsync(new GetRelationshipAsOfRequest
            {
                RelationshipId = relationship.Id, AsOf = Values.Time("moment", c.Get(at)),
            }, cancellationToken: c.Cancellation);
            c.Out.Write(response, console =>
            {
                DeptCommands.Render(console, response.Relationship);
                console.WriteLine($"open commitments then: {response.OpenCommitments.Count}");
                foreach (var x in response.OpenCommitments)
                {
                    console.WriteLine($"  {x.Title} (due {Output.Day(x.DueDate)}, {x.Owner})");
                }

                console.WriteLine($"open feedback then: {response.OpenFeedback.Count}");
                foreach (var f in response.OpenFeedback)
                {
                    console.WriteLine($"  {Output.Enum(f.Status)}, open {f.LoopOpenDays} days: {f.Comment}");
                }
            });
            return 0;
        });
        return asOf;
    }

    public static Command Feed(Io io)
    {
        var follow = Flag("--follow", "Keep waiting for new events (Ctrl+C stops)");
        var after = new Option<long>("--after") { Description = "Start after this position (default 0: from the start)" };
        var type = Many("--type", "Only this event type, e.g. stakeholder_added; repeatable");
        var feed = Command("feed", "The event feed: one line per event (JSON lines with --json)", follow, after, type);
        Context.Run(feed, io, async c =>
        {
            var request = new StreamEventsRequest { After = c.Get(after), Follow = c.Get(follow) };
            request.EventTypes.AddRange(c.Get(type));
            using var call = c.Reporting.StreamEvents(request, cancellationToken: c.Cancellation);
            try
            {
                await foreach (var item in call.ResponseStream.ReadAllAsync(c.Cancellation))
                {
                    if (item.ItemCase == StreamEventsResponse.ItemOneofCase.Event)
                    {
                        var e = item.Event;
                        c.Out.Write(e, console => console.WriteLine($"{e.Position,8} {Output.Time(e.OccurredAt)} {e.EventType,-36} {e.Actor}"));
                    }
                    else if (item.ItemCase == StreamEventsResponse.ItemOneofCase.CaughtUp && !request.Follow)
                    {
                        break;
                    }
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && c.Cancellation.IsCancellationRequested)
            {
            }

            return 0;
        });
        return feed;
    }

    private static string Score(int? score) => score is { } s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : "n/a";

    private static string Asked(Google.Protobuf.WellKnownTypes.Timestamp? at) => at is null ? "never" : Output.Time(at)[..10];

    private static Table Signals(IEnumerable<HealthSignal> signals)
    {
        var table = new Table().AddColumns("Signal", "Score", "Weight", "Value", "Why");
        foreach (var s in signals)
        {
            table.AddRow(Markup.Escape(s.Name), s.HasScore ? s.Score.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "n/a", $"{s.Weight:0.##}", Markup.Escape(s.Value), Markup.Escape(s.Explanation));
        }

        return table;
    }
}
