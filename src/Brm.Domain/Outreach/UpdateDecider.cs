using Brm.Domain.Commitments;
using Brm.Domain.CommunicationPlans;
using Brm.Domain.Feedback;
using Brm.Domain.Meetings;
using Brm.Domain.Relationships;

namespace Brm.Domain.Outreach;

/// <summary>A command on an update; who and when come from the edge (credential and clock).</summary>
public abstract record UpdateCommand(Guid UpdateId, string By, DateTimeOffset At)
{
    /// <summary>The calendar day of <see cref="At"/> (days are counted in UTC).</summary>
    public DateOnly Today => DateOnly.FromDateTime(At.UtcDateTime);
}

/// <summary>
/// Send the department's update, as the BRM edited it. A null period is the month ending today. No stakeholder ids and
/// no addresses: the default recipients (<see cref="UpdateRecipients.DefaultFor"/>).
/// </summary>
public sealed record SendUpdate(
    Guid UpdateId,
    Guid CommunicationId,
    Guid RelationshipId,
    Guid PlanItemId,
    DateOnly? PeriodFrom,
    DateOnly? PeriodTo,
    string Subject,
    string BodyMarkdown,
    IReadOnlyList<UpdateFact> Facts,
    IReadOnlyList<Guid> StakeholderIds,
    IReadOnlyList<string> Addresses,
    string By,
    DateTimeOffset At) : UpdateCommand(UpdateId, By, At);

/// <summary>
/// What sending an update reads, as it stands: the relationship, its plan (null before its first item), and the
/// commitments, feedback items and meetings its facts name, by id (those not found are missing).
/// </summary>
public sealed record UpdateSources(
    Relationship Relationship,
    CommunicationPlan? Plan,
    IReadOnlyDictionary<Guid, Commitment> Commitments,
    IReadOnlyDictionary<Guid, FeedbackItem> Feedback,
    IReadOnlyDictionary<Guid, Meeting> Meetings);

/// <summary>
/// What sending an update decided, one event per stream: the update itself, the communication recorded against the plan,
/// every commitment it tells the business of, every decline it tells. Each effect carries the update's id.
/// </summary>
public sealed record UpdateSending(
    UpdateSent Sent,
    CommunicationDelivered Communication,
    IReadOnlyList<BusinessInformed> Informed,
    IReadOnlyList<FeedbackResponseSent> Responded);

/// <summary>
/// The pure decision of SendUpdate. The update is refused when the relationship is archived, the plan item is not an
/// active item of its plan, the period is not a past one, a fact does not hold, or a recipient cannot receive it (see
/// outreach.proto). Otherwise the update goes out with its effects, decided by the rules of each effect's own capability
/// (<see cref="CommunicationPlanDecider"/>, <see cref="CommitmentDecider"/>, <see cref="FeedbackDecider"/>): the
/// communication is recorded against the plan item; each commitment reported delivered, renegotiated or cancelled whose
/// outcome (that one, still its latest) the business was not told of is marked told; each decline reported that the
/// business was not told of is told, its reason the response. A fact whose effect already happened changes nothing.
/// </summary>
public static class UpdateDecider
{
    /// <summary>The message each commitment marked told by an update carries.</summary>
    public static string ToldIn(string subject) => $"Told in the update: {subject}";

    public static UpdateSending Decide(SendUpdate c, UpdateSources sources)
    {
        var relationship = sources.Relationship;
        relationship.EnsureNotArchived("updates");
        var plan = sources.Plan ?? CommunicationPlan.Empty(relationship.Id);
        var item = plan.Item(c.PlanItemId);
        if (!item.IsActive)
        {
            throw DomainException.Rule($"plan item {item.Id} was retired: an update keeps an active item of the department's plan");
        }

        var (from, to) = Period(c);
        var facts = c.Facts.Distinct().ToList();
        foreach (var fact in facts)
        {
            EnsureHolds(fact, sources);
        }

        var recipients = Recipients(c, relationship, item);
        IReadOnlyList<Guid> told = [.. recipients.Select(r => r.StakeholderId).OfType<Guid>().Distinct()];

        var communication = CommunicationPlanDecider.Decide(
            new RecordCommunication(relationship.Id, c.CommunicationId, item.Id, null, Channel.Email, c.Subject, null, c.By, c.At), plan, relationship)
            .OfType<CommunicationDelivered>().Single();

        var informed = facts
            .Where(f => Outcome(f.Kind) is not null)
            .Select(f => (Fact: f, Commitment: sources.Commitments[f.Id]))
            .Where(x => x.Commitment.LatestOutcome() == Outcome(x.Fact.Kind) && !x.Commitment.OutcomeTold())
            .DistinctBy(x => x.Commitment.Id)
            .Select(x => CommitmentDecider.Decide(
                new RecordBusinessInformed(x.Commitment.Id, Channel.Email, null, told, ToldIn(c.Subject), c.By, c.At), x.Commitment, relationship)
                .OfType<BusinessInformed>().Single() with { UpdateId = c.UpdateId })
            .ToList();

        var responded = facts
            .Where(f => f.Kind == UpdateFactKind.FeedbackDeclined)
            .Select(f => sources.Feedback[f.Id])
            .Where(f => f is { Status: FeedbackStatus.Declined, LoopClosed: false })
            .Select(f => FeedbackDecider.Decide(
                new RespondToFeedback(f.Id, f.Declined?.Text ?? "", Channel.Email, null, told, c.By, c.At), f, relationship)
                .OfType<FeedbackResponseSent>().Single() with { UpdateId = c.UpdateId })
            .ToList();

        var sent = new UpdateSent(
            c.UpdateId, relationship.Id, item.Id, from, to, c.Subject, c.BodyMarkdown, facts, recipients, c.CommunicationId, c.By, c.At);
        return new UpdateSending(sent, communication with { UpdateId = c.UpdateId }, informed, responded);
    }

