using System.Text.Json;
using System.Text.RegularExpressions;
using Brm.Domain.Commitments;
using Brm.Domain.CommunicationPlans;
using Brm.Domain.Feedback;
using Brm.Domain.Idempotency;
using Brm.Domain.Meetings;
using Brm.Domain.Outreach;
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
/// Updates sent to the department are masked second, with what the first pass removed (the person's name, address
/// and words): as a recipient they become <see cref="Stakeholder.ErasedName"/> at <see cref="ErasedEmail"/>, their
/// deliveries lose the address, and the subject and body lose their name, address and words.
/// </para>
/// <para>
/// Read models: the inline <see cref="Relationship"/> document forgets the person when it folds
/// <see cref="StakeholderPersonalDataErased"/>; the inline documents of other masked streams (meetings) are folded
/// again from their masked events; the timeline rewrites its lines when it reaches the erasure event; stored
/// answers of retried requests (<see cref="ProcessedRequest"/>) that carry the stakeholder's id are blanked.
/// </para>
/// </summary>
public static class StakeholderErasure
{
    /// <summary>What the words of an erased stakeholder become (a raised point keeps its kind, so counts add up).</summary>
    public const string ErasedText = "[erased]";

    /// <summary>
    /// Every event type that can hold a stakeholder's personal data, what that event becomes without it (null:
    /// the event holds nothing of this stakeholder's), and the inline document its stream folds into. A
    /// capability whose events carry a stakeholder's name, contact details or words adds its lines here.
    /// </summary>
    private static readonly IReadOnlyList<Rule> Rules =
    [
        Rule.For<StakeholderAdded, Relationship>((e, p) => e.StakeholderId != p.Id ? null : e with
        {
            Name = Stakeholder.ErasedName, Title = "", Email = null,
        }),
        Rule.For<StakeholderUpdated, Relationship>((e, p) => e.StakeholderId != p.Id ? null : e with
        {
            Name = Stakeholder.ErasedName, Title = "", Email = null,
        }),
        // A removal's reason is free text about the person ("left for a competitor"): it goes too.
        Rule.For<StakeholderRemoved, Relationship>((e, p) => e.StakeholderId != p.Id || e.Reason is null ? null : e with { Reason = null }),
        Rule.For<MeetingHeld, Meeting>((e, p) => WithoutWordsOf(e.Conversation, p.Id) is { } c ? e with { Conversation = c } : null),
        Rule.For<ConversationLogged, Meeting>((e, p) => WithoutWordsOf(e.Conversation, p.Id) is { } c ? e with { Conversation = c } : null),
        // Tags on the person are what IT thought of them ("blocker", "ally"): they go, as the tags on the document.
        Rule.For<RelationshipTagsChanged, Relationship>(
            (e, p) => e.StakeholderId != p.Id || e.Added.Count + e.Removed.Count == 0 ? null : e with { Added = [], Removed = [] },
            theirWords: false),
        // Feedback given under their name: the comment is their words (the rating, a number, stays).
        Rule.For<FeedbackReceived, FeedbackItem>((e, p) => e.FromStakeholderId != p.Id || e.Comment is null ? null : e with { Comment = ErasedText }),
        // A refused invitation's reason often quotes the address ("550 <ana@…> unknown").
        // The Message-Id carries a digest of the address.
        Rule.For<FeedbackInvitationSent, FeedbackRequest>((e, p) => e.StakeholderId != p.Id ? null : e with { MessageId = ErasedText }, theirWords: false),
        Rule.For<FeedbackInvitationFailed, FeedbackRequest>((e, p) => e.StakeholderId != p.Id ? null : e with { Reason = ErasedText }, theirWords: false),
        // A meeting's invitations, likewise.
        Rule.For<MeetingInvitationSent, Meeting>((e, p) => e.StakeholderId != p.Id ? null : e with { MessageId = ErasedText }, theirWords: false),
        Rule.For<MeetingInvitationFailed, Meeting>((e, p) => e.StakeholderId != p.Id ? null : e with { Reason = ErasedText }, theirWords: false),
    ];

