using System.CommandLine;
using Brm.Cli.Commands;

namespace Brm.Cli;

/// <summary>The whole command tree; each command runs through <see cref="Context.Run"/>.</summary>
public static class Cli
{
    /// <summary>Parses and runs one command line, writing to the given streams; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellation = default)
    {
        var root = new RootCommand("brm: the BRM CRM's command-line client. Exit codes: 0 ok, 2 usage, 3 not found, "
            + "4 conflict, 5 a rule refused it, 6 permission or authentication, 1 anything else.");
        foreach (var option in GlobalOptions.All)
        {
            root.Add(option);
        }

        var io = new Io(stdout, stderr);
        foreach (var command in (Command[])
                 [
                     LoginCommands.Login(io), DeptCommands.Create(io), StakeholderCommands.Create(io),
                     RelationshipDetailCommands.Need(io), RelationshipDetailCommands.Pref(io), RelationshipDetailCommands.Maturity(io),
                     MeetingCommands.Create(io), MeetingCommands.Coverage(io), CommitmentCommands.Create(io),
                     ReportingCommands.Brief(io), ReportingCommands.Health(io), ReportingCommands.Portfolio(io), ReportingCommands.Timeline(io),
                     ReportingCommands.AsOf(io), ReportingCommands.Feed(io),
                     FeedbackCommands.Create(io), PlanCommands.Create(io), PlanCommands.Agenda(io), OutreachCommands.Update(io), OutreachCommands.Digest(io), CalendarCommands.Create(io), SearchCommands.Create(io), TagCommands.Create(io),
                     ImportCommands.Create(io), ExportCommands.Create(io), DemoCommands.Create(io),
                 ])
        {
            root.Add(command);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await stderr.WriteLineAsync($"brm: {error.Message}");
            }

            return ExitCodes.Usage;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, cancellation);
    }
}

/// <summary>Where a command writes: stdout and stderr of the process, or of a test.</summary>
public sealed record Io(TextWriter Out, TextWriter Error);
