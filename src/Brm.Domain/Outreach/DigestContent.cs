using System.Globalization;
using System.Text;
using Brm.Domain.CommunicationPlans;

namespace Brm.Domain.Outreach;

/// <summary>A BRM's digest as it goes out: the subject, the Markdown body, and what it counts.</summary>
public sealed record DigestContent(string Subject, string BodyMarkdown, int Entries, int UntoldDeclines)
{
    /// <summary>How far ahead a digest looks: the week it covers.</summary>
    public const int HorizonDays = 7;

    private static readonly Dictionary<AgendaAction, string> Actions = new()
    {
        [AgendaAction.RecordCommunication] = "record the communication",
        [AgendaAction.DeliverCommitment] = "deliver it, or renegotiate",
        [AgendaAction.AcknowledgeFeedback] = "acknowledge it",
        [AgendaAction.ActionFeedback] = "act on it, or decline with a reason",
        [AgendaAction.RespondToFeedback] = "tell them why",
        [AgendaAction.LogConversation] = "talk to them",
        [AgendaAction.HoldMeeting] = "record it as held, or cancel it",
        [AgendaAction.SendUpdate] = "check the address and send again",
    };

    /// <summary>
    /// The digest of <paramref name="entries"/> (the BRM's agenda, in its order) for the week starting
    /// <paramref name="weekOf"/>: declines the business was not told of first, then what is overdue, then what falls due
    /// this week. Every text from the record is escaped for Markdown (<see cref="MarkdownText.Escape"/>), so it prints
    /// as written and never becomes markup.
    /// </summary>
    public static DigestContent Compose(string manager, DateOnly weekOf, IReadOnlyList<AgendaEntry> entries)
    {
        var untold = entries.Where(e => e.UntoldDecline).ToList();
        var overdue = entries.Where(e => !e.UntoldDecline && e.Overdue).ToList();
        var coming = entries.Where(e => !e.UntoldDecline && !e.Overdue).ToList();
        var week = weekOf.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

        var subject = entries.Count == 0
            ? $"Your BRM week of {week}: nothing due"
            : $"Your BRM week of {week}: {Count(entries.Count, "entry", "entries")}"
              + (untold.Count > 0 ? $", {Count(untold.Count, "decline", "declines")} to explain" : "")
              + (overdue.Count > 0 ? $", {overdue.Count} overdue" : "");

        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"# Your week of {week}\n\n");
        body.Append(CultureInfo.InvariantCulture, $"For {MarkdownText.Escape(manager)}: your agenda as it stands.\n\n");
        if (entries.Count == 0)
        {
            body.Append("Nothing is due this week and nothing is overdue.\n");
        }

        Section(body, "Tell the business why", "Feedback you declined, and the business has not been told why.", untold);
        Section(body, "Overdue", null, overdue);
        Section(body, "Due this week", null, coming);
        return new DigestContent(subject, body.ToString(), entries.Count, untold.Count);
    }

    private static void Section(StringBuilder body, string title, string? intro, IReadOnlyList<AgendaEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        body.Append(CultureInfo.InvariantCulture, $"## {title}\n\n");
        if (intro is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"{intro}\n\n");
        }

        foreach (var e in entries)
        {
            var when = e.DueOn is { } on
                ? string.Create(CultureInfo.InvariantCulture, $"due {on:yyyy-MM-dd}")
                : string.Create(CultureInfo.InvariantCulture, $"since {e.Since.UtcDateTime:yyyy-MM-dd}");
            body.Append(CultureInfo.InvariantCulture,
                $"- **{MarkdownText.Escape(e.Department)}**, {Kind(e.Kind)}: {MarkdownText.Escape(e.What)} ({when}): {Actions[e.Action]}\n");
        }

        body.Append('\n');
    }

    private static string Kind(AgendaEntryKind kind) => kind switch
    {
        AgendaEntryKind.Communication => "communication",
        AgendaEntryKind.Commitment => "commitment",
        AgendaEntryKind.Feedback => "feedback",
        AgendaEntryKind.Stakeholder => "stakeholder",
        AgendaEntryKind.Meeting => "meeting",
        AgendaEntryKind.UpdateDelivery => "update not delivered",
        _ => kind.ToString(),
    };

    private static string Count(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{n} {many}";
}
