namespace Brm.Domain.Outreach;

/// <summary>
/// The organisation's update template in force: its version (1 is the shipped default, each
/// <see cref="UpdateTemplateSet"/> adds one), the subject line and the body, both Liquid. One stream for the whole
/// organisation (<see cref="StreamId"/>); the document keeps the version in force, and earlier versions are read from
/// the stream's events (the event of template version n is the stream's event n - 1).
/// </summary>
public sealed record UpdateTemplate(
    Guid Id,
    int TemplateVersion,
    string Subject,
    string Source,
    string? SetBy,
    DateTimeOffset? SetAt,
    long Version) : IEventSourced<UpdateTemplate>
{
    /// <summary>The one stream of the organisation's update template.</summary>
    public static readonly Guid StreamId = new("6d1b7f0e-4c1a-4f37-9b7e-0c5b2a8e4d19");

    /// <summary>The template that ships: version 1, in force until an admin sets one. It is not an event.</summary>
    public static readonly UpdateTemplate Default =
        new(StreamId, 1, DefaultUpdateTemplate.Subject, DefaultUpdateTemplate.Source, null, null, 0);

    /// <summary>The stream version at which this template version was set (0 for the default: no event).</summary>
    public static long StreamVersionOf(int templateVersion) => templateVersion - 1L;

    public UpdateTemplate WithVersion(long version) => this with { Version = version };

    public static UpdateTemplate Fold(UpdateTemplate? state, object @event) => @event switch
    {
        UpdateTemplateSet e => new UpdateTemplate(StreamId, e.TemplateVersion, e.Subject, e.Source, e.SetBy, e.SetAt, (state?.Version ?? 0) + 1),
        _ => state ?? throw new InvalidOperationException($"The update template stream cannot start with {@event.GetType().Name}."),
    };

    /// <summary>The template of one <see cref="UpdateTemplateSet"/> (an earlier version, read from the stream).</summary>
    public static UpdateTemplate Of(UpdateTemplateSet e) =>
        new(StreamId, e.TemplateVersion, e.Subject, e.Source, e.SetBy, e.SetAt, StreamVersionOf(e.TemplateVersion));
}

/// <summary>An admin replaces the template: subject and body as given (already checked: they parse and render).</summary>
public sealed record SetUpdateTemplate(string Subject, string Source, long? ExpectedTemplateVersion, string By, DateTimeOffset At);

/// <summary>Pure decisions on the template stream: the template set (null: none, the default is in force) and a command in, the events out.</summary>
public static class UpdateTemplateDecider
{
    public static IReadOnlyList<object> Decide(SetUpdateTemplate command, UpdateTemplate? state)
    {
        var current = state ?? UpdateTemplate.Default;
        if (command.ExpectedTemplateVersion is { } expected && expected != current.TemplateVersion)
        {
            throw DomainException.Conflict(
                $"expected template version {expected}, but version {current.TemplateVersion} is in force: read it again and retry");
        }

        // The first one always starts the stream (version 2), even if it repeats the default; after that, setting the
        // template in force again changes nothing.
        return state is not null && command.Subject == state.Subject && command.Source == state.Source
            ? []
            : [new UpdateTemplateSet(current.TemplateVersion + 1, command.Subject, command.Source, command.By, command.At)];
    }
}

/// <summary>Stores <see cref="UpdateTemplate"/> (the version in force) inline.</summary>
public sealed partial class UpdateTemplateProjection() : FoldProjection<UpdateTemplate>([typeof(UpdateTemplateSet)]);
