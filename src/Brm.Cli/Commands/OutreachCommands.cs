using System.CommandLine;
using System.Diagnostics;
using Brm.V1;
using Spectre.Console;
using static Brm.Cli.Commands.Dsl;

namespace Brm.Cli.Commands;

/// <summary>brm update draft|send|list|show and brm digest preview|show|set: the department's update by email, and the BRM's weekly digest.</summary>
internal static class OutreachCommands
{
    private const string SubjectPrefix = "Subject:";

    private static readonly Argument<string> Dept = Department();
    private static readonly Option<string?> From = Optional("--from", "The period's first day, yyyy-MM-dd (with --until; default: the month ending today)");
    private static readonly Option<string?> Until = Optional("--until", "The period's last day, yyyy-MM-dd (with --from)");
    private static readonly Option<string?> Month = Optional("--month", "The period: this month, yyyy-MM (up to today when it is the current month)");
    private static readonly Option<string?> Manager = Optional("--manager", "Whose digest (default: you)");

    public static Command Update(Io io)
    {
        var group = new Command("update", "Updates: the department's news composed from the record, edited, and sent by email");
        var item = new Option<string?>("--plan-item", "--item") { Description = "The plan item it keeps (id or exact `what`)" };
        var outFile = Optional("--out", "Also write the draft to this file, as `update send --file` reads it");
        var draft = Command("draft", "Compose the department's update from the record (nothing is sent or recorded)", Dept, item, Month, From, Until, outFile);
        Context.Run(draft, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(Dept));
            var composed = await ComposeAsync(c, relationship, c.Get(item));
            if (c.Get(outFile) is { } path)
            {
                await File.WriteAllTextAsync(path, DraftFile(composed.Subject, composed.BodyMarkdown), c.Cancellation);
            }

            c.Out.Write(new ComposeUpdateResponse { Draft = composed }, console =>
            {
                console.WriteLine(DraftFile(composed.Subject, composed.BodyMarkdown));
                var kinds = composed.Facts.GroupBy(f => f.Kind).Select(g => $"{Output.Enum(g.Key)} {g.Count()}").ToList();
                console.WriteLine($"Facts: {(kinds.Count > 0 ? string.Join(", ", kinds) : "none")}; default recipients: "
                    + (composed.DefaultRecipients.Count > 0 ? string.Join(", ", composed.DefaultRecipients.Select(Who)) : "none"));
                if (c.Get(outFile) is { } written)
                {
                    console.WriteLine($"Written to {written}.");
                }
            });
            return 0;
        });

        var sendItem = new Option<string>("--plan-item", "--item") { Description = "The plan item it keeps (id or exact `what`)", Required = true };
        var file = Optional("--file", "Send this file's subject and body (as `update draft --out` writes it) instead of the draft's");
        var edit = Flag("--edit", "Edit the draft in $VISUAL or $EDITOR (else vi) before sending; left unchanged or empty, nothing is sent");
        var to = Many("--to", "A recipient: an address (with @), or a stakeholder's name or id; repeatable (default: the draft's recipients)");
        var send = Command("send", "Send the department's update: recorded against the plan with its effects; delivery follows", Dept, sendItem, file, edit, to, Month, From, Until);
        Context.Run(send, io, async c =>
        {
            if (c.Get(file) is not null && c.Get(edit))
            {
                throw CliException.Usage("file: give at most one of --file or --edit");
            }

            var relationship = await c.DepartmentAsync(c.Get(Dept));
            var composed = await ComposeAsync(c, relationship, c.Get(sendItem));
            var (subject, body) = c.Get(file) is { } path ? ReadDraft(await File.ReadAllTextAsync(path, c.Cancellation), path)
                : c.Get(edit) ? await EditAsync(composed, c.Cancellation)
                : (composed.Subject, composed.BodyMarkdown);
            var request = new SendUpdateRequest
            {
                RequestId = Context.RequestId(), RelationshipId = relationship.Id, PlanItemId = composed.PlanItemId, Period = composed.Period,
                Subject = subject, BodyMarkdown = body, Facts = { composed.Facts },
            };
            var recipients = c.Get(to);
            if (recipients.Length == 0)
            {
                request.StakeholderIds.AddRange(composed.DefaultRecipients.Select(r => r.StakeholderId));
            }

            request.Addresses.AddRange(recipients.Where(r => r.Contains('@', StringComparison.Ordinal)));
            request.StakeholderIds.AddRange(Context.StakeholderIds(relationship, recipients.Where(r => !r.Contains('@', StringComparison.Ordinal))));
            var response = await c.Outreach.SendUpdateAsync(request, cancellationToken: c.Cancellation);
            var sent = response.Update;
            c.Out.Write(response, _ => c.Out.Line($"Sent update {sent.Id} to {string.Join(", ", sent.Deliveries.Select(d => Who(d.Recipient)))}: "
                + $"delivery follows; see `brm update show {sent.Id}`."));
            return 0;
        });

        var list = Command("list", "List a department's updates, newest first, with their deliveries", Dept);
        Context.Run(list, io, async c =>
        {
            var relationship = await c.DepartmentAsync(c.Get(Dept));
            var result = new ListUpdatesResponse
            {
                Updates =
                {
                    await Context.AllPagesAsync(new ListUpdatesRequest { RelationshipId = relationship.Id, PageSize = 500 },
                        r => c.Outreach.ListUpdatesAsync(r, cancellationToken: c.Cancellation), page => page.Updates),
                },
            };
            c.Out.Write(result, console =>
            {
                var table = new Table().AddColumns("Sent", "Subject", "Delivered", "Failed", "Pending", "Id");
                foreach (var u in result.Updates)
                {
                    table.AddRow(Output.Time(u.SentAt), Markup.Escape(u.Subject), $"{Count(u, DeliveryStatus.Delivered)}",
                        $"{Count(u, DeliveryStatus.Failed)}", $"{Count(u, DeliveryStatus.Pending)}", u.Id);
                }

                console.Write(table);
            });
            return 0;
        });

        var id = Arg("update", "The update's id");
        var show = Command("show", "Show an update: what was sent, to whom, and each recipient's delivery", id);
        Context.Run(show, io, async c =>
        {
            var response = await c.Outreach.GetUpdateAsync(new GetUpdateRequest { UpdateId = c.Get(id) }, cancellationToken: c.Cancellation);
            var u = response.Update;
            c.Out.Write(response, console =>
            {
                console.WriteLine($"{SubjectPrefix} {u.Subject}");
                console.WriteLine($"Sent by {u.SentBy} at {Output.Time(u.SentAt)}, for {Output.Day(u.Period?.From)} to {Output.Day(u.Period?.To)}");
                var table = new Table().AddColumns("Recipient", "Email", "Status", "Attempts", "Detail");
                foreach (var d in u.Deliveries)
                {
                    table.AddRow(Markup.Escape(d.Recipient.Name), Markup.Escape(d.Recipient.Email), Output.Enum(d.Status), $"{d.Attempts}", Markup.Escape(d.Detail));
                }

                console.Write(table);
                console.WriteLine();
                console.WriteLine(u.BodyMarkdown);
            });
            return 0;
        });

        foreach (var command in (Command[])[draft, send, list, show])
        {
            group.Add(command);
        }

        return group;
    }

    public static Command Digest(Io io)
    {
        var group = new Command("digest", "Digests: each BRM's weekly email of their agenda");
        var preview = Command("preview", "Show the digest as it would go now (nothing is sent)", Manager);
        Context.Run(preview, io, async c =>
        {
            var response = await c.Outreach.PreviewDigestAsync(new PreviewDigestRequest { Manager = c.Get(Manager) ?? c.Me }, cancellationToken: c.Cancellation);
            c.Out.Write(response, console =>
            {
                console.WriteLine(DraftFile(response.Subject, response.BodyMarkdown));
                console.WriteLine($"{response.Entries} entries, {response.UntoldDeclines} declines not told");
            });
            return 0;
        });

        var show = Command("show", "Show when and where the digest goes", Manager);
        Context.Run(show, io, async c =>
        {
            var response = await c.Outreach.GetDigestPreferencesAsync(new GetDigestPreferencesRequest { Manager = c.Get(Manager) ?? c.Me }, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line(Describe(response.Preferences)));
            return 0;
        });

        var day = Optional("--day", $"{Values.Names<Weekday>()} (default: as now)");
        var hour = new Option<int?>("--hour") { Description = "0-23, in the time zone (default: as now)" };
        var zone = Optional("--tz", "An IANA time zone, e.g. Europe/London (default: as now)");
        var email = Optional("--email", "Where it goes (default: as now)");
        var off = Flag("--off", "No digest goes (without it, the digest goes)");
        var set = Command("set", "Set when and where the digest goes (the values not given are kept), or --off", Manager, day, hour, zone, email, off);
        Context.Run(set, io, async c =>
        {
            var manager = c.Get(Manager) ?? c.Me;
            var now = (await c.Outreach.GetDigestPreferencesAsync(new GetDigestPreferencesRequest { Manager = manager }, cancellationToken: c.Cancellation)).Preferences;
            var response = await c.Outreach.SetDigestPreferencesAsync(new SetDigestPreferencesRequest
            {
                RequestId = Context.RequestId(), Manager = manager, Email = c.Get(email) ?? now.Email,
                Day = c.Get(day) is { } d ? Values.Enum<Weekday>("day", d) : now.Day, Hour = c.Get(hour) ?? now.Hour,
                TimeZone = c.Get(zone) ?? now.TimeZone, OptedOut = c.Get(off),
            }, cancellationToken: c.Cancellation);
            c.Out.Write(response, _ => c.Out.Line(Describe(response.Preferences)));
            return 0;
        });

        foreach (var command in (Command[])[preview, show, set])
        {
            group.Add(command);
        }

        return group;
    }

    /// <summary>The draft of the department's update for the plan item (when given) and the period of --month, or --from and --until (when given).</summary>
    private static async Task<UpdateDraft> ComposeAsync(Context c, Relationship relationship, string? item)
    {
        var request = new ComposeUpdateRequest { RelationshipId = relationship.Id };
        switch (c.Get(Month), c.Get(From), c.Get(Until))
        {
            case ({ } month, null, null):
                var (first, last) = Values.Month("month", month);
                request.Period = new Period { From = first, To = last };
                break;
            case (null, { } from, { } until): request.Period = new Period { From = Values.Day("from", from), To = Values.Day("until", until) }; break;
            case (null, null, null): break;
            default: throw CliException.Usage("period: give --month, or both --from and --until, or neither");
        }

        if (item is not null)
        {
            request.PlanItemId = (await c.PlanItemAsync(relationship.Id, item)).Id;
        }

        return (await c.Outreach.ComposeUpdateAsync(request, cancellationToken: c.Cancellation)).Draft;
    }

    /// <summary>A draft as a file: <c>Subject: ...</c>, a blank line, then the Markdown body.</summary>
    private static string DraftFile(string subject, string body) => $"{SubjectPrefix} {subject}\n\n{body}";

    /// <summary>The subject and body of a file as <see cref="DraftFile"/> writes it.</summary>
    private static (string Subject, string Body) ReadDraft(string text, string source)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        if (!lines[0].StartsWith(SubjectPrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw CliException.Usage($"{source}: the first line must be `{SubjectPrefix} ...`");
        }

        var body = string.Join('\n', lines.Skip(lines.Length > 1 && lines[1].Trim().Length == 0 ? 2 : 1));
        return (lines[0][SubjectPrefix.Length..].Trim(), body);
    }

    /// <summary>Opens the draft in the user's editor ($VISUAL, $EDITOR, else vi) and reads it back; unchanged or empty is a usage error.</summary>
    private static async Task<(string Subject, string Body)> EditAsync(UpdateDraft draft, CancellationToken cancellation)
    {
        var editor = new[] { "VISUAL", "EDITOR" }.Select(Environment.GetEnvironmentVariable).FirstOrDefault(e => !string.IsNullOrWhiteSpace(e)) ?? "vi";
        var path = Path.Combine(Path.GetTempPath(), $"brm-update-{Guid.NewGuid():N}.md");
        var original = DraftFile(draft.Subject, draft.BodyMarkdown);
        await File.WriteAllTextAsync(path, original, cancellation);
        try
        {
            // Through the shell, as git does, so that an editor with arguments ("code --wait") works.
            var start = OperatingSystem.IsWindows() ? new ProcessStartInfo(editor) : new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", editor + " \"$1\"", "sh" } };
            start.ArgumentList.Add(path);
            using var process = Process.Start(start) ?? throw new CliException(ExitCodes.Other, $"edit: could not start {editor}");
            await process.WaitForExitAsync(cancellation);
            if (process.ExitCode != 0)
            {
                throw CliException.Usage($"edit: {editor} exited with {process.ExitCode}; nothing sent");
            }

            var edited = await File.ReadAllTextAsync(path, cancellation);
            return edited == original || edited.Trim().Length == 0
                ? throw CliException.Usage("edit: the draft was left unchanged or empty; nothing sent")
                : ReadDraft(edited, "edit");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Who(Recipient r) => r.Name.Length > 0 ? $"{r.Name} <{r.Email}>" : r.Email;

    private static int Count(Update update, DeliveryStatus status) => update.Deliveries.Count(d => d.Status == status);

    private static string Describe(DigestPreferences p) =>
        $"Digest of {p.Manager}: " + (p.OptedOut ? "off" : $"every {Output.Enum(p.Day)} at {p.Hour:00}:00 {p.TimeZone}")
        + $", to {(p.Email.Length > 0 ? p.Email : "no address")}; next: {(p.NextDigestAt is null ? "none" : Output.Time(p.NextDigestAt))}.";
}
