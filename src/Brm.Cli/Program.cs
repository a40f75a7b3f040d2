namespace Brm.Cli;

/// <summary>The entry point of the `brm` tool.</summary>
public static class Program
{
    public static Task<int> Main(string[] args) => Cli.RunAsync(args, Console.Out, Console.Error);
}
