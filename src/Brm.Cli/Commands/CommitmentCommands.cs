using System.CommandLine;
using Brm.V1;
using Spectre.Console;
using static Brm.Cli.Commands.Dsl;

namespace Brm.Cli.Commands;

/// <summary>brm commit make|start|renegotiate|deliver|cancel|informed|list|show: IT's promises to a department.</summary>
internal static class CommitmentCommands
{
    private static readonly Argument<string> Id = Arg("commitment", "The commitment's id");

    public static Command Create(Io io)
    {
        var group = new Command("commit", "Commitments: IT's promises with an owner and a due date");
        var dept = Department();
        var title = Arg("title", "What is promised");
        var due = Required("--due", "The due date, yyyy-MM-dd");
        var owner = Optional("--owner", "The IT person responsible (default: you)");
        var description = Optional("--description", "More detail");
        var direction = Optional("--direction", "it-to-business (default) or business-to-it");
        var meeting = Optional("--meeting", "The meeting it was made in (id)");
        var note = Optional("--note", "Where it came from, when not a meeting");
        var hidden = Flag("--hidden", "Not visible to the business");
        var make = Command("make", "Make a commitment (from a meeting, or with a note on its source)", dept, title, due, owner, description, direction, meeting, note, hidden);
        Context.Run(make, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(dept));
            var request = new MakeCommitmentRequest
            {
                RequestId = Context.RequestId(), RelationshipId = relationship.Id, Title = c.Get(title), Description = c.Get(description) ?? "",
                Owner = c.Get(owner) ?? c.Me, DueDate = Values.Day("due", c.Get(due)),
                Direction = Values.Enum<CommitmentDirection>("direction", c.Get(direction) ?? "it-to-business"),
            };
            switch (c.Get(meeting), c.Get(note))
            {
                case ({ } m, null): request.SourceMeetingId = m; break;
                case (null, { } n): request.SourceNote = n; break;
                default: throw CliException.Usage("source: give exactly one of --meeting or --note");
            }

            if (c.Get(hidden)) { request.VisibleToBusiness = false; }
            var response = await c.Commitments.MakeCommitmentAsync(request, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Committed {response.Commitment.Id}: {response.Commitment.Title}, due {Output.Day(response.Commitment.DueDate)}."));
            return 0;
        });

        var start = Command("start", "Mark a commitment in progress", Id);
        Context.Run(start, io, c => c.Commitments.StartCommitmentAsync(new StartCommitmentRequest { RequestId = Context.RequestId(), CommitmentId = c.Get(Id) }, cancellationToken: c.Cancellation).ResponseAsync, r => $"Started {r.Commitment.Id}: {r.Commitment.Title}.");

