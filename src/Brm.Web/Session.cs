using System.Text.Json;
using Microsoft.JSInterop;

namespace Brm.Web;

/// <summary>The roles the service knows, weakest first, as tokens carry them.</summary>
public enum Role
{
    Reporter = 1,
    Brm = 2,
    Admin = 3,
}

/// <summary>
/// Who signed in: the bearer token every call carries, and the name and role it gives; <paramref name="AtIssuer"/> when
/// they signed in at the issuer (so signing out goes through it too).
/// </summary>
public sealed record SignedIn(string Token, string Name, Role Role, DateTimeOffset ExpiresAt, bool AtIssuer = false)
{
    /// <summary>Whether the screens offer changes: a reporter reads only, so sees no button the service would refuse.</summary>
    public bool CanChange => Role >= Role.Brm;

    public bool IsAdmin => Role == Role.Admin;
}

/// <summary>
/// The signed-in caller for this tab, kept in the browser's session storage (it ends with the tab, and a reload keeps it).
/// </summary>
public sealed class Session(IJSRuntime js)
{
    private const string Key = "brm.session";
    private bool _loaded;

    public SignedIn? Current { get; private set; }

    /// <summary>Why the last sign-in at the issuer signed nobody in here, for the sign-in page to say.</summary>
    public string? Refusal { get; set; }

    public event Action? Changed;

    /// <summary>The signed-in caller, read from session storage on first use; null when nobody is, or the token expired.</summary>
    public async Task<SignedIn?> LoadAsync()
    {
        if (!_loaded)
        {
            _loaded = true;
            var json = await js.InvokeAsync<string?>("sessionStorage.getItem", Key);
            Current = json is null ? null : JsonSerializer.Deserialize<SignedIn>(json);
        }

        if (Current is { } current && current.ExpiresAt <= DateTimeOffset.UtcNow)
        {
            await SignOutAsync();
        }

        return Current;
    }

    public async Task SignInAsync(SignedIn signedIn)
    {
        Current = signedIn;
        _loaded = true;
        await js.InvokeVoidAsync("sessionStorage.setItem", Key, JsonSerializer.Serialize(signedIn));
        Changed?.Invoke();
    }

    public async Task SignOutAsync()
    {
        Current = null;
        _loaded = true;
        await js.InvokeVoidAsync("sessionStorage.removeItem", Key);
        Changed?.Invoke();
    }
}
