using Brm.Domain.Commitments;
using Brm.Domain.CommunicationPlans;
using Brm.Domain.Feedback;
using Brm.Domain.Meetings;
using Brm.Domain.Relationships;

namespace Brm.Domain.Outreach;

// What an update template sees: these records only (UpdateTemplating lets templates read their members and nothing
// else), built from the record by UpdateView.Gather. Nothing of a domain document is reachable from them: each carries
// the few values the business may read. Templates name members in snake_case (`delivered`, `c.due_date`).

/// <summary>A commitment delivered in the period: on time (by the due date then in force) or late.</summary>
public sealed record DeliveredView(Guid Id, string Title, DateOnly DueDate, DateOnly DeliveredOn, bool OnTime, int DaysLate, bool FromYou);

/// <summary>A commitment whose due date moved in the period: from the date in force before the period's first move, to the date now, and why (the last move's reason).</summary>
public sealed record RenegotiatedView(Guid Id, string Title, DateOnly PreviousDueDate, DateOnly DueDate, string Reason, DateOnly RenegotiatedOn, bool FromYou);

/// <summary>A commitment cancelled in the period, and why.</summary>
public sealed record CancelledView(Guid Id, string Title, string Reason, DateOnly CancelledOn, bool FromYou);

/// <summary>An open commitment due in the next period.</summary>
public sealed record ComingDueView(Guid Id, string Title, DateOnly DueDate, bool FromYou);

/// <summary>The commitment that answers a piece of feedback.</summary>
public sealed record ActionView(string Title, DateOnly DueDate, bool Delivered);

/// <summary>
/// Feedback acted on in the period. <see cref="Commitment"/> is null when the commitment is not visible to the business;
/// <see cref="Comment"/> is null for feedback that was only a rating.
/// </summary>
public sealed record ActionedView(Guid Id, string? Comment, int? Rating, DateOnly ReceivedOn, DateOnly ActionedOn, ActionView? Commitment);

/// <summary>Feedback declined, and why: in the period, or earlier and the business was not told yet.</summary>
public sealed record DeclinedView(Guid Id, string? Comment, int? Rating, DateOnly ReceivedOn, DateOnly DeclinedOn, string Reason);

/// <summary>A meeting held or a conversation logged in the period: its topic (its kind when it has none).</summary>
public sealed record MeetingView(Guid Id, string Topic, string Kind, DateOnly HeldOn);

/// <summary>An information need the plan item answers.</summary>
public sealed record NeedView(Guid Id, string Description, string Priority);

public sealed record DepartmentView(string Name, string Code);

public sealed record PeriodView(DateOnly From, DateOnly To, int Days);

public sealed record PlanItemView(string What, string Audience, string Channel);

