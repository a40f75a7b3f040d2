namespace Brm.Domain;

/// <summary>What the product takes for an email address: one @, a dot in the domain, no spaces, at most 254 characters.</summary>
public static class EmailAddress
{
    public const int MaxLength = 254;

    public static bool IsValid(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return value.Length <= MaxLength && at > 0 && at == value.LastIndexOf('@') && at < value.Length - 3
            && value.IndexOf('.', at) > at + 1 && !value.EndsWith('.') && !value.Any(char.IsWhiteSpace);
    }
}
