using Google.Protobuf;

namespace Brm.Api.Infrastructure;

// The fields every mutation request shares by convention. Generated proto classes are partial, so each
// request declares these interfaces in one line (see e.g. Relationships/RelationshipContracts.cs) and the
// shared rules and the shared write path can rely on them.

/// <summary>A mutation: a request message that may carry a request id (AIP-155).</summary>
public interface IMutation : IMessage
{
    string RequestId { get; }
}

/// <summary>A mutation of an existing stream: it may carry the version it expects.</summary>
public interface IStreamMutation : IMutation
{
    bool HasExpectedVersion { get; }

    long ExpectedVersion { get; }
}

public static class StreamMutation
{
    public static long? Expected(this IStreamMutation request) => request.HasExpectedVersion ? request.ExpectedVersion : null;
}
