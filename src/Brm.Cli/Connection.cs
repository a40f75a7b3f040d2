using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using Grpc.Net.Client;

namespace Brm.Cli;

/// <summary>The stored settings of `brm login`: a JSON file per user.</summary>
public sealed record CliConfig(string? Address, string? Token)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>--config, else BRM_CONFIG, else ~/.config/brm/config.json (the platform's per-user folder).</summary>
    public static string PathFor(ParseResult parse) =>
        parse.GetValue(GlobalOptions.Config)
        ?? NonEmpty(Environment.GetEnvironmentVariable("BRM_CONFIG"))
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.Create), "brm", "config.json");

    public static CliConfig Load(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<CliConfig>(File.ReadAllText(path), Options) ?? new(null, null) : new(null, null);

    public void Save(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Options));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // it holds a token
        }
    }

    internal static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>Where the service is and who calls it: flags, then environment, then the config file, then defaults.</summary>
public sealed record Connection(string Address, string? Token)
{
    public const string DefaultAddress = "http://localhost:50051";

    public static Connection Resolve(ParseResult parse)
    {
        var config = CliConfig.Load(CliConfig.PathFor(parse));
        var address = CliConfig.NonEmpty(parse.GetValue(GlobalOptions.Address))
            ?? CliConfig.NonEmpty(Environment.GetEnvironmentVariable("BRM_ADDRESS"))
            ?? CliConfig.NonEmpty(config.Address)
            ?? DefaultAddress;
        var token = CliConfig.NonEmpty(parse.GetValue(GlobalOptions.Token))
            ?? CliConfig.NonEmpty(Environment.GetEnvironmentVariable("BRM_TOKEN"))
            ?? CliConfig.NonEmpty(config.Token);
        if (!address.Contains("://", StringComparison.Ordinal))
        {
            address = "http://" + address;
        }

        return new Connection(address, token);
    }

    /// <summary>The name claim of a JWT (unique_name, else name, else sub); the signature is the service's business.</summary>
    public static string NameIn(string? token)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 3 })
        {
            return "";
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var claims = JsonDocument.Parse(Convert.FromBase64String(payload));
            foreach (var claim in (string[])["unique_name", "name", "sub"])
            {
                if (claims.RootElement.TryGetProperty(claim, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString()!;
                }
            }
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
        }

        return "";
    }

    /// <summary>A channel whose calls carry the bearer token (plaintext HTTP/2 for http:// addresses).</summary>
    public GrpcChannel Open() => GrpcChannel.ForAddress(Address, new GrpcChannelOptions
    {
        HttpHandler = new BearerHandler(Token, new SocketsHttpHandler { EnableMultipleHttp2Connections = true }),
    });

    private sealed class BearerHandler(string? token, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
