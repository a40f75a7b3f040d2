using JasperFx.CommandLine;

namespace Brm.Api.Security;

public sealed class DevTokenInput : NetCoreInput
{
    [Description("The role: admin, brm or reporter (default brm)")]
    public string RoleFlag { get; set; } = "brm";

    [Description("The caller's name, recorded as the actor of every change (default: your user name)")]
    public string NameFlag { get; set; } = Environment.UserName;

    [Description("How many hours the token is valid (default 12)")]
    public int HoursFlag { get; set; } = 12;
}

/// <summary><c>dotnet run --project src/Brm.Api -- dev-token --role brm --name alice</c>: prints a development token.</summary>
[Description("Print a development bearer token the local service accepts", Name = "dev-token")]
public sealed class DevTokenCommand : JasperFxAsyncCommand<DevTokenInput>
{
    public override Task<bool> Execute(DevTokenInput input)
    {
        if (!Enum.TryParse<Role>(input.RoleFlag, ignoreCase: true, out var role) || !Enum.IsDefined(role)
            || input.NameFlag.Length == 0 || input.HoursFlag <= 0)
        {
            Console.Error.WriteLine("dev-token needs --role admin|brm|reporter, a non-empty --name and a positive --hours.");
            return Task.FromResult(false);
        }

        using var host = input.BuildHost();
        if (host.Services.GetService<DevTokens>() is not { } tokens)
        {
            Console.Error.WriteLine(
                "This service does not accept development tokens: they need the Development environment (`dotnet run` sets it) and no "
                + "connection string, or Auth__AllowDevTokens=true. Otherwise get a token from the configured issuer.");
            return Task.FromResult(false);
        }

        Console.WriteLine(tokens.Issue(input.NameFlag, role, TimeSpan.FromHours(input.HoursFlag)));
        return Task.FromResult(true);
    }
}
