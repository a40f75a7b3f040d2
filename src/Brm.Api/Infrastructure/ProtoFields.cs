using Google.Protobuf.Collections;

namespace Brm.Api.Infrastructure;

/// <summary>
/// Optional proto3 fields (empty means "not set") as the domain's nulls, and ids as Guids. The one place the service
/// turns a client's id into a Guid: every id field has passed its validator's UUID rule (ValidationRules.Uuid,
/// OptionalUuid) before a service reads it, so these never fail on what a client sent.
/// </summary>
public static class ProtoFields
{
    /// <summary>A validated UUID.</summary>
    public static Guid Id(string value) => Guid.Parse(value);

    /// <summary>Trimmed text, or null when empty or blank.</summary>
    public static string? Optional(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>A validated UUID, or null when empty.</summary>
    public static Guid? OptionalId(string value) => value.Length == 0 ? null : Id(value);

    public static Guid[] Ids(RepeatedField<string> ids) => [.. ids.Select(Id)];

    /// <summary>An id not validated yet (the access check runs before validation): null when it is no UUID.</summary>
    public static Guid? UncheckedId(string value) => Guid.TryParse(value, out var id) ? id : null;
}
