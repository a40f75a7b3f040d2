using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Brm.Domain.Outreach;

/// <summary>
/// Markdown as mail clients show it: CommonMark (with pipe tables and autolinks) rendered to HTML whose raw HTML is
/// escaped, never passed through (so nothing from the record or the BRM becomes markup or a script), with inline
/// styles on the elements (mail clients drop style sheets), wrapped in one styled block.
/// </summary>
public static class MailMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseAutoLinks()
        .DisableHtml()
        .Build();

    private static readonly Dictionary<Type, string> Styles = new()
    {
        [typeof(HeadingBlock)] = "font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#1f2937;margin:20px 0 8px",
        [typeof(ParagraphBlock)] = "margin:0 0 12px;line-height:1.5",
        [typeof(ListBlock)] = "margin:0 0 12px;padding-left:22px;line-height:1.5",
        [typeof(QuoteBlock)] = "margin:0 0 12px;padding:4px 12px;border-left:3px solid #d1d5db;color:#4b5563",
        [typeof(LinkInline)] = "color:#1d4ed8",
    };

    public static string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var node in document.Descendants())
        {
            if (Styles.TryGetValue(node.GetType(), out var style))
            {
                node.GetAttributes().AddProperty("style", style);
            }
        }

        var body = document.ToHtml(Pipeline);
        return "<div style=\"font-family:Segoe UI,Helvetica,Arial,sans-serif;font-size:15px;color:#111827;max-width:680px\">\n"
            + body + "</div>\n";
    }
}
