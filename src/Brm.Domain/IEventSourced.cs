namespace Brm.Domain;

/// <summary>
/// An aggregate's state: an immutable record rebuilt from its events by one pure function. The same
/// <see cref="Fold"/> serves the Marten projection that stores the state and the in-memory answer to a
/// command, so the two can never disagree.
/// </summary>
public interface IEventSourced<TSelf> where TSelf : class, IEventSourced<TSelf>
{
    /// <summary>The stream version the state reflects.</summary>
    long Version { get; }

    /// <summary>Applies one event; <paramref name="state"/> is null for the stream's first event.</summary>
    static abstract TSelf Fold(TSelf? state, object @event);

    TSelf WithVersion(long version);
}
