using System.CommandLine;
using System.Globalization;
using Brm.V1;
using Spectre.Console;
using static Brm.Cli.Commands.Dsl;

namespace Brm.Cli.Commands;

/// <summary>brm plan add|change|retire|record|show, and brm agenda: a department's communication plan, kept to.</summary>
internal static class PlanCommands
{
    private static readonly Argument<string> Dept = Department();
    private static readonly Argument<string> Item = Arg("item", "The plan item's id (or its exact `what`)");

    public static Command Create(Io io)
    {
        var group = new Command("plan", "Communication plans: what goes to whom, how and how often, and whether it went");
        var what = Arg("what", "What is sent, e.g. \"Monthly service report\"");
        var channel = Required("--channel", Values.Names<Channel>());
        var audience = Required("--audience", "Who it goes to, e.g. \"finance leadership\"");
        var cadence = Required("--cadence", Values.Names<Cadence>());
        var owner = Optional("--owner", "Who sends it (default: you)");
        var need = Optional("--need", "The information need it answers (id or exact description)");
        var starts = Optional("--starts", "Its first period starts on this day, yyyy-MM-dd (default today)");
        var add = Command("add", "Add a plan item", Dept, what, channel, audience, cadence, owner, need, starts);
        Context.Run(add, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(Dept));
            var response = await c.Plans.AddPlanItemAsync(new AddPlanItemRequest
            {
                RequestId = Context.RequestId(), RelationshipId = relationship.Id,
                StartsOn = Values.Day("starts", c.Get(starts) ?? DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                Item = new PlanItemDetails
                {
                    What = c.Get(what), Channel = Values.Enum<Channel>("channel", c.Get(channel)), Audience = c.Get(audience),
                    Cadence = Values.Enum<Cadence>("cadence", c.Get(cadence)), Owner = c.Get(owner) ?? c.Me,
                    InformationNeedId = c.Get(need) is { } n ? Context.NeedId(relationship, n) : "",
                },
            }, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ =>
            {
                c.Out.Line($"Added plan item {response.PlanItemId} to {relationship.Code}'s plan.");
                Warn(c, response.Warnings);
            });
            return 0;
        });

