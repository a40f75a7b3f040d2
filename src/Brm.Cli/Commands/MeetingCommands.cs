using System.CommandLine;
using Brm.V1;
using Spectre.Console;
using static Brm.Cli.Commands.Dsl;

namespace Brm.Cli.Commands;

/// <summary>brm meeting schedule|reschedule|hold|log|cancel|list|show, and brm coverage.</summary>
internal static class MeetingCommands
{
    private static readonly Argument<string> Dept = Department();
    private static readonly Argument<string> MeetingId = Arg("meeting", "The meeting's id");

    public static Command Create(Io io)
    {
        var group = new Command("meeting", "Meetings and conversations with a department's people");
        var kind = Required("--kind", Values.Names<MeetingKind>());
        var topic = Required("--topic", "What it is about");
        var start = Required("--start", "When it starts, e.g. 2026-05-04T09:30");
        var duration = new Option<int>("--duration") { Description = "Minutes (default 30)", DefaultValueFactory = _ => 30 };
        var invite = Many("--invite", "A stakeholder invited (email, name or id); repeatable");
        var organiser = Optional("--organiser", "Who organises it on IT's side (default: you)");
        var location = Optional("--location", "Where it takes place (a room, an address, a call's link)");
        var send = Flag("--send-invitations", "Email the invited stakeholders an invitation their calendar can add (or the change, or the cancellation)");
        var schedule = Command("schedule", "Schedule a meeting", Dept, kind, topic, start, duration, invite, organiser, location, send);
        Context.Run(schedule, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(Dept));
            var request = new ScheduleMeetingRequest
            {
                RequestId = Context.RequestId(), RelationshipId = relationship.Id, Kind = Values.Enum<MeetingKind>("kind", c.Get(kind)),
                Topic = c.Get(topic), Start = Values.Time("start", c.Get(start)), DurationMinutes = c.Get(duration), Organiser = c.Get(organiser) ?? c.Me,
                Location = c.Get(location) ?? "", SendInvitations = c.Get(send),
            };
            request.InvitedStakeholderIds.AddRange(c.Get(invite).Select(who => Context.Stakeholder(relationship, who).Id));
            var response = await c.Meetings.ScheduleMeetingAsync(request, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Scheduled meeting {response.Meeting.Id} with {relationship.Code} at {Output.Time(response.Meeting.OccursAt)}."));
            return 0;
        });

