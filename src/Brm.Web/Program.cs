using System.Net.Http.Json;
using Brm.Web;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");

// The service that served the app is the API: gRPC-Web calls go back to the same origin, with the signed-in caller's token.
var origin = new Uri(builder.HostEnvironment.BaseAddress);
builder.Services.AddScoped(_ => new HttpClient { BaseAddress = origin });
builder.Services.AddScoped<Session>();
builder.Services.AddScoped(sp => new Api(origin, sp.GetRequiredService<Session>()));

// How to sign in here, before anything starts: at the service's issuer (the code flow with PKCE, done by the
// authentication library), and/or development sign-in.
WebConfig config;
using (var http = new HttpClient { BaseAddress = origin })
{
    try
    {
        config = await http.GetFromJsonAsync<WebConfig>("web/config.json") ?? WebConfig.None;
    }
    catch (HttpRequestException)
    {
        config = WebConfig.None;
    }
}

builder.Services.AddSingleton(config);
if (config.Oidc is { } oidc)
{
    builder.Services.AddOidcAuthentication(options =>
    {
        options.ProviderOptions.Authority = oidc.Authority;
        options.ProviderOptions.ClientId = oidc.ClientId;
        options.ProviderOptions.ResponseType = oidc.ResponseType;
        options.ProviderOptions.DefaultScopes.Clear();
        foreach (var scope in oidc.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            options.ProviderOptions.DefaultScopes.Add(scope);
        }
    });
}

await builder.Build().RunAsync();
