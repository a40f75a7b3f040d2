using Brm.Web;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");

// The service that served the app is the API: gRPC-Web calls go back to the same origin, with the signed-in caller's token.
builder.Services.AddScoped(_ => new HttpClient { BaseAddress = new Uri(builder.HostEnvironment.BaseAddress) });
builder.Services.AddScoped<Session>();
builder.Services.AddScoped(sp => new Api(new Uri(builder.HostEnvironment.BaseAddress), sp.GetRequiredService<Session>()));

await builder.Build().RunAsync();