        var reason = Required("--reason", "Why");
        var reschedule = Command("reschedule", "Move a meeting", MeetingId, start, reason, send);
        Context.Run(reschedule, io, async c =>
        {
            var response = await c.Meetings.RescheduleMeetingAsync(new RescheduleMeetingRequest
            {
                RequestId = Context.RequestId(), MeetingId = c.Get(MeetingId), Start = Values.Time("start", c.Get(start)), Reason = c.Get(reason),
                SendInvitations = c.Get(send),
            }, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Moved meeting {response.Meeting.Id} to {Output.Time(response.Meeting.OccursAt)}."));
            return 0;
        });

        var cancel = Command("cancel", "Cancel a meeting", MeetingId, reason, send);
        Context.Run(cancel, io, async c =>
        {
            var response = await c.Meetings.CancelMeetingAsync(new CancelMeetingRequest
            {
                RequestId = Context.RequestId(), MeetingId = c.Get(MeetingId), Reason = c.Get(reason), SendInvitations = c.Get(send),
            }, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Cancelled meeting {response.Meeting.Id}."));
            return 0;
        });

        var conversation = new ConversationOptions();
        var hold = Command("hold", "Record that a scheduled meeting took place, and what was said", [MeetingId, .. conversation.Symbols]);
        Context.Run(hold, io, async c =>
        {
            var meeting = (await c.Meetings.GetMeetingAsync(new GetMeetingRequest { MeetingId = c.Get(MeetingId) }, cancellationToken: c.Cancellation)).Meeting;
            var relationship = await c.DepartmentAsync(meeting.RelationshipId);
            var response = await c.Meetings.HoldMeetingAsync(new HoldMeetingRequest
            {
                RequestId = Context.RequestId(), MeetingId = meeting.Id, Conversation = conversation.Read(c, relationship),
            }, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Recorded meeting {meeting.Id} as held."));
            return 0;
        });

        var log = Command("log", "Log an unscheduled conversation", [Dept, kind, topic, .. conversation.Symbols]);
        Context.Run(log, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(Dept));
            var response = await c.Meetings.LogConversationAsync(new LogConversationRequest
            {
                RequestId = Context.RequestId(), RelationshipId = relationship.Id, Kind = Values.Enum<MeetingKind>("kind", c.Get(kind)),
                Topic = c.Get(topic), Conversation = conversation.Read(c, relationship),
            }, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line($"Logged conversation {response.Meeting.Id} with {relationship.Code}."));
            return 0;
        });

        var inDept = Optional("--dept", "Only this department's meetings");
        var with = Optional("--with", "Only meetings with this stakeholder (needs --dept)");
        var status = Optional("--status", "scheduled, held or cancelled");
        var from = Optional("--from", "From this moment");
        var to = Optional("--to", "Until this moment");
        var tagged = TagFilter();
        var list = Command("list", "List meetings", inDept, with, status, from, to, tagged);
        Context.Run(list, io, async c =>
        {
            var request = new ListMeetingsRequest { PageSize = 500, Tags = { c.Get(tagged) } };
            if (c.Get(inDept) is { } code)
            {
                var relationship = await c.DepartmentAsync(code);
                request.RelationshipId = relationship.Id;
                if (c.Get(with) is { } who)
                {
                    request.StakeholderId = Context.Stakeholder(relationship, who).Id;
                }
            }
            else if (c.Get(with) is not null)
            {
                throw CliException.Usage("--with: needs --dept to find the stakeholder");
            }

            if (c.Get(status) is { } s) { request.Status = Values.Enum<MeetingStatus>("status", s); }
            if (c.Get(from) is { } f) { request.PeriodStart = Values.Time("from", f); }
            if (c.Get(to) is { } t) { request.PeriodEnd = Values.Time("to", t); }
            var result = new ListMeetingsResponse
            {
                Meetings =
                {
                    await Context.AllPagesAsync(request, r => c.Meetings.ListMeetingsAsync(r, cancellationToken: c.Cancellation), page => page.Meetings),
                },
            };

            c.Out.Write(result, console =>
            {
                var table = new Table().AddColumns("When", "Status", "Kind", "Topic", "With", "Id");
                foreach (var m in result.Meetings)
                {
                    table.AddRow(Output.Time(m.OccursAt), Output.Enum(m.Status), Output.Enum(m.Kind), Markup.Escape(m.Topic),
                        Markup.Escape(string.Join(", ", m.Stakeholders.Select(p => p.Name))), m.Id);
                }

                console.Write(table);
            });
            return 0;
        });

        var show = Command("show", "Show a meeting: who, what was said, commitments made", MeetingId);
        Context.Run(show, io, async c =>
        {
            var response = await c.Meetings.GetMeetingAsync(new GetMeetingRequest { MeetingId = c.Get(MeetingId) }, cancellationToken: c.Cancellation);
            c.Out.Write(response, console => Render(console, response));
            return 0;
        });

        foreach (var command in (Command[])[schedule, reschedule, hold, log, cancel, list, show])
        {
            group.Add(command);
        }

        return group;
    }

    public static Command Coverage(Io io)
    {
        var dept = new Argument<string?>("department") { Description = "The department's code (or id); default: every department you manage", Arity = ArgumentArity.ZeroOrOne };
        var manager = Optional("--manager", "Every department this BRM manages (default: you)");
        var window = new Option<int>("--window") { Description = "Days a contact counts (default 90)", DefaultValueFactory = _ => 90 };
        var coverage = Command("coverage", "Who in a department was contacted within the window, per level, and who not", dept, manager, window);
        Context.Run(coverage, io, async c =>
        {
            var request = new GetStakeholderCoverageRequest { WindowDays = c.Get(window) };
            if (c.Get(dept) is { } code)
            {
                request.RelationshipId = (await c.DepartmentAsync(code)).Id;
            }
            else
            {
                request.Manager = c.Get(manager) ?? c.Me;
            }

            var response = await c.Meetings.GetStakeholderCoverageAsync(request, cancellationToken: c.Cancellation);
            c.Out.Write(response, console =>
            {
                var root = new Tree(Markup.Escape($"Coverage over {response.WindowDays} days: {Count(response.Levels?.Total)} contacted "
                    + $"(executive {Count(response.Levels?.Executive)}, manager {Count(response.Levels?.Manager)}, staff {Count(response.Levels?.Staff)})"));
                foreach (var r in response.Relationships)
                {
                    var node = root.AddNode(Markup.Escape($"{r.Name} ({r.Code}): {Count(r.Levels?.Total)}"));
                    var table = new Table().AddColumns("Stakeholder", "Level", "Last contact", "How", "In window");
                    foreach (var s in r.Stakeholders)
                    {
                        table.AddRow(Markup.Escape(s.Name), Output.Enum(s.Level), Output.Time(s.LastContactAt),
                            s.LastContactKind == MeetingKind.Unspecified ? "" : Output.Enum(s.LastContactKind), s.ContactedWithinWindow ? "yes" : "NO");
                    }

                    node.AddNode(table);
                }

                console.Write(root);
            });
            return 0;
        });
        return coverage;
    }

