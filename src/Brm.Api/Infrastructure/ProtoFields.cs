using Google.Protobuf.Collections;

namespace Brm.Api.Infrastructure;

/// <summary>Optional proto3 fields (empty means "not set") as the domain's nulls, and lists of ids as Guids.</summary>
public static class ProtoFields
{
    /// <summary>Trimmed text, or null when empty or blank.</summary>
    public static string? Optional(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>A validated UUID, or null when empty.</summary>
    public static Guid? OptionalId(string value) => value.Length == 0 ? null : Guid.Parse(value);

    public static Guid[] Ids(RepeatedField<string> ids) => [.. ids.Select(Guid.Parse)];
}
