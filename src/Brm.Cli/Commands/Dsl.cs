using System.CommandLine;

namespace Brm.Cli.Commands;

/// <summary>Small helpers to declare commands, options and arguments in a line each.</summary>
internal static class Dsl
{
    public static Argument<string> Arg(string name, string description) => new(name) { Description = description };

    public static Option<string> Required(string name, string description) => new(name) { Description = description, Required = true };

    public static Option<string?> Optional(string name, string description) => new(name) { Description = description };

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    public static Command Command(string name, string description, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument: command.Add(argument); break;
                case Option option: command.Add(option); break;
                case Command sub: command.Add(sub); break;
            }
        }

        return command;
    }
}
