using System.CommandLine;
using Brm.V1;
using static Brm.Cli.Commands.Dsl;

namespace Brm.Cli.Commands;

/// <summary>brm stakeholder add|update|remove|erase: a department's people, named by name or email.</summary>
internal static class StakeholderCommands
{
    public static Command Create(Io io)
    {
        var group = new Command("stakeholder", "A department's people, at every level");
        var dept = Arg("department", "The department's code (or id)");
        var who = Arg("stakeholder", "The stakeholder's email, name or id");

        var name = Arg("name", "Their name");
        var title = Required("--title", "Role or job title, e.g. \"Head of Accounts Payable\"");
        var level = Required("--level", "executive, manager or staff");
        var email = Optional("--email", "Their email address");
        var influence = Optional("--influence", "low, medium or high (default medium)");
        var interest = Optional("--interest", "low, medium or high (default medium)");
        var add = Command("add", "Add a person to a department", dept, name, title, level, email, influence, interest);
        Context.Run(add, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(dept));
            var response = await c.Relationships.AddStakeholderAsync(new AddStakeholderRequest
            {
                RequestId = Context.RequestId(), RelationshipId = relationship.Id, Name = c.Get(name), Title = c.Get(title),
                Level = Values.Enum<StakeholderLevel>("level", c.Get(level)), Email = c.Get(email) ?? "",
                Influence = Values.Enum<Degree>("influence", c.Get(influence) ?? "medium"),
                Interest = Values.Enum<Degree>("interest", c.Get(interest) ?? "medium"),
            }, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Added {c.Get(name)} to {relationship.Code} (id {response.StakeholderId})."));
            return 0;
        });

        var newName = Optional("--name", "A new name");
        var newTitle = Optional("--title", "A new title");
        var newLevel = Optional("--level", "executive, manager or staff");
        var newEmail = Optional("--email", "A new email (\"\" clears it)");
        var update = Command("update", "Change a stakeholder's details (only those given)", dept, who, newName, newTitle, newLevel, newEmail, influence, interest);
        Context.Run(update, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(dept));
            var stakeholder = Context.Stakeholder(relationship, c.Get(who));
            var request = new UpdateStakeholderRequest { RequestId = Context.RequestId(), RelationshipId = relationship.Id, StakeholderId = stakeholder.Id };
            if (c.Get(newName) is { } n) { request.Name = n; }
            if (c.Get(newTitle) is { } t) { request.Title = t; }
            if (c.Get(newLevel) is { } l) { request.Level = Values.Enum<StakeholderLevel>("level", l); }
            if (c.Get(newEmail) is { } e) { request.Email = e; }
            if (c.Get(influence) is { } i) { request.Influence = Values.Enum<Degree>("influence", i); }
            if (c.Get(interest) is { } x) { request.Interest = Values.Enum<Degree>("interest", x); }
            var response = await c.Relationships.UpdateStakeholderAsync(request, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Updated {stakeholder.Name} in {relationship.Code}."));
            return 0;
        });

        var reason = Optional("--reason", "Why, e.g. \"left the company\"");
        var remove = Command("remove", "Remove a stakeholder (their history stays)", dept, who, reason);
        Context.Run(remove, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(dept));
            var stakeholder = Context.Stakeholder(relationship, c.Get(who));
            var response = await c.Relationships.RemoveStakeholderAsync(new RemoveStakeholderRequest
            {
                RequestId = Context.RequestId(), RelationshipId = relationship.Id, StakeholderId = stakeholder.Id, Reason = c.Get(reason) ?? "",
            }, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Removed {stakeholder.Name} from {relationship.Code}."));
            return 0;
        });

        var erase = Command("erase", "Erase a stakeholder's personal data for good (admin; a removed one by id)", dept, who);
        Context.Run(erase, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(dept));
            var id = Guid.TryParse(c.Get(who), out _) ? c.Get(who) : Context.Stakeholder(relationship, c.Get(who)).Id;
            var response = await c.Relationships.EraseStakeholderPersonalDataAsync(new EraseStakeholderPersonalDataRequest
            {
                RequestId = Context.RequestId(), RelationshipId = relationship.Id, StakeholderId = id,
            }, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Erased the personal data of stakeholder {id} in {relationship.Code}."));
            return 0;
        });

        foreach (var command in (Command[])[add, update, remove, erase])
        {
            group.Add(command);
        }

        return group;
    }
}
