using System.CommandLine;

namespace Brm.Cli;

/// <summary>The options every command takes (they are recursive on the root command).</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Address = new("--address")
    {
        Description = "The service's address (else BRM_ADDRESS, the config file, http://localhost:50051)",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = "The bearer token (else BRM_TOKEN, then the config file written by `brm login`)",
        Recursive = true,
    };

    public static readonly Option<string?> Config = new("--config")
    {
        Description = "The config file (else BRM_CONFIG, then ~/.config/brm/config.json)",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Write JSON for scripts (one document; JSON lines for the feed)",
        Recursive = true,
    };

    public static IEnumerable<Option> All => [Address, Token, Config, Json];
}
