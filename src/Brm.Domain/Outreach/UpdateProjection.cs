namespace Brm.Domain.Outreach;

/// <summary>Stores <see cref="Update"/> inline.</summary>
public sealed partial class UpdateProjection() : FoldProjection<Update>(Update.Events);
