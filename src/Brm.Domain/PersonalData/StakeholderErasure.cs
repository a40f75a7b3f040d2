using System.Text.Json;
using Brm.Domain.Idempotency;
using Brm.Domain.Relationships;
using JasperFx.Events;
using Marten;

namespace Brm.Domain.PersonalData;

/// <summary>
/// Erasing a stakeholder's personal data (their name, title, email and their own words) from the event store
/// and from every read model, leaving a placeholder so that counts and history still add up.
/// <para>
/// The event store: every stored event of a type listed in <see cref="Rules"/> that names the stakeholder is
/// rewritten in place (<c>OverwriteEvent</c>, the primitive under Marten's own event data masking) with that
/// person's data replaced. Marten's masking rules are fixed per event type and run in their own transaction;
/// here the rule needs the stakeholder's id (one event may name several people) and the rewrite commits in the
/// same transaction as the <see cref="StakeholderPersonalDataErased"/> event and the read models.
/// </para>
/// <para>
/// Read models: the inline <see cref="Relationship"/> document forgets the person when it folds
/// <see cref="StakeholderPersonalDataErased"/>; stored answers of retried requests (<see cref="ProcessedRequest"/>)
/// that held any of the removed text are blanked.
/// </para>
/// </summary>
public static class StakeholderErasure
{
    /// <summary>
    /// Every event type that can hold a stakeholder's personal data, and what that event becomes without it
    /// (null: the event holds nothing of this stakeholder's). A capability whose events carry a stakeholder's
    /// name, contact details or words adds its lines here.
    /// </summary>
    private static readonly IReadOnlyList<Rule> Rules =
    [
        Rule.For<StakeholderAdded>((e, id) => e.StakeholderId != id ? null : e with
        {
            Name = Stakeholder.ErasedName, Title = "", Email = null,
        }),
        Rule.For<StakeholderUpdated>((e, id) => e.StakeholderId != id ? null : e with
        {
            Name = Stakeholder.ErasedName, Title = "", Email = null,
        }),
        // A removal's reason is free text about the person ("left for a competitor"): it goes too.
        Rule.For<StakeholderRemoved>((e, id) => e.StakeholderId != id || e.Reason is null ? null : e with { Reason = null }),
    ];

    /// <summary>
    /// Decides the erasure on the relationship's stream, masks every stored event that holds the person's data
    /// and blanks the stored answers that quoted it, all in <paramref name="session"/>: nothing is written until
    /// it is saved, and then all of it commits together. Repeating an erasure appends nothing and masks again.
    /// </summary>
    public static async Task<Decided<Relationship>> EraseStakeholderPersonalDataAsync(
        this IDocumentSession session, EraseStakeholderPersonalData command, long? expectedVersion, CancellationToken ct)
    {
        var decided = await session.Decide<Relationship>(
            command.RelationshipId, expectedVersion, state => RelationshipDecider.Decide(command, state), ct);

        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stored in await EventsNamingAsync(session, command.StakeholderId, ct))
        {
            foreach (var rule in Rules)
            {
                if (rule.Erase(stored.Data, command.StakeholderId) is { } masked)
                {
                    removed.UnionWith(StringsRemoved(stored.Data, masked));
                    rule.Replace(stored, masked);
                    session.Events.OverwriteEvent(stored);
                }
            }
        }

        removed.Remove("");
        ProcessedRequest.BlankAnswersContaining(session, removed);
        return decided;
    }

    // The stored events of the rules' types whose data names the stakeholder's id, wherever they are.
    private static async Task<IReadOnlyList<IEvent>> EventsNamingAsync(IDocumentSession session, Guid stakeholderId, CancellationToken ct)
    {
        var naming = session.DocumentStore.Options.Events.EventNamingStyle;
        var types = Rules.Select(r => r.EventType.GetEventTypeName(naming)).Distinct().ToArray();
        var sequences = await session.QueryAsync<long>(
            $"select seq_id from {BrmDomain.Schema}.mt_events where type = any(?) and data::text like ?",
            ct,
            types,
            $"%{stakeholderId}%");
        if (sequences.Count == 0)
        {
            return [];
        }

        var wanted = sequences.ToArray();
        return await session.Events.QueryAllRawEvents().Where(e => wanted.Contains(e.Sequence)).ToListAsync(ct);
    }

    // The text values of the original event that the masked one no longer has: what stored answers must lose.
    private static IEnumerable<string> StringsRemoved(object original, object masked)
    {
        var kept = Strings(JsonSerializer.SerializeToElement(masked, masked.GetType())).ToHashSet(StringComparer.Ordinal);
        return Strings(JsonSerializer.SerializeToElement(original, original.GetType())).Where(s => !kept.Contains(s));
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    private sealed record Rule(Type EventType, Func<object, Guid, object?> Erase, Action<IEvent, object> Replace)
    {
        public static Rule For<TEvent>(Func<TEvent, Guid, TEvent?> erase)
            where TEvent : class =>
            new(typeof(TEvent),
                (data, id) => data is TEvent e ? erase(e, id) : null,
                (stored, masked) => ((Event<TEvent>)stored).Data = (TEvent)masked);
    }
}
