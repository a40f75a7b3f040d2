using Brm.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Components;

namespace Brm.Web.Shared;

/// <summary>
/// A screen of one department, reached as /departments/{Key}/...: the key is its code (finance) or its id (the agenda
/// links by id). Loads the relationship, then the screen's own data; every refused call becomes a <see cref="Problem"/>.
/// </summary>
public abstract class DepartmentPage : ComponentBase
{
    [Inject] protected Api Api { get; set; } = default!;

    [Inject] protected Session Session { get; set; } = default!;

    [Parameter] public string Key { get; set; } = "";

    protected Relationship? Relationship { get; private set; }

    /// <summary>What the last call was refused for; null when it was not.</summary>
    protected Problem? Problem { get; set; }

    /// <summary>What the last change did, announced to screen readers.</summary>
    protected string? Done { get; set; }

    /// <summary>Whether the signed-in caller may change this department: an admin, or the BRM who manages it.</summary>
    protected bool CanChange => Session.Current is { } me
        && (me.IsAdmin || (me.CanChange && Relationship is { } r && string.Equals(r.Manager, me.Name, StringComparison.Ordinal)));

    protected string Base => $"departments/{Relationship?.Code ?? Key}";

    protected override async Task OnParametersSetAsync() => await ReloadAsync();

    protected async Task ReloadAsync()
    {
        Problem = null;
        await Call(async () =>
        {
            var request = Guid.TryParse(Key, out _) ? new GetRelationshipRequest { RelationshipId = Key } : new GetRelationshipRequest { Code = Key };
            Relationship = (await Api.Relationships.GetRelationshipAsync(request)).Relationship;
            await LoadAsync(Relationship);
        });
    }

    /// <summary>The screen's own data, once the relationship is known.</summary>
    protected virtual Task LoadAsync(Relationship relationship) => Task.CompletedTask;

    /// <summary>Runs a call; a refusal is kept in <see cref="Problem"/> and the call reports false.</summary>
    protected async Task<bool> Call(Func<Task> call)
    {
        try
        {
            await call();
            return true;
        }
        catch (RpcException e)
        {
            Problem = Problem.From(e);
            Done = null;
            return false;
        }
    }

    /// <summary>Runs a change, then reloads the screen and says what was done.</summary>
    protected async Task Change(Func<Task> change, string done)
    {
        Done = null;
        Problem = null;
        if (await Call(change))
        {
            await ReloadAsync();
            Done = done;
        }
    }

    protected string StakeholderName(string id) =>
        Relationship?.Stakeholders.FirstOrDefault(s => s.Id == id)?.Name ?? (id.Length == 0 ? "anonymous" : "a former stakeholder");
}
