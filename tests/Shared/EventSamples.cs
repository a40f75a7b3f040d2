namespace Brm.Tests.Shared;

/// <summary>
/// An instance of any event (or nested record) type with a plausible value in every field, for checks that
/// run over every event type. Linked into both test projects.
/// </summary>
public static class EventSamples
{
    public const string Text = "someone";

    public static object Create(Type type)
    {
        var constructor = type.GetConstructors().Single();
        return constructor.Invoke([.. constructor.GetParameters().Select(p => Value(p.ParameterType))]);
    }

    private static object? Value(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => Text,
        var t when t == typeof(Guid) => Guid.NewGuid(),
        var t when t == typeof(DateTimeOffset) => new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero),
        var t when t == typeof(DateOnly) => new DateOnly(2026, 11, 6),
        var t when t == typeof(int) => 1,
        var t when t == typeof(long) => 1L,
        var t when t == typeof(bool) => true,
        var t when t.IsEnum => Enum.GetValues(t).GetValue(0),
        var t when t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) =>
            Array.CreateInstance(t.GetGenericArguments()[0], 0),
        var t when t.GetConstructors().Length == 1 => Create(t),
        var t => throw new InvalidOperationException($"No sample value for {t.Name}: extend EventSamples."),
    };
}
