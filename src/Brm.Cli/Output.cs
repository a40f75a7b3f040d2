using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console;

namespace Brm.Cli;

/// <summary>How results are written: Spectre tables for people, protobuf JSON (snake_case fields) for scripts.</summary>
public sealed class Output(Io io, bool json)
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

    public bool Json { get; } = json;

    /// <summary>The console for people: no colours, and wide lines, when output is not a terminal.</summary>
    public IAnsiConsole Console { get; } = CreateConsole(io.Out);

    private static IAnsiConsole CreateConsole(TextWriter writer)
    {
        var terminal = ReferenceEquals(writer, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = 200;
        }

        return console;
    }

    public TextWriter Error => io.Error;

    /// <summary>Writes <paramref name="message"/> as one JSON document (or line) when --json, else calls <paramref name="human"/>.</summary>
    public void Write(IMessage message, Action<IAnsiConsole> human)
    {
        if (Json)
        {
            io.Out.WriteLine(Formatter.Format(message));
        }
        else
        {
            human(Console);
        }
    }

    public void Line(string text) => Console.MarkupLineInterpolated($"{text}");

    public static string Enum(System.Enum value) =>
        System.Text.RegularExpressions.Regex.Replace(value.ToString(), "(?<=[a-z])([A-Z])", "-$1").ToLowerInvariant();

    public static string Time(Timestamp? at) => at is null ? "" : at.ToDateTimeOffset().ToLocalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public static string Day(Brm.V1.Date? date) => date is null ? "" : $"{date.Year:0000}-{date.Month:00}-{date.Day:00}";
}
