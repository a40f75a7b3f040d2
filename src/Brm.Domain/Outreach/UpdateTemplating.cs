using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Fluid;

namespace Brm.Domain.Outreach;

/// <summary>A part of a template that does not parse or render: which (subject or body), where, and why.</summary>
public sealed record TemplateProblem(TemplatePart Part, int? Line, int? Column, string Reason)
{
    /// <summary>"line 2, column 6: Invalid 'if' tag", or the reason alone when it has no position.</summary>
    public string Describe() => Line is { } line && Column is { } column ? $"line {line}, column {column}: {Reason}" : Reason;
}

public enum TemplatePart
{
    Subject,
    Body,
}

/// <summary>An update as a template rendered it: the subject line and the Markdown body.</summary>
public sealed record RenderedUpdate(string Subject, string BodyMarkdown);

/// <summary>
/// Update templates with Fluid (Liquid): parsing, checking and rendering against an <see cref="UpdateView"/>.
/// <list type="bullet">
/// <item>Templates read the members of <see cref="UpdateView.Types"/> and nothing else (not even another public
/// member reachable from them), in snake_case (<c>c.due_date</c>); unknown filters are errors; loops, output and
/// recursion are bounded.</item>
/// <item>Escaping: the body is Markdown that becomes HTML through <see cref="MailMarkdown"/>, which escapes raw HTML.
/// So that text from the record prints literally (a commitment titled <c>*x* &lt;script&gt;</c> stays that, not
/// emphasis or markup), the body's template gets every text of the view already escaped for Markdown
/// (<see cref="MarkdownText.Escape"/>): nothing for the template's author to remember, and no filter can forget it.
/// The subject is one line of plain text (a mail header, not Markdown), so its template gets the texts as they are.
/// </item>
/// </list>
/// </summary>
public static class UpdateTemplating
{
    /// <summary>The most steps (statements, loop iterations) one rendering may take.</summary>
    public const int MaxSteps = 200_000;

    private static readonly FluidParser Parser = new();

    private static readonly TemplateOptions Options = new TemplateOptionsBuilder()
        .WithMemberAccessStrategy(() => new OnlyTheseTypes(UpdateView.Types))
        .WithModelNamesComparer(SnakeCaseNames.Instance)
        .WithStrictFilters()
        .WithMaxSteps(MaxSteps)
        .WithMaxRecursion(20)
        .WithMaxCollectionSize(10_000)
        .WithMaxOutputSize(OutreachLimits.MaxBodyLength * 2)
        .WithCultureInfo(CultureInfo.InvariantCulture)
        .Build();

