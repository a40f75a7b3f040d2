using System.Collections.Concurrent;
using System.Reflection;
using Brm.Domain.Calendar;
using Brm.Domain.Commitments;
using Brm.Domain.Feedback;
using Brm.Domain.CommunicationPlans;
using Brm.Domain.Meetings;
using Brm.Domain.Outreach;
using Brm.Domain.Relationships;

namespace Brm.Domain.Reporting;

/// <summary>
/// What every domain event says by convention: the relationship it concerns (a <c>RelationshipId</c>
/// property, <see cref="Guid.Empty"/> for the few events that concern no department: the update template, the BRMs'
/// digests and calendar feeds), who did it and when (its last two positional parameters: a string and a DateTimeOffset).
/// Read once per type by reflection and cached; a domain test checks every event follows the convention.
/// </summary>
public static class EventFacts
{
    /// <summary>Every domain event type of every capability.</summary>
    public static readonly IReadOnlyList<Type> AllEventTypes =
        [
            .. RelationshipEvents.All, .. MeetingEvents.All, .. CommitmentEvents.All, .. FeedbackEvents.All, .. CommunicationPlanEvents.All,
            .. OutreachEvents.All, .. CalendarFeedEvents.All,
        ];

    private static readonly ConcurrentDictionary<Type, Accessors> Cache = new();

    public static Guid RelationshipId(object @event) => For(@event.GetType()).RelationshipId(@event);

    public static string Actor(object @event) => For(@event.GetType()).Actor(@event);

    public static DateTimeOffset OccurredAt(object @event) => For(@event.GetType()).OccurredAt(@event);

    private static Accessors For(Type type) => Cache.GetOrAdd(type, static t =>
    {
        var parameters = t.GetConstructors().Single().GetParameters();
        var relationship = Property(t, "RelationshipId", typeof(Guid));
        var actor = Property(t, parameters[^2].Name!, typeof(string));
        var at = Property(t, parameters[^1].Name!, typeof(DateTimeOffset));
        return new Accessors(
            e => (Guid)relationship.GetValue(e)!,
            e => (string)actor.GetValue(e)!,
            e => (DateTimeOffset)at.GetValue(e)!);
    });

    private static PropertyInfo Property(Type type, string name, Type expected) =>
        type.GetProperty(name) is { } property && property.PropertyType == expected
            ? property
            : throw new InvalidOperationException($"{type.Name} does not follow the event convention: no {expected.Name} {name}.");

    private sealed record Accessors(Func<object, Guid> RelationshipId, Func<object, string> Actor, Func<object, DateTimeOffset> OccurredAt);
}
