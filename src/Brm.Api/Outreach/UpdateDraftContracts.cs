using Brm.Api.Infrastructure;

#pragma warning disable IDE0130 // The generated messages live in Brm.V1; these partial declarations must too.
namespace Brm.V1;

/// <summary>Replacing the update template: a mutation of its one stream (expected_version is the template version it replaces).</summary>
public sealed partial class SetUpdateTemplateRequest : IStreamMutation;
