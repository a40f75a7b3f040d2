using Brm.Domain.Outreach;

namespace Brm.Domain.Tests;

/// <summary>The organisation's update template: its versions, and what a template may do when it renders.</summary>
public sealed class UpdateTemplateSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private const string Admin = "admin.jane";

    private static Spec<UpdateTemplate, SetUpdateTemplate> Spec() => new((c, s) => UpdateTemplateDecider.Decide(c, s));

    private static SetUpdateTemplate Set(string source, int? expected = null) => new("Update", source, expected, Admin, Now);

    private static RenderedUpdate Render(string source, UpdateView? view = null, string subject = "Update") =>
        UpdateTemplating.Render(subject, source, view ?? UpdateView.Sample);

    [Fact]
    public void The_first_template_set_is_version_2_the_default_being_1() =>
        Spec().When(Set("Hello", expected: 1)).Then(new UpdateTemplateSet(2, "Update", "Hello", Admin, Now));

    [Fact]
    public void Each_template_set_adds_a_version() =>
        Spec().Given(new UpdateTemplateSet(2, "Update", "Hello", Admin, Now)).When(Set("Hi", expected: 2))
            .Then(new UpdateTemplateSet(3, "Update", "Hi", Admin, Now));

    [Fact]
    public void Setting_the_template_in_force_again_changes_nothing() =>
        Spec().Given(new UpdateTemplateSet(2, "Update", "Hello", Admin, Now)).When(Set("Hello")).ThenNothing();

    [Fact]
    public void Replacing_another_version_than_the_one_in_force_is_a_conflict() =>
        Spec().Given(new UpdateTemplateSet(2, "Update", "Hello", Admin, Now)).When(Set("Hi", expected: 1)).ThenFails(DomainError.VersionConflict);

    [Fact]
    public void The_default_template_parses_and_renders_both_samples() =>
        Assert.Null(UpdateTemplating.Check(DefaultUpdateTemplate.Subject, DefaultUpdateTemplate.Source));

    [Fact]
    public void The_default_template_has_a_section_for_each_kind_of_fact_and_none_when_there_is_nothing()
    {
        var full = Render(DefaultUpdateTemplate.Source, subject: DefaultUpdateTemplate.Subject);
        var empty = Render(DefaultUpdateTemplate.Source, UpdateView.EmptySample);

        Assert.Contains("- Laptop refresh: done 4 days late (it was due 10 October)", full.BodyMarkdown, StringComparison.Ordinal);
        Assert.Contains("- VPN upgrade: now due 20 November (was 30 October). The supplier delivers the hardware late", full.BodyMarkdown, StringComparison.Ordinal);
        Assert.Contains("- Printer move: The floor move was called off", full.BodyMarkdown, StringComparison.Ordinal);
        Assert.Contains("We can't do this: There is no budget for a second laptop per person this financial year", full.BodyMarkdown, StringComparison.Ordinal);
        Assert.Contains("You told us: “Please warn us before outages”. Done: Outage notices a week ahead.", full.BodyMarkdown, StringComparison.Ordinal);
        Assert.Contains("- Month-end report pack, due 15 November", full.BodyMarkdown, StringComparison.Ordinal);
        Assert.Contains("We met twice: Quarterly service review (15 October), coffee chat (21 October).", full.BodyMarkdown, StringComparison.Ordinal);
        Assert.Contains("Outages that hit month-end", full.BodyMarkdown, StringComparison.Ordinal);
        Assert.Equal(8, full.BodyMarkdown.Split('\n').Count(l => l.StartsWith("## ", StringComparison.Ordinal)));
        Assert.DoesNotContain("## ", empty.BodyMarkdown, StringComparison.Ordinal);
        Assert.Contains("quiet period", empty.BodyMarkdown, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n\n", full.BodyMarkdown, StringComparison.Ordinal);
        Assert.Equal("IT update for Finance: 3 October to 2 November 2026", full.Subject);
    }

    [Theory]
    [InlineData("Hello\n{% if %}", 2, 6)]
    [InlineData("Hello\n\n  {{ delivered | }}", 3, 17)]
    [InlineData("{% for c in delivered %}", null, null)]
    public void A_template_that_does_not_parse_names_the_line_and_column(string source, int? line, int? column)
    {
        var problem = UpdateTemplating.Check("Update", source);

        Assert.NotNull(problem);
        Assert.Equal(TemplatePart.Body, problem.Part);
        if (line is not null)
        {
            Assert.Equal((line, column), (problem.Line, problem.Column));
            Assert.StartsWith($"line {line}, column {column}: ", problem.Describe(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_subject_that_does_not_parse_is_a_problem_of_the_subject()
    {
        var problem = UpdateTemplating.Check("Update {{ x | }}", "Hello");

        Assert.Equal((TemplatePart.Subject, 1, 14), (problem?.Part, problem?.Line, problem?.Column));
    }

    [Theory]
    [InlineData("{{ 1 | divided_by: 0 }}")]
    [InlineData("{{ 10 | divided_by: delivered.size }}")] // only the empty sample fails
    [InlineData("{{ department.name | no_such_filter }}")]
    [InlineData("{% include 'other' %}")]
    [InlineData("{% for i in (1..1000000) %}x{% endfor %}")]
    public void A_template_that_fails_when_it_renders_is_a_problem(string source)
    {
        var problem = UpdateTemplating.Check("Update", source);

        Assert.NotNull(problem);
        Assert.Null(problem.Line);
        Assert.Throws<TemplateRenderingException>(() => Render(source, UpdateView.EmptySample));
    }

    [Fact]
    public void A_subject_that_renders_empty_is_a_problem() =>
        Assert.Equal(TemplatePart.Subject, UpdateTemplating.Check("{% if false %}x{% endif %}", "Hello")?.Part);

    [Fact]
    public void Templates_read_the_view_in_snake_case_and_nothing_beyond_it()
    {
        var rendered = Render("{{ next_period.from }}|{{ delivered.first.due_date }}|{{ delivered.first.on_time }}|{{ facts.size }}|{{ facts.first.kind }}{{ facts.first.id }}|{{ period.from.year }}");

        Assert.Equal("2026-11-03|2026-10-20|true|13||\n", rendered.BodyMarkdown);
    }

    [Fact]
    public void Text_from_the_record_is_escaped_in_the_body_and_prints_literally_in_html()
    {
        var view = UpdateView.Sample with
        {
            Delivered = [UpdateView.Sample.Delivered[0] with { Title = "*x* <script>alert(1)</script> [link](http://x) & `code`" }],
            Department = new DepartmentView("# R&D", "rd"),
        };

        var rendered = Render("{% for c in delivered %}- {{ c.title }}\n{% endfor %}\n{{ department.name }}", view, subject: "For {{ department.name }}: {{ delivered.first.title }}");
        var html = MailMarkdown.ToHtml(rendered.BodyMarkdown);

        Assert.Contains(@"- \*x\* \<script\>alert(1)\</script\> \[link\](http://x) \& \`code\`", rendered.BodyMarkdown, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<em>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<a ", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<h1", html, StringComparison.Ordinal);
        Assert.Contains("*x* &lt;script&gt;alert(1)&lt;/script&gt; [link](http://x) &amp; `code`", html, StringComparison.Ordinal);
        Assert.Contains("# R&amp;D", html, StringComparison.Ordinal);
        Assert.Equal("For # R&D: *x* <script>alert(1)</script> [link](http://x) & `code`", rendered.Subject); // a subject is plain text
    }

    [Theory]
    [InlineData("plain words", "plain words")]
    [InlineData("1. first", @"1\. first")]
    [InlineData("2026) year", @"2026\) year")]
    [InlineData("- dash", @"\- dash")]
    [InlineData("> quote", @"\> quote")]
    [InlineData("a - b + c = d", "a - b + c = d")]
    [InlineData("two\nlines\r\n\r\n# heading", @"two lines \# heading")]
    [InlineData("back\\slash_and|pipe~", @"back\\slash\_and\|pipe\~")]
    public void Markdown_escaping_keeps_text_on_one_line_and_literal(string text, string escaped)
    {
        Assert.Equal(escaped, MarkdownText.Escape(text));
        Assert.Equal($"<p>{System.Net.WebUtility.HtmlEncode(string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))}</p>",
            System.Text.RegularExpressions.Regex.Replace(MailMarkdown.ToHtml("x " + escaped), "^<div[^>]*>\n<p[^>]*>x |\n</div>\n$", "").Insert(0, "<p>"));
    }

    [Fact]
    public void A_subject_is_one_line_cut_to_the_limit()
    {
        var rendered = Render("body", subject: "Line one\n  line two {% for i in (1..100) %}abcdefghij{% endfor %}");

        Assert.StartsWith("Line one line two abcdefghij", rendered.Subject, StringComparison.Ordinal);
        Assert.Equal(OutreachLimits.MaxSubjectLength, rendered.Subject.Length);
    }
}
