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

    /// <summary>The HTTP/2 path of <paramref name="method"/>, as gRPC names it: <c>/brm.v1.RelationshipService/RegisterDepartment</c>.</summary>
    public static string Route(MethodDescriptor method) => $"/{method.Service.FullName}/{method.Name}";
}
