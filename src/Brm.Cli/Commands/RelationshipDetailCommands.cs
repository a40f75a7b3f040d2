using System.CommandLine;
using Brm.V1;
using static Brm.Cli.Commands.Dsl;

namespace Brm.Cli.Commands;

/// <summary>brm need add|retire|review, brm pref set, brm maturity assess: what a department needs, how, and how mature it is.</summary>
internal static class RelationshipDetailCommands
{
    private static readonly Argument<string> Dept = Department();

    public static Command Need(Io io)
    {
        var description = Arg("description", "What the department needs to hear from IT");
        var priority = Optional("--priority", "low, medium or high (default medium)");
        var raisedBy = Optional("--raised-by", "The stakeholder who raised it (email, name or id)");
        var add = Command("add", "Record an information need", Dept, description, priority, raisedBy);
        Context.Run(add, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(Dept));
            var response = await c.Relationships.RecordInformationNeedAsync(new RecordInformationNeedRequest
            {
                RequestId = Context.RequestId(), RelationshipId = relationship.Id, Description = c.Get(description),
                Priority = Values.Enum<Priority>("priority", c.Get(priority) ?? "medium"),
                RaisedByStakeholderId = c.Get(raisedBy) is { } who ? Context.Stakeholder(relationship, who).Id : "",
            }, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Recorded need {response.InformationNeedId} for {relationship.Code}."));
            return 0;
        });

        var need = Arg("need", "The information need's id (or its exact description)");
        var reason = Required("--reason", "Why it no longer applies");
        var retire = Command("retire", "Retire an information need", Dept, need, reason);
        Context.Run(retire, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(Dept));
            var id = Context.NeedId(relationship, c.Get(need));
            var response = await c.Relationships.RetireInformationNeedAsync(new RetireInformationNeedRequest
            {
                RequestId = Context.RequestId(), RelationshipId = relationship.Id, InformationNeedId = id, Reason = c.Get(reason),
            }, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Retired need {id} of {relationship.Code}."));
            return 0;
        });

        var review = Command("review", "Record that the department was asked the two questions again and confirmed its needs and preferences", Dept);
        Context.Run(review, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(Dept));
            var response = await c.Relationships.ReviewNeedsAndPreferencesAsync(new ReviewNeedsAndPreferencesRequest
            {
                RequestId = Context.RequestId(), RelationshipId = relationship.Id,
            }, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line(
                $"{relationship.Code} confirmed its needs and preferences on {Output.Time(response.Relationship.TwoQuestionsAskedAt)}."));
            return 0;
        });

        var group = new Command("need", "What a department needs to hear from IT");
        group.Add(add);
        group.Add(retire);
        group.Add(review);
        return group;
    }

    public static Command Pref(Io io)
    {
        var channel = Arg("channel", $"One of {Values.Names<Channel>()}");
        var audience = Required("--audience", "Who in the department, e.g. \"all staff\"");
        var notes = Optional("--notes", "Anything worth knowing");
        var set = Command("set", "Record how a part of the department wants to hear from IT", Dept, channel, audience, notes);
        Context.Run(set, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(Dept));
            var response = await c.Relationships.RecordCommunicationPreferenceAsync(new RecordCommunicationPreferenceRequest
            {
                RequestId = Context.RequestId(), RelationshipId = relationship.Id, Channel = Values.Enum<Channel>("channel", c.Get(channel)),
                Audience = c.Get(audience), Notes = c.Get(notes) ?? "",
            }, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"{c.Get(audience)} of {relationship.Code} prefer {c.Get(channel)}."));
            return 0;
        });

        var group = new Command("pref", "How a department wants to hear from IT");
        group.Add(set);
        return group;
    }

    public static Command Maturity(Io io)
    {
        var side = Required("--side", "business or it");
        var level = Arg("level", "1-5 or ad-hoc, order-taker, service-provider, trusted-advisor, strategic-partner");
        var evidence = Required("--evidence", "What the level is based on");
        var assess = Command("assess", "Record how mature the relationship is, as one side sees it", Dept, level, side, evidence);
        Context.Run(assess, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(Dept));
            var text = c.Get(level);
            var parsed = int.TryParse(text, out var number) && number is >= 1 and <= 5 ? (MaturityLevel)number : Values.Enum<MaturityLevel>("level", text);
            var response = await c.Relationships.AssessMaturityAsync(new AssessMaturityRequest
            {
                RequestId = Context.RequestId(), RelationshipId = relationship.Id, Side = Values.Enum<MaturitySide>("side", c.Get(side)),
                Level = parsed, Evidence = c.Get(evidence),
            }, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"{relationship.Code}: {c.Get(side)} sees level {(int)parsed} ({Output.Enum(parsed)})."));
            return 0;
        });

        var group = new Command("maturity", "How mature a relationship is");
        group.Add(assess);
        return group;
    }
}
