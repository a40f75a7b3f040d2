namespace Brm.Domain.Relationships;

/// <summary>Stores <see cref="Relationship"/> inline.</summary>
public sealed partial class RelationshipProjection() : FoldProjection<Relationship>(RelationshipEvents.All);
