using Brm.Web.Shared;
using Grpc.Core;
using Microsoft.AspNetCore.Components;

namespace Brm.Web.Tests;

/// <summary>The error summary and the field messages, rendered by bUnit: what is announced, and where.</summary>
public sealed class ErrorDisplayTests : BunitContext
{
    private static readonly Problem BadReason = Problem.From(ProblemTests.Refusal(
        StatusCode.InvalidArgument, "the request is not valid", ("reason", "Give a reason of at least 15 characters.")));

    [Fact]
    public void Nothing_is_shown_when_nothing_was_refused()
    {
        Assert.Empty(Render<ErrorSummary>().Markup.Trim());
        Assert.Empty(Render<FieldError>(p => p.Add(c => c.Field, "reason")).Markup.Trim());
    }

    [Fact]
    public void A_refusal_is_announced_as_an_alert_with_each_fields_message()
    {
        var summary = Render<ErrorSummary>(p => p.Add(c => c.Problem, BadReason));

        var alert = summary.Find("div.problem");
        Assert.Equal("alert", alert.GetAttribute("role"));
        Assert.Equal("the request is not valid", alert.QuerySelector("strong")!.TextContent);
        Assert.Equal(["Give a reason of at least 15 characters."], summary.FindAll("li").Select(li => li.TextContent));
        Assert.Empty(summary.FindAll("button"));
    }

    [Fact]
    public void The_fields_message_is_shown_beside_its_field_and_no_other()
    {
        Assert.Equal("Give a reason of at least 15 characters.", Render<FieldError>(p => p.Add(c => c.Problem, BadReason).Add(c => c.Field, "reason")).Find("p.field-error").TextContent);
        Assert.Empty(Render<FieldError>(p => p.Add(c => c.Problem, BadReason).Add(c => c.Field, "response")).Markup.Trim());
    }

    [Fact]
    public void Someone_elses_change_offers_a_reload_that_reloads()
    {
        var reloads = 0;
        var summary = Render<ErrorSummary>(p => p
            .Add(c => c.Problem, Problem.From(ProblemTests.Refusal(StatusCode.Aborted, "expected version 3, found 4")))
            .Add(c => c.Reload, EventCallback.Factory.Create(this, () => reloads++)));

        summary.Find("button").Click();

        Assert.Equal(1, reloads);
    }

    [Fact]
    public void An_expired_sign_in_links_to_signing_in_again()
    {
        var summary = Render<ErrorSummary>(p => p.Add(c => c.Problem, Problem.From(ProblemTests.Refusal(StatusCode.Unauthenticated, "token expired"))));

        Assert.Equal("sign-in", summary.Find("a").GetAttribute("href"));
        Assert.Empty(summary.FindAll("button"));
    }
}
