namespace Brm.Domain.Search;

/// <summary>The documented limits of search.proto (and of the tag list's department filter).</summary>
public static class SearchLimits
{
    /// <summary>The longest query, in characters.</summary>
    public const int MaxQueryLength = 500;

    /// <summary>The most departments one search (or tag list) may name.</summary>
    public const int MaxDepartments = 100;
}
