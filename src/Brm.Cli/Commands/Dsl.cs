using System.CommandLine;

namespace Brm.Cli.Commands;

/// <summary>Small helpers to declare commands, options and arguments in a line each.</summary>
internal static class Dsl
{
    public static Argument<string> Arg(string name, string description) => new(name) { Description = description };

    public static Option<string> Required(string name, string description) => new(name) { Description = description, Required = true };

    public static Option<string?> Optional(string name, string description) => new(name) { Description = description };

    /// <summary>A repeatable option (--with a --with b); empty when not given.</summary>
    public static Option<string[]> Many(string name, string description) => new(name) { Description = description, DefaultValueFactory = _ => [] };

    /// <summary>The department argument every department-scoped command starts with.</summary>
    public static Argument<string> Department() => Arg("department", "The department's code (or id)");

    /// <summary>A department filter of a list or report.</summary>
    public static Option<string?> DepartmentFilter(string description) => Optional("--dept", description);

    /// <summary>The tag filter of a list: items carrying every tag given.</summary>
    public static Option<string[]> TagFilter() => Many("--tag", "Only those carrying this tag; repeatable (every one)");

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
