using System.Text.Json.Serialization;
using Brm.Domain.Reporting;
using Brm.Tests.Shared;

namespace Brm.Domain.Tests;

/// <summary>Every event follows the convention the feed, the timeline and the as-of view rely on.</summary>
public sealed class EventConventionSpecs
{
    public static TheoryData<Type> EventTypes() => [.. EventFacts.AllEventTypes];

    [Fact]
    public void Every_record_shaped_like_an_event_is_listed_so_the_feed_and_timeline_carry_it()
    {
        var eventShaped = typeof(EventFacts).Assembly.GetTypes()
            .Where(t => t is { IsPublic: true, IsSealed: true, IsClass: true } && t.GetMethod("<Clone>$") is not null)
            .Where(t => !(t.BaseType?.IsAbstract ?? false))
            .Where(t => t.GetConstructors().Single().GetParameters() is { Length: >= 3 } p
                && p[0].ParameterType == typeof(Guid) && p[0].Name!.EndsWith("Id", StringComparison.Ordinal)
                && p[^2].ParameterType == typeof(string) && p[^1].ParameterType == typeof(DateTimeOffset))
            .ToList();

        Assert.NotEmpty(eventShaped);
        Assert.All(eventShaped, t => Assert.Contains(t, EventFacts.AllEventTypes));
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Every_event_names_its_relationship_first_and_who_and_when_last(Type type)
    {
        var parameters = type.GetConstructors().Single().GetParameters();
        var relationship = type.GetProperty("RelationshipId");

        Assert.Equal(typeof(Guid), relationship?.PropertyType);
        if (relationship!.IsDefined(typeof(JsonIgnoreAttribute), inherit: false))
        {
            // An event that concerns no department (the update template, a BRM's digest) says so with an empty
            // RelationshipId, not stored; its stream's key (a version, a BRM's name) comes first.
            Assert.Equal(Guid.Empty, EventFacts.RelationshipId(EventSamples.Create(type)));
        }
        else
        {
            Assert.True(parameters[0].ParameterType == typeof(Guid) && parameters[0].Name!.EndsWith("Id", StringComparison.Ordinal));
        }

        Assert.Equal(typeof(string), parameters[^2].ParameterType);
        Assert.Equal(typeof(DateTimeOffset), parameters[^1].ParameterType);
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Every_event_reads_as_one_line_on_the_timeline(Type type)
    {
        var sample = EventSamples.Create(type);

        var summary = EventSummaries.Describe(sample);

        Assert.False(string.IsNullOrWhiteSpace(summary));
        Assert.DoesNotContain('\n', summary);
        Assert.Equal(EventSamples.Text, EventFacts.Actor(sample));
    }
}