    /// <summary>
    /// The second pass, over the department's updates, with what the first removed: the person as a recipient (by id,
    /// or by address), their deliveries' address, and their name, address and words in a subject or body.
    /// </summary>
    private static readonly IReadOnlyList<Rule> UpdateRules =
    [
        Rule.For<UpdateSent, Update>((e, p) => e with
        {
            Recipients = [.. e.Recipients.Select(r => r.StakeholderId == p.Id || p.HasEmail(r.Email) ? r with { Name = Stakeholder.ErasedName, Email = ErasedEmail(p.Id) } : r)],
            Subject = p.Blank(e.Subject),
            BodyMarkdown = p.Blank(e.BodyMarkdown),
        }),
        Rule.For<UpdateDelivered, Update>((e, p) => p.HasEmail(e.Email) ? e with { Email = ErasedEmail(p.Id), MessageId = ErasedText } : null),
        // A refusal often quotes the address ("550 <ana@…> unknown").
        Rule.For<UpdateDeliveryFailed, Update>((e, p) => p.HasEmail(e.Email)
            ? e with { Email = ErasedEmail(p.Id), MessageId = ErasedText, Reason = p.Blank(e.Reason) }
            : e with { Reason = p.Blank(e.Reason) }),
        // What each commitment was told by an update is the update's subject.
        Rule.For<BusinessInformed, Commitment>((e, p) => e.UpdateId is null ? null : e with { Message = p.Blank(e.Message) }),
        // The communication an update recorded on the plan is summarised by the update's subject.
        Rule.For<CommunicationDelivered, CommunicationPlan>((e, p) => e.UpdateId is null ? null : e with { Summary = p.Blank(e.Summary) }),
    ];

    /// <summary>
    /// What an erased recipient's address becomes: no one's (the reserved <c>.invalid</c> domain), naming the stakeholder
    /// by id only, so that the erasure can find the events it masked.
    /// </summary>
    public static string ErasedEmail(Guid stakeholderId) => $"erased-{stakeholderId}@erased.invalid";

