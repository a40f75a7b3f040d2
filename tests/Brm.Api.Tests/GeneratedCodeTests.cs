using Brm.Api.Hosting;
using Internal.Generated.WolverineHandlers;

namespace Brm.Api.Tests;

/// <summary>
/// Wolverine's handler adapters are generated ahead of time and checked in (Hosting/Messaging.cs): with
/// <c>TypeLoadMode.Static</c> the service takes its handlers from the generated registry, so a handler added without
/// regenerating would never run. A changed handler's signature fails the build instead; CI regenerates the whole folder
/// and fails on any difference.
/// </summary>
public sealed class GeneratedCodeTests
{
    [Fact]
    public void Every_handler_has_its_adapter_generated_ahead_of_time()
    {
        var generated = new GeneratedHandlerRegistry().HandlerTypes().Select(t => t.FullName).Order().ToList();
        var handlers = Messaging.Handlers.Select(t => t.FullName).Order().ToList();

        Assert.True(
            generated.SequenceEqual(handlers),
            $"generated: {string.Join(", ", generated)}; handlers: {string.Join(", ", handlers)}. Regenerate: rm -rf src/Brm.Api/Internal/Generated "
            + "&& ConnectionStrings__Marten='Host=127.0.0.1' dotnet run --project src/Brm.Api -- codegen write");
    }
}
