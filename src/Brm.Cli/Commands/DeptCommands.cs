using System.CommandLine;
using Brm.V1;
using Spectre.Console;
using static Brm.Cli.Commands.Dsl;

namespace Brm.Cli.Commands;

/// <summary>brm dept add|list|show|rename|assign|archive: business departments (relationships), by code.</summary>
internal static class DeptCommands
{
    public static Command Create(Io io)
    {
        var dept = new Command("dept", "Business departments and their relationship with IT");

        var code = Arg("code", "The department's code, e.g. finance");
        var name = Arg("name", "The display name, e.g. Finance");
        var manager = Optional("--manager", "The BRM who owns the relationship");
        var add = Command("add", "Register a department (admin)", code, name, manager);
        Context.Run(add, io, async c =>
        {
            var response = await c.Relationships.RegisterDepartmentAsync(new RegisterDepartmentRequest
            {
                RequestId = Context.RequestId(), Code = c.Get(code), Name = c.Get(name), Manager = c.Get(manager) ?? "",
            }, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Registered {response.Relationship.Code} ({response.Relationship.Name})."));
            return 0;
        });

        var byManager = Optional("--manager", "Only relationships owned by this BRM");
        var all = Flag("--all", "Include archived relationships");
        var tagged = TagFilter();
        var list = Command("list", "List departments", byManager, all, tagged);
        Context.Run(list, io, async c =>
        {
            var result = new ListRelationshipsResponse { Relationships = { await c.AllRelationshipsAsync(c.Get(byManager) ?? "", c.Get(all), c.Get(tagged)) } };

            c.Out.Write(result, console =>
            {
                var table = new Table().AddColumns("Code", "Name", "Manager", "Exec", "Mgr", "Staff", "Needs", "Maturity (business/IT)");
                foreach (var r in result.Relationships)
                {
                    table.AddRow(Markup.Escape(r.Code) + (r.Archived ? " (archived)" : ""), Markup.Escape(r.Name), Markup.Escape(r.Manager),
                        $"{r.StakeholderCounts?.Executive}", $"{r.StakeholderCounts?.Manager}", $"{r.StakeholderCounts?.Staff}",
                        $"{r.InformationNeedCount}", $"{Level(r.BusinessMaturity)}/{Level(r.ItMaturity)}");
                }

                console.Write(table);
            });
            return 0;
        });

        var which = Department();
        var show = Command("show", "Show a department: stakeholders, needs, preferences, maturity", which);
        Context.Run(show, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(which));
            c.Out.Write(new GetRelationshipResponse { Relationship = relationship }, console => Render(console, relationship));
            return 0;
        });

        var newName = Arg("name", "The new display name");
        var rename = Command("rename", "Give a department a new display name", which, newName);
        Context.Run(rename, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(which));
            var response = await c.Relationships.RenameDepartmentAsync(new RenameDepartmentRequest
            {
                RequestId = Context.RequestId(), RelationshipId = relationship.Id, Name = c.Get(newName),
            }, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"{relationship.Code} is now called {response.Relationship.Name}."));
            return 0;
        });

        var brm = Arg("manager", "The BRM's name (as in their token)");
        var assign = Command("assign", "Make a BRM the owner of a relationship (admin)", which, brm);
        Context.Run(assign, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(which));
            var response = await c.Relationships.AssignManagerAsync(new AssignManagerRequest
            {
                RequestId = Context.RequestId(), RelationshipId = relationship.Id, Manager = c.Get(brm),
            }, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"{response.Relationship.Manager} now manages {relationship.Code}."));
            return 0;
        });

        var reason = Required("--reason", "Why it is archived");
        var archive = Command("archive", "Archive a relationship: it then refuses every change (admin)", which, reason);
        Context.Run(archive, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(which));
            var response = await c.Relationships.ArchiveRelationshipAsync(new ArchiveRelationshipRequest
            {
                RequestId = Context.RequestId(), RelationshipId = relationship.Id, Reason = c.Get(reason),
            }, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Archived {relationship.Code}."));
            return 0;
        });

        foreach (var command in (Command[])[add, list, show, rename, assign, archive])
        {
            dept.Add(command);
        }

        return dept;
    }

    private static string Level(MaturityLevel level) => level == MaturityLevel.Unspecified ? "-" : ((int)level).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One screen on a relationship: a header, then the stakeholders, needs and preferences as a tree.</summary>
    public static void Render(IAnsiConsole console, Relationship r)
    {
        var root = new Tree(Markup.Escape($"{r.Name} ({r.Code})" + (r.Archived ? $" archived: {r.ArchiveReason}" : "")));
        root.AddNode(Markup.Escape($"manager: {(r.Manager.Length > 0 ? r.Manager : "none")}; version {r.Version}"));
        var maturity = $"maturity: business {Describe(r.BusinessMaturity)}, IT {Describe(r.ItMaturity)}" + (r.HasMaturityGap ? $", gap {r.MaturityGap:+0;-0;0}" : "");
        root.AddNode(Markup.Escape(maturity));
        var people = root.AddNode(Markup.Escape($"stakeholders ({r.StakeholderCounts?.Total ?? 0}: {r.StakeholderCounts?.Executive} executive, {r.StakeholderCounts?.Manager} manager, {r.StakeholderCounts?.Staff} staff)"));
        var table = new Table().AddColumns("Name", "Title", "Level", "Email", "Influence", "Interest");
        foreach (var s in r.Stakeholders)
        {
            table.AddRow(Markup.Escape(s.Name), Markup.Escape(s.Title), Output.Enum(s.Level), Markup.Escape(s.Email), Output.Enum(s.Influence), Output.Enum(s.Interest));
        }

        people.AddNode(table);
        var needs = root.AddNode($"information needs ({r.InformationNeeds.Count})");
        foreach (var n in r.InformationNeeds)
        {
            needs.AddNode(Markup.Escape($"[{Output.Enum(n.Priority)}] {n.Description} (id {n.Id})"));
        }

        var preferences = root.AddNode($"communication preferences ({r.CommunicationPreferences.Count})");
        foreach (var p in r.CommunicationPreferences)
        {
            preferences.AddNode(Markup.Escape($"{p.Audience}: {Output.Enum(p.Channel)}" + (p.Notes.Length > 0 ? $" ({p.Notes})" : "")));
        }

        console.Write(root);
    }

    private static string Describe(MaturityAssessment? assessment) =>
        assessment is null ? "not assessed" : $"{(int)assessment.Level} {Output.Enum(assessment.Level)}";
}
