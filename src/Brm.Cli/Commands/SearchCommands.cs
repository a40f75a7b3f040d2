using System.CommandLine;
using System.Net;
using System.Text.RegularExpressions;
using Brm.V1;
using Spectre.Console;
using static Brm.Cli.Commands.Dsl;

namespace Brm.Cli.Commands;

/// <summary>brm search QUERY [--dept CODE...] [--kind K...] [--since --until]: what the business said, found.</summary>
internal static partial class SearchCommands
{
    public static Command Create(Io io)
    {
        var query = new Argument<string>("query")
        {
            Description = "Words (all must match), \"a phrase\", -excluded, or, prefix*; none with --tag: everything tagged, newest first",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => "",
        };
        var dept = Many("--dept", "Only this department (code); repeatable");
        var kind = Many("--kind", $"Only this kind: {Values.Names<SearchKind>()}; repeatable");
        var since = Optional("--since", "Said or written on or after this day, yyyy-MM-dd");
        var until = Optional("--until", "Said or written on or before this day, yyyy-MM-dd");
        var tag = Many("--tag", "Only hits whose item or department carries this tag; repeatable (every one)");
        var limit = new Option<int>("--limit") { Description = "At most this many hits (default 20)", DefaultValueFactory = _ => 20 };
        var search = Command("search", "Search what the business said and IT promised: conversations, meetings, commitments, feedback, needs, plans",
            query, dept, kind, since, until, tag, limit);
        Context.Run(search, io, async c =>
        {
            var request = new SearchRequest
            {
                Query = c.Get(query),
                Kinds = { c.Get(kind).Select(k => Values.Enum<SearchKind>("kind", k)) },
                From = c.Get(since) is { } from ? Values.Day("since", from) : null,
                To = c.Get(until) is { } to ? Values.Day("until", to) : null,
                PageSize = Math.Clamp(c.Get(limit), 1, 500),
                Tags = { c.Get(tag) },
            };
            foreach (var code in c.Get(dept))
            {
                request.RelationshipIds.Add((await c.DepartmentAsync(code)).Id);
            }

            var response = await c.Search.SearchAsync(request, cancellationToken: c.Cancellation);
            c.Out.Write(response, console =>
            {
                console.WriteLine(response.Hits.Count == 0 ? "No hits." : $"{response.Hits.Count} hits, most relevant first:");
                foreach (var hit in response.Hits)
                {
                    console.Write(new Markup($"[bold]{Markup.Escape(hit.Department)}[/] {Output.Enum(hit.Kind)} {Output.Time(hit.At)} "
                        + $"[dim]{hit.SubjectId}[/]\n  {Highlighted(hit.SnippetHtml)}\n"));
                }
            });
            return 0;
        });
        return search;
    }

    /// <summary>The snippet for the terminal: the marked words bold, everything else as plain text.</summary>
    private static string Highlighted(string snippetHtml) =>
        string.Concat(Marks().Split(snippetHtml).Select((part, i) =>
            i % 2 == 1 ? $"[bold yellow]{Markup.Escape(WebUtility.HtmlDecode(part))}[/]" : Markup.Escape(WebUtility.HtmlDecode(part))));

    [GeneratedRegex("<mark>(.*?)</mark>")]
    private static partial Regex Marks();
}
