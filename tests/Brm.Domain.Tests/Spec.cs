using System.Text.Json;

namespace Brm.Domain.Tests;

/// <summary>
/// Given events, when a command, then events (or a failure): a pure decision spec. Events are compared by type
/// and JSON, so that events carrying lists compare by what the lists hold.
/// </summary>
public sealed class Spec<TState, TCommand>(Func<TCommand, TState?, IReadOnlyList<object>> decide)
    where TState : class, IEventSourced<TState>
{
    private readonly List<object> _given = [];
    private TCommand? _when;

    public Spec<TState, TCommand> Given(params object[] events)
    {
        _given.AddRange(events);
        return this;
    }

    public Spec<TState, TCommand> When(TCommand command)
    {
        _when = command;
        return this;
    }

    public void Then(params object[] expected) => Assert.Equal(Describe(expected), Describe(Decide()));

    public void ThenNothing() => Assert.Empty(Decide());

    public DomainException ThenFails(DomainError error)
    {
        var failure = Assert.Throws<DomainException>(() => Decide());
        Assert.Equal(error, failure.Error);
        return failure;
    }

    private static List<string> Describe(IEnumerable<object> events) =>
        [.. events.Select(e => $"{e.GetType().Name} {JsonSerializer.Serialize(e, e.GetType())}")];

    private IReadOnlyList<object> Decide()
    {
        var state = _given.Aggregate((TState?)null, (s, e) => TState.Fold(s, e));
        return decide(_when ?? throw new InvalidOperationException("When(...) was not called."), state);
    }
}