    /// <summary>True for an address <see cref="ErasedEmail"/> made: nothing may be sent to it.</summary>
    public static bool IsErasedEmail(string email) => email.EndsWith("@erased.invalid", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Decides the erasure on the relationship's stream, masks every stored event that holds the person's data,
    /// folds again the inline documents of the other streams it masked (meetings), and blanks the stored answers
    /// that carry the stakeholder's id (by reference: never an answer that merely contains the same text), all in <paramref name="session"/>: nothing is written until it is saved, and then
    /// all of it commits together. Repeating an erasure appends nothing and finds nothing left to mask.
    /// </summary>
    public static async Task<Decided<Relationship>> EraseStakeholderPersonalDataAsync(
        this IDocumentSession session, EraseStakeholderPersonalData command, long? expectedVersion, CancellationToken ct)
    {
        // Every write that read this relationship (RelationshipHold: FOR SHARE) has committed or waits for this one.
        await session.LockStreamAsync(command.RelationshipId, exclusive: true, ct);
        var history = await HistoryAsync(session, command.RelationshipId, command.StakeholderId, ct);
        var decided = await session.Decide<Relationship>(
            command.RelationshipId, expectedVersion, state => RelationshipDecider.Decide(command with { History = history }, state), ct);

        var masked = new List<(IEvent Event, Rule Rule)>();
        var removed = new List<string>();
        void Mask(IEnumerable<IEvent> events, IReadOnlyList<Rule> rules, Person person)
        {
            foreach (var stored in events)
            {
                foreach (var rule in rules.Where(r => r.EventType == stored.EventType))
                {
                    if (rule.Erase(stored.Data, person) is { } without && StringsRemoved(stored.Data, without).ToList() is { Count: > 0 } gone)
                    {
                        if (rule.TheirWords)
                        {
                            removed.AddRange(gone);
                        }

                        rule.Replace(stored, without);
                        session.Events.OverwriteEvent(stored);
                        masked.Add((stored, rule));
                    }
                }
            }
        }

        Mask(await EventsNamingAsync(session, command.StakeholderId, ct), Rules, new Person(command.StakeholderId, []));

        // A delivery holds its update's stream while it sends and records (DeliverUpdateHandler): held here too, no
        // delivery records the person's address after it was masked, and one that starts after reads it masked.
        await LockUpdatesAsync(session, command.RelationshipId, ct);
        Mask(await UpdateEventsAsync(session, command.RelationshipId, ct), UpdateRules, new Person(command.StakeholderId, [.. removed.Distinct()]));

        // The relationship's own document forgets the person by folding StakeholderPersonalDataErased.
        foreach (var stream in masked.Where(m => m.Event.StreamId != command.RelationshipId).GroupBy(m => m.Event.StreamId))
        {
            await stream.First().Rule.RefoldAsync(session, stream.Key, stream.Select(m => m.Event).ToList(), ct);
        }

        ProcessedRequest.BlankAnswersQuoting(session, command.StakeholderId);
        return decided;
    }

    /// <summary>
    /// The stored events of the types <see cref="Rules"/> knows whose data names the stakeholder's id, wherever they
    /// are: after an erasure, those that were masked (an asynchronous read model rewrites what it made of them).
    /// </summary>
    public static async Task<IReadOnlyList<IEvent>> EventsNamingAsync(IQuerySession session, Guid stakeholderId, CancellationToken ct)
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

    /// <summary>
    /// The events an erasure may have masked, as they are now: those naming the stakeholder, and those of the
    /// department's updates (a read model written from them writes them again).
    /// </summary>
    public static async Task<IReadOnlyList<IEvent>> MaskedByAsync(IQuerySession session, StakeholderPersonalDataErased erased, CancellationToken ct) =>
        [.. await EventsNamingAsync(session, erased.StakeholderId, ct), .. await UpdateEventsAsync(session, erased.RelationshipId, ct)];

    private static async Task LockUpdatesAsync(IDocumentSession session, Guid relationshipId, CancellationToken ct) =>
        await session.QueryAsync<int>(
            $"select 1 from {BrmDomain.Schema}.mt_streams as s join {BrmDomain.Schema}.mt_doc_update as u on u.id = s.id where u.relationship_id = ? for update of s",
            ct, relationshipId);

    /// <summary>The events of the department's updates: the sending, each delivery, and the communication each recorded.</summary>
    private static async Task<IReadOnlyList<IEvent>> UpdateEventsAsync(IQuerySession session, Guid relationshipId, CancellationToken ct)
    {
        var naming = session.DocumentStore.Options.Events.EventNamingStyle;
        var sequences = await session.QueryAsync<long>(
            $"select seq_id from {BrmDomain.Schema}.mt_events where type = any(?) and data ->> 'RelationshipId' = ?",
            ct,
            UpdateRules.Select(r => r.EventType.GetEventTypeName(naming)).ToArray(),
            relationshipId.ToString());
        var wanted = sequences.ToArray();
        return wanted.Length == 0 ? [] : await session.Events.QueryAllRawEvents().Where(e => wanted.Contains(e.Sequence)).ToListAsync(ct);
    }

    // What the relationship's own events say of the stakeholder: its document keeps only the last removals, and a
    // person removed long ago is owed erasure all the same.
    private static async Task<StakeholderHistory> HistoryAsync(IQuerySession session, Guid relationshipId, Guid stakeholderId, CancellationToken ct)
    {
        var naming = session.DocumentStore.Options.Events.EventNamingStyle;
        var added = typeof(StakeholderAdded).GetEventTypeName(naming);
        var erased = typeof(StakeholderPersonalDataErased).GetEventTypeName(naming);
        var types = await session.QueryAsync<string>(
            $"select distinct type from {BrmDomain.Schema}.mt_events where stream_id = ? and type = any(?) and data ->> 'StakeholderId' = ?",
            ct,
            relationshipId,
            new[] { added, erased },
            stakeholderId.ToString());
        return types.Contains(erased) ? StakeholderHistory.Erased : types.Contains(added) ? StakeholderHistory.Added : StakeholderHistory.Unknown;
    }

    // The points raised in a conversation whose only business participant was this stakeholder are their words.
    // With several stakeholders present, points are not attributed to anyone, and stay.
    private static Conversation? WithoutWordsOf(Conversation conversation, Guid stakeholderId) =>
        conversation.StakeholderIds is [var only] && only == stakeholderId && conversation.BusinessRaised.Count > 0
            ? conversation with { BusinessRaised = [.. conversation.BusinessRaised.Select(p => p with { Text = ErasedText })] }
            : null;

    // The text values of the original event that the masked one no longer has (none: the event needs no rewrite).
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

    /// <summary>
    /// The stakeholder being erased, and (for the second pass) the texts of theirs the first removed: their name,
    /// address, title and words. Texts under three characters are left alone (they would blank common words).
    /// </summary>
    private sealed record Person(Guid Id, IReadOnlyList<string> Removed)
    {
        private readonly Regex? _words = Removed.Where(t => t.Trim().Length >= 3).ToList() is { Count: > 0 } texts
            ? new Regex(
                string.Join('|', texts.SelectMany(t => new[] { t.Trim(), MarkdownText.Escape(t) }).Distinct().OrderByDescending(t => t.Length)
                    .Select(t => $@"(?<!\w){Regex.Escape(t)}(?!\w)")),
                RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(5))
            : null;

        public bool HasEmail(string email) => Removed.Any(t => EmailAddress.IsValid(t) && string.Equals(t, email, StringComparison.OrdinalIgnoreCase));

        /// <summary>The text with every whole occurrence of the person's texts (as written, or escaped for Markdown) blanked.</summary>
        public string Blank(string text) => _words?.Replace(text, ErasedText) ?? text;
    }

    /// <param name="TheirWords">
    /// Whether what the rule removes is the person's own (name, address, words), to be blanked wherever the updates
    /// quote it too; false for IT's labels on them (tags), which are common words ("security") found everywhere.
    /// </param>
    private sealed record Rule(
        Type EventType,
        Func<object, Person, object?> Erase,
        Action<IEvent, object> Replace,
        Func<IDocumentSession, Guid, IReadOnlyList<IEvent>, CancellationToken, Task> RefoldAsync,
        bool TheirWords)
    {
        public static Rule For<TEvent, TState>(Func<TEvent, Person, TEvent?> erase, bool theirWords = true)
            where TEvent : class
            where TState : class, IEventSourced<TState> =>
            new(typeof(TEvent),
                (data, person) => data is TEvent e ? erase(e, person) : null,
                (stored, masked) => ((Event<TEvent>)stored).Data = (TEvent)masked,
                Refold<TState>,
                theirWords);

        // The stream's document, folded again from its events with the masked ones in place.
        private static async Task Refold<TState>(IDocumentSession session, Guid streamId, IReadOnlyList<IEvent> masked, CancellationToken ct)
            where TState : class, IEventSourced<TState>
        {
            var bySequence = masked.ToDictionary(e => e.Sequence);
            var events = await session.Events.FetchStreamAsync(streamId, token: ct);
            var state = events
                .Select(e => bySequence.GetValueOrDefault(e.Sequence, e))
                .Aggregate((TState?)null, (current, e) => TState.Fold(current, e.Data).WithVersion(e.Version));
            if (state is not null)
            {
                session.Store(state);
            }
        }
    }
}