    /// <summary>The period the update reports on (the month ending today when none is given); FAILED_PRECONDITION when it is not one.</summary>
    private static (DateOnly From, DateOnly To) Period(SendUpdate c)
    {
        var period = c.PeriodFrom is { } f && c.PeriodTo is { } t ? new UpdatePeriod(f, t) : UpdatePeriod.MonthEnding(c.Today);
        return period.Problem(c.Today) is { } problem ? throw DomainException.Rule(problem) : (period.From, period.To);
    }

    /// <summary>The outcome a commitment fact reports, if it reports one the business can be told of.</summary>
    private static CommitmentOutcome? Outcome(UpdateFactKind kind) => kind switch
    {
        UpdateFactKind.CommitmentDelivered => CommitmentOutcome.Delivered,
        UpdateFactKind.CommitmentRenegotiated => CommitmentOutcome.Renegotiated,
        UpdateFactKind.CommitmentCancelled => CommitmentOutcome.Cancelled,
        _ => null,
    };

    /// <summary>
    /// The fact names something of this department that the business may see (NOT_FOUND when it names nothing), and it
    /// is what its kind says (a delivered commitment for COMMITMENT_DELIVERED, a held meeting for MEETING...).
    /// </summary>
    private static void EnsureHolds(UpdateFact fact, UpdateSources sources)
    {
        var relationship = sources.Relationship;
        var (what, relationshipId, problem) = fact.Kind switch
        {
            UpdateFactKind.CommitmentDelivered or UpdateFactKind.CommitmentRenegotiated or UpdateFactKind.CommitmentCancelled
                or UpdateFactKind.CommitmentComingDue => CommitmentFact(fact.Kind, Found(sources.Commitments, fact, "commitment")),
            UpdateFactKind.FeedbackActioned or UpdateFactKind.FeedbackDeclined => FeedbackFact(fact.Kind, Found(sources.Feedback, fact, "feedback")),
            UpdateFactKind.Meeting => MeetingFact(Found(sources.Meetings, fact, "meeting")),
            UpdateFactKind.InformationNeed => relationship.InformationNeeds.Find(n => n.Id == fact.Id) is { } need
                ? ($"information need {need.Id}", relationship.Id, null)
                : throw DomainException.NotFound($"information need {fact.Id} (an INFORMATION_NEED fact) was not found in relationship '{relationship.Code}'"),
            _ => throw new InvalidOperationException($"No rule for the fact kind {fact.Kind}."),
        };

        if (relationshipId != relationship.Id)
        {
            throw DomainException.Rule($"{what} belongs to another relationship: an update reports its own department's facts");
        }

        if (problem is not null)
        {
            throw DomainException.Rule($"{what} {problem}");
        }
    }

    // Each returns what the fact names, its relationship, and what is wrong with it as a fact of its kind (null: nothing).
    private static (string, Guid, string?) CommitmentFact(UpdateFactKind kind, Commitment c)
    {
        var (holds, actually) = kind switch
        {
            UpdateFactKind.CommitmentDelivered => (c.Status == CommitmentStatus.Delivered, $"is {Lower(c.Status)}, not delivered"),
            UpdateFactKind.CommitmentRenegotiated => (c.Renegotiations > 0, "was never renegotiated"),
            UpdateFactKind.CommitmentCancelled => (c.Status == CommitmentStatus.Cancelled, $"is {Lower(c.Status)}, not cancelled"),
            _ => (!c.IsClosed, $"is {Lower(c.Status)}, not coming due"),
        };
        var problem = !c.VisibleToBusiness ? "is not visible to the business: an update reports only what the business may see"
            : holds ? null
            : $"{actually}: it is not a {Describe(kind)} fact";
        return ($"commitment {c.Id}", c.RelationshipId, problem);
    }