/// <summary>
/// Everything one update reports, as its template sees it: the department, the period and the next one, the plan item
/// (when given), and the facts by kind. <see cref="Sender"/> is who composes it.
/// </summary>
public sealed record UpdateView(
    DepartmentView Department,
    PeriodView Period,
    PeriodView NextPeriod,
    PlanItemView? PlanItem,
    IReadOnlyList<DeliveredView> Delivered,
    IReadOnlyList<RenegotiatedView> Renegotiated,
    IReadOnlyList<CancelledView> Cancelled,
    IReadOnlyList<ComingDueView> ComingDue,
    IReadOnlyList<ActionedView> Actioned,
    IReadOnlyList<DeclinedView> Declined,
    IReadOnlyList<MeetingView> Meetings,
    IReadOnlyList<NeedView> InformationNeeds,
    string Sender)
{
    /// <summary>Every type a template may read members of.</summary>
    public static readonly IReadOnlyList<Type> Types =
    [
        typeof(UpdateView), typeof(DepartmentView), typeof(PeriodView), typeof(PlanItemView), typeof(DeliveredView), typeof(RenegotiatedView),
        typeof(CancelledView), typeof(ComingDueView), typeof(ActionView), typeof(ActionedView), typeof(DeclinedView), typeof(MeetingView),
        typeof(NeedView),
    ];

    public int DeliveredOnTime => Delivered.Count(d => d.OnTime);

    public int DeliveredLate => Delivered.Count(d => !d.OnTime);

    /// <summary>True when no section has anything to say.</summary>
    public bool NothingToReport => Facts.Count == 0;

    /// <summary>Every fact the update reports, by kind, in the order the sections list them.</summary>
    public IReadOnlyList<UpdateFact> Facts =>
    [
        .. Delivered.Select(x => new UpdateFact(UpdateFactKind.CommitmentDelivered, x.Id)),
        .. Renegotiated.Select(x => new UpdateFact(UpdateFactKind.CommitmentRenegotiated, x.Id)),
        .. Cancelled.Select(x => new UpdateFact(UpdateFactKind.CommitmentCancelled, x.Id)),
        .. ComingDue.Select(x => new UpdateFact(UpdateFactKind.CommitmentComingDue, x.Id)),
        .. Actioned.Select(x => new UpdateFact(UpdateFactKind.FeedbackActioned, x.Id)),
        .. Declined.Select(x => new UpdateFact(UpdateFactKind.FeedbackDeclined, x.Id)),
        .. Meetings.Select(x => new UpdateFact(UpdateFactKind.Meeting, x.Id)),
        .. InformationNeeds.Select(x => new UpdateFact(UpdateFactKind.InformationNeed, x.Id)),
    ];

    /// <summary>
    /// The view with every text from the record passed through <paramref name="text"/> (the body's template gets the
    /// texts escaped for Markdown, the subject's as they are).
    /// </summary>
    public UpdateView MapTexts(Func<string, string> text)
    {
        string? Optional(string? value) => value is null ? null : text(value);
        return this with
        {
            Department = Department with { Name = text(Department.Name), Code = text(Department.Code) },
            PlanItem = PlanItem is { } item ? item with { What = text(item.What), Audience = text(item.Audience) } : null,
            Delivered = [.. Delivered.Select(x => x with { Title = text(x.Title) })],
            Renegotiated = [.. Renegotiated.Select(x => x with { Title = text(x.Title), Reason = text(x.Reason) })],
            Cancelled = [.. Cancelled.Select(x => x with { Title = text(x.Title), Reason = text(x.Reason) })],
            ComingDue = [.. ComingDue.Select(x => x with { Title = text(x.Title) })],
            Actioned = [.. Actioned.Select(x => x with
            {
                Comment = Optional(x.Comment), Commitment = x.Commitment is { } c ? c with { Title = text(c.Title) } : null,
            })],
            Declined = [.. Declined.Select(x => x with { Comment = Optional(x.Comment), Reason = text(x.Reason) })],
            Meetings = [.. Meetings.Select(x => x with { Topic = text(x.Topic) })],
            InformationNeeds = [.. InformationNeeds.Select(x => x with { Description = text(x.Description) })],
            Sender = text(Sender),
        };
    }

    /// <summary>
    /// What the record says about a department for a period, only what the business may see: its commitments marked
    /// visible to the business (as they stood at the end of the period), its feedback and its meetings. Pure: the
    /// documents in, the view out.
    /// </summary>
    public static UpdateView Gather(DraftSources sources, UpdatePeriod period, PlanItem? planItem, string sender)
    {
        var end = period.End;
        var next = period.Next;
        var visible = sources.Commitments
            .Where(c => c.VisibleToBusiness)
            .Select(c => c.AsOf(end))
            .OfType<Commitment>()
            .ToList();
        var byId = visible.ToDictionary(c => c.Id);

        var delivered = visible
            .Where(c => c.Status == CommitmentStatus.Delivered && period.Contains(c.ClosedAt!.Value))
            .OrderBy(c => c.ClosedAt).ThenBy(c => c.Id)
            .Select(c =>
            {
                var on = Day(c.ClosedAt!.Value);
                return new DeliveredView(c.Id, c.Title, c.DueDate, on, on <= c.DueDate, Math.Max(0, on.DayNumber - c.DueDate.DayNumber), FromYou(c));
            });
        var renegotiated = visible
            .Where(c => !c.IsClosed)
            .Select(c => (Commitment: c, Moves: c.History.Where(h => h.Kind == CommitmentChangeKind.Renegotiated && period.Contains(h.At)).ToList()))
            .Where(x => x.Moves.Count > 0)
            .OrderBy(x => x.Moves[^1].At).ThenBy(x => x.Commitment.Id)
            .Select(x => new RenegotiatedView(
                x.Commitment.Id, x.Commitment.Title, x.Moves[0].PreviousDueDate ?? x.Commitment.DueDate, x.Commitment.DueDate,
                x.Moves[^1].Text ?? "", Day(x.Moves[^1].At), FromYou(x.Commitment)));
        var cancelled = visible
            .Where(c => c.Status == CommitmentStatus.Cancelled && period.Contains(c.ClosedAt!.Value))
            .OrderBy(c => c.ClosedAt).ThenBy(c => c.Id)
            .Select(c => new CancelledView(c.Id, c.Title, c.ClosingNote ?? "", Day(c.ClosedAt!.Value), FromYou(c)));
        var comingDue = visible
            .Where(c => !c.IsClosed && next.Contains(c.DueDate))
            .OrderBy(c => c.DueDate).ThenBy(c => c.Id)
            .Select(c => new ComingDueView(c.Id, c.Title, c.DueDate, FromYou(c)));

        var feedback = sources.Feedback.Select(f => f.AsOf(end)).OfType<FeedbackItem>().ToList();
        var actioned = feedback
            .Where(f => f.Actioned is { } a && period.Contains(a.At))
            .OrderBy(f => f.Actioned!.At).ThenBy(f => f.Id)
            .Select(f => new ActionedView(
                f.Id, f.Comment, f.Rating, Day(f.ReceivedAt), Day(f.Actioned!.At),
                f.ActionedCommitmentId is { } id && byId.TryGetValue(id, out var c)
                    ? new ActionView(c.Title, c.DueDate, c.Status == CommitmentStatus.Delivered)
                    : null));
        var declined = feedback
            .Where(f => f.Declined is { } d && (period.Contains(d.At) || (Day(d.At) < period.From && f.Response is null)))
            .OrderBy(f => f.Declined!.At).ThenBy(f => f.Id)
            .Select(f => new DeclinedView(f.Id, f.Comment, f.Rating, Day(f.ReceivedAt), Day(f.Declined!.At), f.Declined.Text ?? ""));

        var meetings = sources.Meetings
            .Where(m => m.Status == MeetingStatus.Held && m.Held is { } held && period.Contains(held.HeldAt))
            .OrderBy(m => m.Held!.HeldAt).ThenBy(m => m.Id)
            .Select(m => new MeetingView(m.Id, string.IsNullOrWhiteSpace(m.Topic) ? KindName(m.Kind) : m.Topic, KindName(m.Kind), Day(m.Held!.HeldAt)));

        var needs = planItem?.InformationNeedId is { } needId
            ? sources.Relationship.ActiveInformationNeeds().Where(n => n.Id == needId).Select(n => new NeedView(n.Id, n.Description, n.Priority.ToString().ToLowerInvariant()))
            : [];

        return new UpdateView(
            new DepartmentView(sources.Relationship.Name, sources.Relationship.Code),
            new PeriodView(period.From, period.To, period.Days),
            new PeriodView(next.From, next.To, next.Days),
            planItem is null ? null : new PlanItemView(planItem.What, planItem.Audience, ChannelName(planItem.Channel)),
            [.. delivered], [.. renegotiated], [.. cancelled], [.. comingDue], [.. actioned], [.. declined], [.. meetings], [.. needs],
            sender);
    }

    /// <summary>
    /// A sample update with one of everything (and every optional value both set and unset): a template is checked
    /// against it, and against <see cref="EmptySample"/>, before it is saved.
    /// </summary>
    public static UpdateView Sample { get; } = new(
        new DepartmentView("Finance", "finance"),
        new PeriodView(new DateOnly(2026, 10, 3), new DateOnly(2026, 11, 2), 31),
        new PeriodView(new DateOnly(2026, 11, 3), new DateOnly(2026, 12, 3), 31),
        new PlanItemView("Monthly IT update", "all staff", "email"),
        [
            new DeliveredView(Guid.Empty, "New expense tool", new DateOnly(2026, 10, 20), new DateOnly(2026, 10, 18), true, 0, false),
            new DeliveredView(Guid.Empty, "Laptop refresh", new DateOnly(2026, 10, 10), new DateOnly(2026, 10, 14), false, 4, false),
        ],
        [new RenegotiatedView(Guid.Empty, "VPN upgrade", new DateOnly(2026, 10, 30), new DateOnly(2026, 11, 20), "The supplier delivers the hardware late", new DateOnly(2026, 10, 25), false)],
        [new CancelledView(Guid.Empty, "Printer move", "The floor move was called off", new DateOnly(2026, 10, 12), false)],
        [
            new ComingDueView(Guid.Empty, "Month-end report pack", new DateOnly(2026, 11, 15), false),
            new ComingDueView(Guid.Empty, "Test accounts for the new tool", new DateOnly(2026, 11, 10), true),
        ],
        [
            new ActionedView(Guid.Empty, "Please warn us before outages", 3, new DateOnly(2026, 10, 5), new DateOnly(2026, 10, 7),
                new ActionView("Outage notices a week ahead", new DateOnly(2026, 11, 1), true)),
            new ActionedView(Guid.Empty, null, 2, new DateOnly(2026, 10, 6), new DateOnly(2026, 10, 8), null),
        ],
        [
            new DeclinedView(Guid.Empty, "A second laptop for everyone", null, new DateOnly(2026, 10, 4), new DateOnly(2026, 10, 9),
                "There is no budget for a second laptop per person this financial year"),
            new DeclinedView(Guid.Empty, null, 1, new DateOnly(2026, 10, 4), new DateOnly(2026, 10, 9), "We cannot change the payroll system this year"),
        ],
        [
            new MeetingView(Guid.Empty, "Quarterly service review", "service review", new DateOnly(2026, 10, 15)),
            new MeetingView(Guid.Empty, "coffee chat", "coffee chat", new DateOnly(2026, 10, 21)),
        ],
        [new NeedView(Guid.Empty, "Outages that hit month-end", "high")],
        "brm.jane");

    /// <summary>A sample update with nothing to report and no plan item.</summary>
    public static UpdateView EmptySample { get; } = Sample with
    {
        PlanItem = null, Delivered = [], Renegotiated = [], Cancelled = [], ComingDue = [], Actioned = [], Declined = [], Meetings = [],
        InformationNeeds = [],
    };

    private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    private static bool FromYou(Commitment c) => c.Direction == CommitmentDirection.BusinessToIt;

    private static string KindName(MeetingKind kind) => kind switch
    {
        MeetingKind.FaceToFace => "face-to-face meeting",
        MeetingKind.TeamMeetingSlot => "team meeting",
        MeetingKind.CoffeeChat => "coffee chat",
        MeetingKind.ServiceReview => "service review",
        MeetingKind.Workshop => "workshop",
        MeetingKind.Remote => "call",
        _ => "meeting",
    };

    private static string ChannelName(Channel channel) => channel switch
    {
        Channel.FaceToFace => "face to face",
        Channel.TeamMeeting => "team meeting",
        _ => channel.ToString().ToLowerInvariant(),
    };
}

/// <summary>The documents of one department a draft is gathered from.</summary>
public sealed record DraftSources(
    Relationship Relationship, IReadOnlyList<Commitment> Commitments, IReadOnlyList<FeedbackItem> Feedback, IReadOnlyList<Meeting> Meetings);