        var newWhat = Optional("--what", "What is sent");
        var newChannel = Optional("--channel", Values.Names<Channel>());
        var newAudience = Optional("--audience", "Who it goes to");
        var newCadence = Optional("--cadence", Values.Names<Cadence>());
        var change = Command("change", "Change a plan item (only the values given)", Dept, Item, newWhat, newChannel, newAudience, newCadence, owner, need);
        Context.Run(change, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(Dept));
            var item = await c.PlanItemAsync(relationship.Id, c.Get(Item));
            var details = new PlanItemDetails
            {
                What = c.Get(newWhat) ?? item.What, Audience = c.Get(newAudience) ?? item.Audience, Owner = c.Get(owner) ?? item.Owner,
                Channel = c.Get(newChannel) is { } ch ? Values.Enum<Channel>("channel", ch) : item.Channel,
                Cadence = c.Get(newCadence) is { } cad ? Values.Enum<Cadence>("cadence", cad) : item.Cadence,
                InformationNeedId = c.Get(need) is { } n ? Context.NeedId(relationship, n) : item.InformationNeedId,
            };
            var response = await c.Plans.ChangePlanItemAsync(new ChangePlanItemRequest
            {
                RequestId = Context.RequestId(), RelationshipId = relationship.Id, PlanItemId = item.Id, Item = details,
            }, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ =>
            {
                c.Out.Line($"Changed plan item {item.Id} of {relationship.Code}.");
                Warn(c, response.Warnings);
            });
            return 0;
        });

        var reason = Required("--reason", "Why it is retired");
        var retire = Command("retire", "Retire a plan item: it stops falling due", Dept, Item, reason);
        Context.Run(retire, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(Dept));
            var item = await c.PlanItemAsync(relationship.Id, c.Get(Item));
            var response = await c.Plans.RetirePlanItemAsync(new RetirePlanItemRequest
            {
                RequestId = Context.RequestId(), RelationshipId = relationship.Id, PlanItemId = item.Id, Reason = c.Get(reason),
            }, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Retired plan item {item.Id} of {relationship.Code}."));
            return 0;
        });

        var forItem = Optional("--item", "The plan item it was for (id or exact `what`); none: an ad-hoc update");
        var summary = Required("--summary", "What was communicated");
        var link = Optional("--link", "Where it can be read");
        var at = Optional("--at", "When it went out (default now)");
        var record = Command("record", "Record that a communication went out", Dept, forItem, channel, summary, link, at);
        Context.Run(record, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(Dept));
            var request = new RecordCommunicationRequest
            {
                RequestId = Context.RequestId(), RelationshipId = relationship.Id, Channel = Values.Enum<Channel>("channel", c.Get(channel)),
                Summary = c.Get(summary), Link = c.Get(link) ?? "", DeliveredAt = c.Get(at) is { } when ? Values.Time("at", when) : null,
            };
            if (c.Get(forItem) is { } key)
            {
                request.PlanItemId = (await c.PlanItemAsync(relationship.Id, key)).Id;
            }

            var response = await c.Plans.RecordCommunicationAsync(request, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Recorded communication {response.CommunicationId} to {relationship.Code}."));
            return 0;
        });

        var show = Command("show", "Show a plan: items, when each is next due, adherence, recent communications", Dept);
        Context.Run(show, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(Dept));
            var plan = await c.PlanAsync(relationship.Id);
            c.Out.Write(new GetPlanResponse { Plan = plan }, console => Render(console, relationship, plan));
            return 0;
        });

        foreach (var command in (Command[])[add, change, retire, record, show])
        {
            group.Add(command);
        }

        return group;
    }

    public static Command Agenda(Io io)
    {
        var manager = Optional("--manager", "Whose agenda (default: you)");
        var days = new Option<int>("--days") { Description = "What falls due within this many days, and everything overdue (default 7)", DefaultValueFactory = _ => 7 };
        var agenda = Command("agenda", "Everything due or overdue across your relationships: communications, commitments, people, meetings", manager, days);
        Context.Run(agenda, io, async c =>
        {
            var response = await c.Plans.GetAgendaAsync(new GetAgendaRequest { Manager = c.Get(manager) ?? c.Me, HorizonDays = c.Get(days) }, cancellationToken: c.Cancellation);
            c.Out.Write(response, console =>
            {
                var overdue = response.Entries.Count(e => e.Overdue);
                console.WriteLine($"Agenda of {response.Load?.Manager ?? c.Get(manager) ?? c.Me}: {response.Entries.Count} entries, {overdue} overdue, "
                    + $"next {response.HorizonDays} days" + (response.Load is { } load ? $"; planned load {load.PerMonth:0.#}/month (threshold {load.Threshold})" : ""));
                var table = new Table().AddColumns("Due", "", "Kind", "Department", "What");
                foreach (var e in response.Entries)
                {
                    table.AddRow(e.DueOn is { } day ? Output.Day(day) : Output.Time(e.DueAt), e.Overdue ? "OVERDUE" : "", Output.Enum(e.Kind),
                        Markup.Escape(e.Department), Markup.Escape(e.What));
                }

                console.Write(table);
            });
            return 0;
        });
        return agenda;
    }

    private static void Warn(Context c, PlanWarnings? warnings)
    {
        foreach (var message in warnings?.Messages ?? [])
        {
            c.Out.Line($"warning: {message}");
        }
    }

    private static void Render(IAnsiConsole console, Relationship relationship, CommunicationPlan plan)
    {
        var root = new Tree(Markup.Escape($"Communication plan of {relationship.Name} ({relationship.Code}): on time {Share(plan.Adherence)}"
            + (plan.Load is { } load ? $"; {load.Manager}'s load {load.PerMonth:0.#}/month" + (load.OverThreshold ? " (over the threshold)" : "") : "")));
        var table = new Table().AddColumns("What", "Channel", "Audience", "Cadence", "Owner", "Next due", "Last sent", "On time", "Id");
        foreach (var i in plan.Items)
        {
            table.AddRow(Markup.Escape(i.What) + (i.Retired ? " (retired)" : ""), Output.Enum(i.Channel), Markup.Escape(i.Audience), Output.Enum(i.Cadence),
                Markup.Escape(i.Owner), Output.Day(i.NextDueOn) + (i.Overdue ? " OVERDUE" : ""), Output.Time(i.LastDeliveredAt), Share(i.Adherence), i.Id);
        }

        root.AddNode(table);
        var recent = root.AddNode($"recent communications ({plan.RecentCommunications.Count})");
        foreach (var x in plan.RecentCommunications.Take(10))
        {
            recent.AddNode(Markup.Escape($"{Output.Time(x.DeliveredAt)} {Output.Enum(x.Channel)} by {x.DeliveredBy}: {x.Summary}"));
        }

        console.Write(root);
    }

    private static string Share(Adherence? adherence) =>
        adherence is { HasOnTimeShare: true } a ? $"{a.OnTimeShare.ToString("P0", CultureInfo.InvariantCulture)} ({a.OnTime}/{a.OnTime + a.Late + a.Missed})" : "n/a";
}