    private static (string, Guid, string?) FeedbackFact(UpdateFactKind kind, FeedbackItem f)
    {
        var problem = kind == UpdateFactKind.FeedbackActioned
            ? f.ActionedCommitmentId is null ? "was not acted on" : null
            : f.Declined is null ? "was not declined" : null;
        return ($"feedback {f.Id}", f.RelationshipId, problem is null ? null : $"{problem}: it is not a {Describe(kind)} fact");
    }

    private static (string, Guid, string?) MeetingFact(Meeting m) =>
        ($"meeting {m.Id}", m.RelationshipId, m.Status == MeetingStatus.Held ? null : $"is {Lower(m.Status)}, not held: it is not a MEETING fact");

    private static T Found<T>(IReadOnlyDictionary<Guid, T> documents, UpdateFact fact, string what) =>
        documents.TryGetValue(fact.Id, out var document)
            ? document
            : throw DomainException.NotFound($"{what} {fact.Id} (a {Describe(fact.Kind)} fact) was not found");

    /// <summary>
    /// Whom the update goes to: the stakeholders and addresses asked for, or else the default recipients; one copy per
    /// address (compared case-insensitively, the first kept); at least one, at most <see cref="OutreachLimits.SentRecipients"/>.
    /// </summary>
    private static List<UpdateRecipient> Recipients(SendUpdate c, Relationship relationship, PlanItem item)
    {
        IEnumerable<UpdateRecipient> asked;
        if (c.StakeholderIds.Count == 0 && c.Addresses.Count == 0)
        {
            asked = UpdateRecipients.DefaultFor(relationship, item);
        }
        else
        {
            var stakeholders = c.StakeholderIds.Distinct()
                .Select(id => relationship.Stakeholders.Find(s => s.Id == id)
                    ?? throw DomainException.NotFound($"stakeholder {id} was not found in relationship '{relationship.Code}'"))
                .ToList();
            var refused = stakeholders
                .Select(s => !s.IsCurrent ? $"stakeholder {s.Id} was removed"
                    : s.Erased ? $"stakeholder {s.Id} was erased"
                    : string.IsNullOrWhiteSpace(s.Email) ? $"stakeholder {s.Id} ({s.Name}) has no email address"
                    : null)
                .OfType<string>()
                .ToList();
            if (refused.Count > 0)
            {
                throw DomainException.Rule($"an update goes to current stakeholders with an email address: {string.Join("; ", refused)}");
            }

            asked = stakeholders.Select(s => new UpdateRecipient(s.Id, s.Name, (s.Email ?? "").Trim()))
                .Concat(c.Addresses.Select(a => new UpdateRecipient(null, "", a.Trim())));
        }

        var recipients = asked.DistinctBy(r => r.Email.ToUpperInvariant()).ToList();
        if (recipients.Count == 0)
        {
            throw DomainException.Rule(
                $"an update needs at least one recipient: relationship '{relationship.Code}' has no current stakeholder with an email address "
                + "who prefers email for this plan item's audience; name the stakeholders or addresses to send it to");
        }

        return recipients.Count <= OutreachLimits.SentRecipients
            ? recipients
            : throw DomainException.Limit(
                $"an update goes to at most {OutreachLimits.SentRecipients} recipients, and these are {recipients.Count}: name the ones to send it to");
    }

    private static string Describe(UpdateFactKind kind) => kind switch
    {
        UpdateFactKind.CommitmentDelivered => "COMMITMENT_DELIVERED",
        UpdateFactKind.CommitmentRenegotiated => "COMMITMENT_RENEGOTIATED",
        UpdateFactKind.CommitmentCancelled => "COMMITMENT_CANCELLED",
        UpdateFactKind.CommitmentComingDue => "COMMITMENT_COMING_DUE",
        UpdateFactKind.FeedbackActioned => "FEEDBACK_ACTIONED",
        UpdateFactKind.FeedbackDeclined => "FEEDBACK_DECLINED",
        UpdateFactKind.Meeting => "MEETING",
        _ => "INFORMATION_NEED",
    };

    /// <summary>An enum value as words: InProgress is "in progress".</summary>
    private static string Lower<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        string.Concat(value.ToString().Select((ch, i) => i > 0 && char.IsUpper(ch) ? $" {char.ToLowerInvariant(ch)}" : $"{char.ToLowerInvariant(ch)}"));
}