    private static string Count(CoverageCount? count) => count is null ? "0/0" : $"{count.Contacted}/{count.Total}";

    private static void Render(IAnsiConsole console, GetMeetingResponse response)
    {
        var m = response.Meeting;
        var root = new Tree(Markup.Escape($"{m.Topic} ({Output.Enum(m.Kind)}, {Output.Enum(m.Status)}) at {Output.Time(m.OccursAt)}"));
        root.AddNode(Markup.Escape($"id {m.Id}, version {m.Version}"));
        if (m.Schedule is { } s)
        {
            root.AddNode(Markup.Escape($"organiser {s.Organiser}, {s.DurationMinutes} min, invited: {string.Join(", ", s.Invited.Select(p => p.Name))}"));
        }

        if (m.Conversation is { } talk)
        {
            var node = root.AddNode(Markup.Escape($"held {Output.Time(talk.HeldAt)} with {string.Join(", ", talk.Attendees.Select(p => p.Name))}"
                + (talk.ItAttendees.Count > 0 ? $"; IT: {string.Join(", ", talk.ItAttendees)}" : "")));
            if (talk.ItShared.Length > 0) { node.AddNode(Markup.Escape($"IT shared: {talk.ItShared}")); }
            foreach (var point in talk.BusinessRaised)
            {
                node.AddNode(Markup.Escape($"raised{(point.HasKind ? $" ({Output.Enum(point.Kind)})" : "")}: {point.Text}"));
            }

            if (talk.Notes.Length > 0) { node.AddNode(Markup.Escape($"notes: {talk.Notes}")); }
        }

        if (m.Cancellation is { } cancelled)
        {
            root.AddNode(Markup.Escape($"cancelled by {cancelled.CancelledBy}: {cancelled.Reason}"));
        }

        if (response.Commitments.Count > 0)
        {
            var commitments = root.AddNode("commitments");
            foreach (var commitment in response.Commitments)
            {
                commitments.AddNode(Markup.Escape($"{commitment.Title} ({Output.Enum(commitment.Status)}, due {Output.Day(commitment.DueDate)}, {commitment.Owner})"));
            }
        }

        console.Write(root);
    }

    /// <summary>The options that describe a conversation, shared by `meeting hold` and `meeting log`.</summary>
    private sealed class ConversationOptions
    {
        private readonly Option<string[]> _with = Many("--with", "A stakeholder who took part (email, name or id); repeatable, at least one");
        private readonly Option<string[]> _it = Many("--it", "An IT person who took part; repeatable");
        private readonly Option<string?> _heldAt = Optional("--held-at", "When it took place (default: the scheduled start, or now)");
        private readonly Option<string?> _shared = Optional("--shared", "What IT shared");
        private readonly Option<string[]> _raised = Many("--raised", "What the business raised, verbatim; prefix concern:, request: or praise: to classify; repeatable");
        private readonly Option<string?> _notes = Optional("--notes", "Notes");

        public Symbol[] Symbols => [_with, _it, _heldAt, _shared, _raised, _notes];

        public ConversationDetails Read(Context c, Relationship relationship)
        {
            var details = new ConversationDetails { ItShared = c.Get(_shared) ?? "", Notes = c.Get(_notes) ?? "" };
            if (c.Get(_heldAt) is { } at) { details.HeldAt = Values.Time("held-at", at); }
            details.StakeholderIds.AddRange(c.Get(_with).Select(who => Context.Stakeholder(relationship, who).Id));
            details.ItAttendees.AddRange(c.Get(_it));
            details.BusinessRaised.AddRange(c.Get(_raised).Select(Point));
            return details;
        }

        private static RaisedPoint Point(string text)
        {
            foreach (var kind in (RaisedPointKind[])[RaisedPointKind.Concern, RaisedPointKind.Request, RaisedPointKind.Praise])
            {
                var prefix = Output.Enum(kind) + ":";
                if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    return new RaisedPoint { Text = text[prefix.Length..].Trim(), Kind = kind };
                }
            }

            return new RaisedPoint { Text = text };
        }
    }
}
