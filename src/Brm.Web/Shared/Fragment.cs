using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Brm.Web.Shared;

/// <summary>
/// The part of the address after '#' (the agenda links to /departments/{id}/commitments#commitment-{id}): the browser looks
/// for it before the screen has loaded its items, so the screen brings it into view once it has rendered them.
/// </summary>
public static class Fragment
{
    /// <summary>The id the address points at, without '#'; null when none.</summary>
    public static string? Of(NavigationManager navigation) =>
        new Uri(navigation.Uri).Fragment is { Length: > 1 } fragment ? Uri.UnescapeDataString(fragment[1..]) : null;

    /// <summary>Scrolls the element with <paramref name="id"/> into view (no script of our own: the DOM's own functions).</summary>
    public static async Task ScrollIntoViewAsync(IJSRuntime js, string id)
    {
        await using var element = await js.InvokeAsync<IJSObjectReference>("document.getElementById", id);
        await element.InvokeVoidAsync("scrollIntoView");
    }
}