        var reason = Required("--reason", "Why");
        var agreedWith = Optional("--agreed-with", "The stakeholder who agreed (email, name or id)");
        var renegotiate = Command("renegotiate", "Agree a new due date", Id, due, reason, agreedWith);
        Context.Run(renegotiate, io, async c =>
        {
            var request = new RenegotiateCommitmentRequest { RequestId = Context.RequestId(), CommitmentId = c.Get(Id), DueDate = Values.Day("due", c.Get(due)), Reason = c.Get(reason) };
            if (c.Get(agreedWith) is { } who)
            {
                request.AgreedWithStakeholderId = await StakeholderOfAsync(c, who);
            }

            var response = await c.Commitments.RenegotiateCommitmentAsync(request, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Renegotiated {response.Commitment.Id}: now due {Output.Day(response.Commitment.DueDate)}."));
            return 0;
        });

        var deliverNote = Optional("--note", "What was delivered");
        var at = Optional("--at", "When it was delivered (default now)");
        var deliver = Command("deliver", "Mark a commitment delivered", Id, deliverNote, at);
        Context.Run(deliver, io, c => c.Commitments.DeliverCommitmentAsync(new DeliverCommitmentRequest
        {
            RequestId = Context.RequestId(), CommitmentId = c.Get(Id), Note = c.Get(deliverNote) ?? "",
            DeliveredAt = c.Get(at) is { } when ? Values.Time("at", when) : null,
        }, cancellationToken: c.Cancellation).ResponseAsync, r => $"Delivered {r.Commitment.Id}: {r.Commitment.Title}.");

        var cancel = Command("cancel", "Cancel a commitment", Id, reason);
        Context.Run(cancel, io, c => c.Commitments.CancelCommitmentAsync(new CancelCommitmentRequest
        {
            RequestId = Context.RequestId(), CommitmentId = c.Get(Id), Reason = c.Get(reason),
        }, cancellationToken: c.Cancellation).ResponseAsync, r => $"Cancelled {r.Commitment.Id}: {r.Commitment.Title}.");

        var channel = Required("--channel", Values.Names<Channel>());
        var told = Many("--told", "A stakeholder who was told (email, name or id); repeatable, at least one");
        var message = Required("--message", "What they were told");
        var informed = Command("informed", "Record that the business was told of the outcome", Id, channel, told, message, at);
        Context.Run(informed, io, async c =>
        {
            var request = new RecordBusinessInformedRequest
            {
                RequestId = Context.RequestId(), CommitmentId = c.Get(Id), Channel = Values.Enum<Channel>("channel", c.Get(channel)), Message = c.Get(message),
                InformedAt = c.Get(at) is { } when ? Values.Time("at", when) : null,
            };
            foreach (var who in c.Get(told))
            {
                request.StakeholderIds.Add(await StakeholderOfAsync(c, who));
            }

            var response = await c.Commitments.RecordBusinessInformedAsync(request, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Recorded that the business was told about {response.Commitment.Id}."));
            return 0;
        });

        var inDept = Optional("--dept", "Only this department's commitments");
        var byOwner = Optional("--owner", "Only this owner's");
        var status = Many("--status", "open, in-progress, delivered, cancelled; repeatable");
        var overdue = Flag("--overdue", "Only overdue ones");
        var tagged = TagFilter();
        var list = Command("list", "List commitments", inDept, byOwner, status, overdue, tagged);
        Context.Run(list, io, async c =>
        {
            var request = new ListCommitmentsRequest { PageSize = 500, Owner = c.Get(byOwner) ?? "", OverdueOnly = c.Get(overdue), Tags = { c.Get(tagged) } };
            if (c.Get(inDept) is { } code) { request.RelationshipId = (await c.DepartmentAsync(code)).Id; }
            request.Statuses.AddRange(c.Get(status).Select(s => Values.Enum<CommitmentStatus>("status", s)));
            var result = new ListCommitmentsResponse { Commitments = { await AllAsync(c, request) } };

            c.Out.Write(result, console =>
            {
                var table = new Table().AddColumns("Due", "Status", "Title", "Owner", "Told", "Id");
                foreach (var x in result.Commitments)
                {
                    table.AddRow(Output.Day(x.DueDate) + (x.Overdue ? " OVERDUE" : ""), Output.Enum(x.Status), Markup.Escape(x.Title), Markup.Escape(x.Owner),
                        x.OutcomeTold ? "yes" : "", x.Id);
                }

                console.Write(table);
            });
            return 0;
        });

        var show = Command("show", "Show a commitment and its history", Id);
        Context.Run(show, io, async c =>
        {
            var response = await c.Commitments.GetCommitmentAsync(new GetCommitmentRequest { CommitmentId = c.Get(Id) }, cancellationToken: c.Cancellation);
            c.Out.Write(response, console =>
            {
                var x = response.Commitment;
                var root = new Tree(Markup.Escape($"{x.Title} ({Output.Enum(x.Status)}{(x.Overdue ? ", OVERDUE" : "")}), due {Output.Day(x.DueDate)}, owner {x.Owner}"));
                if (x.Description.Length > 0) { root.AddNode(Markup.Escape(x.Description)); }
                var history = root.AddNode("history");
                foreach (var change in x.History)
                {
                    history.AddNode(Markup.Escape($"{Output.Time(change.At)} {Output.Enum(change.Kind)} by {change.By}" + (change.Text.Length > 0 ? $": {change.Text}" : "")));
                }

                console.Write(root);
            });
            return 0;
        });

        foreach (var command in (Command[])[make, start, renegotiate, deliver, cancel, informed, list, show])
        {
            group.Add(command);
        }

        return group;
    }

    /// <summary>Every commitment <paramref name="request"/> selects, page after page.</summary>
    public static Task<List<Commitment>> AllAsync(Context c, ListCommitmentsRequest request) =>
        Context.AllPagesAsync(request, r => c.Commitments.ListCommitmentsAsync(r, cancellationToken: c.Cancellation), page => page.Commitments);

    /// <summary>A stakeholder of the commitment's department, by email, name or id.</summary>
    private static async Task<string> StakeholderOfAsync(Context c, string who)
    {
        if (Guid.TryParse(who, out _))
        {
            return who;
        }

        var commitment = (await c.Commitments.GetCommitmentAsync(new GetCommitmentRequest { CommitmentId = c.Get(Id) }, cancellationToken: c.Cancellation)).Commitment;
        return Context.Stakeholder(await c.DepartmentAsync(commitment.RelationshipId), who).Id;
    }
}
