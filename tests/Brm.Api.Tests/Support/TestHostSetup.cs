using System.Runtime.CompilerServices;
using JasperFx.CommandLine;

namespace Brm.Api.Tests.Support;

internal static class TestHostSetup
{
    /// <summary>
    /// Program ends with JasperFx's command runner; under WebApplicationFactory it must start the host itself
    /// (see Marten's "Command Line Tooling" docs).
    /// </summary>
    [ModuleInitializer]
    internal static void Initialize() => JasperFxEnvironment.AutoStartHost = true;
}
