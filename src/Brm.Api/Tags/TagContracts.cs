using Brm.Api.Infrastructure;

#pragma warning disable IDE0130 // The generated messages live in Brm.V1; these partial declarations must too.
namespace Brm.V1;

/// <summary>A change of one item's tags.</summary>
public interface ITagMutation : IStreamMutation
{
    TagTarget Target { get; }

    Google.Protobuf.Collections.RepeatedField<string> Tags { get; }
}

public sealed partial class AddTagsRequest : ITagMutation;

public sealed partial class RemoveTagsRequest : ITagMutation;
