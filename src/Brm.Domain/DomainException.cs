namespace Brm.Domain;

/// <summary>What kind of rule a command broke; the API maps each kind to one status code.</summary>
public enum DomainError
{
    /// <summary>A rule of the domain, e.g. "an archived relationship refuses changes".</summary>
    RuleBroken,

    /// <summary>The command names something that does not exist.</summary>
    NotFound,

    /// <summary>The command would create a duplicate of a natural key.</summary>
    AlreadyExists,

    /// <summary>The command would take a stream past one of its documented limits.</summary>
    LimitExceeded,

    /// <summary>The stream is not at the version the caller expected.</summary>
    VersionConflict,
}

/// <summary>The one exception type a decision throws when a command cannot be accepted.</summary>
public sealed class DomainException(DomainError error, string message) : Exception(message)
{
    public DomainError Error { get; } = error;

    public static DomainException Rule(string message) => new(DomainError.RuleBroken, message);

    public static DomainException NotFound(string message) => new(DomainError.NotFound, message);

    public static DomainException AlreadyExists(string message) => new(DomainError.AlreadyExists, message);

    public static DomainException Limit(string message) => new(DomainError.LimitExceeded, message);

    public static DomainException Conflict(string message) => new(DomainError.VersionConflict, message);
}