    private static readonly Regex BlankLines = new(@"\n[ \t]*\n(?:[ \t]*\n)+", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static readonly Regex Position = new(@"\s+at \((\d+):(\d+)\)", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>What is wrong with a template (subject and body): null when both parse and render the samples.</summary>
    public static TemplateProblem? Check(string subject, string source) =>
        Check(TemplatePart.Subject, subject) ?? Check(TemplatePart.Body, source);

    /// <summary>Renders the update; a template that fails is a <see cref="TemplateRenderingException"/>.</summary>
    public static RenderedUpdate Render(string subject, string source, UpdateView view) =>
        new(Subject(Render(Parse(TemplatePart.Subject, subject), view, TemplatePart.Subject)),
            Body(Render(Parse(TemplatePart.Body, source), view.MapTexts(MarkdownText.Escape), TemplatePart.Body)));

    private static TemplateProblem? Check(TemplatePart part, string text)
    {
        try
        {
            var template = Parse(part, text);
            foreach (var sample in new[] { UpdateView.Sample, UpdateView.EmptySample })
            {
                var output = Render(template, part == TemplatePart.Body ? sample.MapTexts(MarkdownText.Escape) : sample, part);
                if (part == TemplatePart.Subject && Subject(output).Length == 0)
                {
                    return new TemplateProblem(part, null, null, "the subject renders empty");
                }
            }

            return null;
        }
        catch (TemplateRenderingException e)
        {
            return e.Problem;
        }
    }

    private static IFluidTemplate Parse(TemplatePart part, string text)
    {
        if (Parser.TryParse(text, out var template, out var error))
        {
            return template;
        }

        // Fluid's message: "Invalid 'if' tag at (2:6)", then the source line; the position is 1-based.
        var reason = error.Split('\n')[0].Trim();
        var match = Position.Match(reason);
        return match.Success
            ? throw new TemplateRenderingException(new TemplateProblem(part,
                int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
                reason[..match.Index].Trim()))
            : throw new TemplateRenderingException(new TemplateProblem(part, null, null, reason));
    }

    private static string Render(IFluidTemplate template, UpdateView view, TemplatePart part)
    {
        try
        {
            return template.Render(new TemplateContext(view, Options));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new TemplateRenderingException(new TemplateProblem(part, null, null, $"does not render: {e.Message}"));
        }
    }

    /// <summary>A body without the blank lines a template's tags leave: at most one empty line in a row, none at either end.</summary>
    private static string Body(string rendered) => BlankLines.Replace(rendered.Replace("\r\n", "\n", StringComparison.Ordinal), "\n\n").Trim('\n') + "\n";

    /// <summary>A subject is one line: its whitespace (line breaks included) collapsed, cut to the limit.</summary>
    private static string Subject(string rendered)
    {
        var line = string.Join(' ', rendered.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= OutreachLimits.MaxSubjectLength ? line : line[..OutreachLimits.MaxSubjectLength].TrimEnd();
    }

    /// <summary>Lets templates read the members of the given types, and of no other type.</summary>
    private sealed class OnlyTheseTypes(IEnumerable<Type> types) : MemberAccessStrategy
    {
        private readonly HashSet<Type> _types = [.. types];
        private readonly DefaultMemberAccessStrategy _members = new();

        public override MemberAccessor? GetAccessor(Type type, string name, StringComparer comparer) =>
            _types.Contains(type) ? _members.GetAccessor(type, name, comparer) : null;

        public override void Register(Type type, string name, MemberAccessor getter) =>
            throw new NotSupportedException("update templates read the view's members only");
    }

    /// <summary>Member names as Liquid writes them: <c>due_date</c> names <c>DueDate</c> (underscores and case are ignored).</summary>
    private sealed class SnakeCaseNames : StringComparer
    {
        public static readonly SnakeCaseNames Instance = new();

        public override int Compare(string? x, string? y) => string.CompareOrdinal(Key(x), Key(y));

        public override bool Equals(string? x, string? y) => string.Equals(Key(x), Key(y), StringComparison.Ordinal);

        public override int GetHashCode(string obj) => StringComparer.Ordinal.GetHashCode(Key(obj)!);

        private static string? Key(string? name) => name?.Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();
    }
}

/// <summary>A template that does not parse or does not render: its problem says where and why.</summary>
public sealed class TemplateRenderingException(TemplateProblem problem) : Exception(problem.Describe())
{
    public TemplateProblem Problem { get; } = problem;
}

/// <summary>Text from the record made safe to insert into Markdown: it prints as it is, never as Markdown.</summary>
public static class MarkdownText
{
    // Every character that can start or close Markdown inline syntax (CommonMark lets a backslash escape any ASCII
    // punctuation), and the block markers that count only at the start of a line.
    private const string Inline = "\\`*_[]<>&|~#";
    private const string LineStart = "-+=>";

    /// <summary>
    /// One line (line breaks and runs of whitespace become one space, so that text cannot start a block of its
    /// own), with every Markdown character escaped.
    /// </summary>
    public static string Escape(string text)
    {
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var digits = line.TakeWhile(char.IsAsciiDigit).Count();
        var escaped = new StringBuilder(line.Length + 8);
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            var ordered = c is '.' or ')' && i == digits && digits > 0; // "1. " would start a list
            if (Inline.Contains(c, StringComparison.Ordinal) || (i == 0 && LineStart.Contains(c, StringComparison.Ordinal)) || ordered)
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
