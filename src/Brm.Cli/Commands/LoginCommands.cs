using System.CommandLine;
using System.Diagnostics;
using static Brm.Cli.Commands.Dsl;

namespace Brm.Cli.Commands;

/// <summary>brm login: stores the address and a token in the per-user config file.</summary>
internal static class LoginCommands
{
    public static Command Login(Io io)
    {
        var dev = Flag("--dev", "Get a development token from the local service (`dotnet run --project src/Brm.Api -- dev-token`)");
        var role = new Option<string>("--role") { Description = "With --dev: admin, brm or reporter", DefaultValueFactory = _ => "brm" };
        var name = Optional("--name", "With --dev: your name, the actor of your changes (default: your user name)");
        var repo = Optional("--repo", "With --dev: the BRM CRM repository (default: found above the current folder)");
        var login = Command("login", "Store the service's address and your token (--token T, or --dev --role brm --name alice)", dev, role, name, repo);
        Context.Run(login, io, async c =>
        {
            var token = c.Parse.GetValue(GlobalOptions.Token);
            if (c.Get(dev))
            {
                token = await DevTokenAsync(c.Get(repo), c.Get(role), c.Get(name) ?? Environment.UserName, c.Cancellation);
            }
            else if (string.IsNullOrWhiteSpace(token))
            {
                throw CliException.Usage("login needs --token T, or --dev --role brm --name alice");
            }

            var path = CliConfig.PathFor(c.Parse);
            var address = c.Parse.GetValue(GlobalOptions.Address) ?? CliConfig.Load(path).Address ?? Connection.DefaultAddress;
            new CliConfig(address, token).Save(path);
            await io.Error.WriteLineAsync($"Saved the token for {address} in {path}.");
            return 0;
        });
        return login;
    }

    /// <summary>Runs the service's dev-token command from the repository; its token is the last line it prints.</summary>
    private static async Task<string> DevTokenAsync(string? repo, string role, string name, CancellationToken cancellation)
    {
        var root = repo ?? FindRepository() ?? throw CliException.Usage(
            "login --dev: run it inside the BRM CRM repository or pass --repo; or run `dotnet run --project src/Brm.Api -- dev-token` and `brm login --token T`");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["run", "--project", Path.Combine("src", "Brm.Api"), "--", "dev-token", "--role", role, "--name", name])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new CliException(ExitCodes.Other, "login --dev: could not start dotnet");
        var output = process.StandardOutput.ReadToEndAsync(cancellation);
        var error = process.StandardError.ReadToEndAsync(cancellation);
        await process.WaitForExitAsync(cancellation);
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (process.ExitCode != 0 || lines.Length == 0)
        {
            var reason = (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim();
            throw new CliException(ExitCodes.Other, $"login --dev: dev-token failed ({reason ?? $"exit {process.ExitCode}"})");
        }

        return lines[^1];
    }

    private static string? FindRepository()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BrmCrm.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
