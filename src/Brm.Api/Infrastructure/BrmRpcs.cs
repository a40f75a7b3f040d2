using Brm.V1;
using Google.Protobuf.Reflection;

namespace Brm.Api.Infrastructure;

/// <summary>Every RPC of every brm.v1 service, read from the generated descriptors (a service added to protos/ shows up here).</summary>
public static class BrmRpcs
{
    public static IReadOnlyList<MethodDescriptor> All { get; } = typeof(RelationshipService).Assembly.GetTypes()
        .Where(t => t.Namespace == "Brm.V1" && t.IsAbstract && t.IsSealed)
        .Select(t => t.GetProperty("Descriptor")?.GetValue(null))
        .OfType<FileDescriptor>()
        .Where(f => f.Package == "brm.v1")
        .SelectMany(f => f.Services)
        .SelectMany(s => s.Methods)
        .DistinctBy(m => m.FullName)
        .OrderBy(m => m.FullName, StringComparer.Ordinal)
        .ToList();
}
