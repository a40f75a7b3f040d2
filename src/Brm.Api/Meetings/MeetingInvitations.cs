using Brm.Api.Calendar;
using Brm.Api.Outreach;
using Brm.Api.Outreach.Mail;
using Brm.Domain;
using Brm.Domain.Calendar;
using Brm.Domain.Meetings;
using Brm.Domain.Outreach;
using Brm.Domain.Relationships;
using Marten;
using Microsoft.Extensions.Options;
using MimeKit;
using Wolverine;
using Wolverine.Marten;
using Wolverine.Runtime;

namespace Brm.Api.Meetings;

/// <summary>
/// Email the meeting as it stands to each invited stakeholder not yet sent it (<see cref="Meeting.InvitationsDue"/>): an
/// iCalendar invitation, or its cancellation. A durable message: see <see cref="SendMeetingInvitationsHandler"/>.
/// </summary>
public sealed record SendMeetingInvitations(Guid MeetingId);

/// <summary>Queues a meeting's invitations in the outbox of the session that changes it: they are sent after it commits, or never.</summary>
public sealed class MeetingInvitations(IWolverineRuntime runtime)
{
    public async Task QueueAsync(IDocumentSession session, Guid meetingId) =>
        await new MartenOutbox(runtime, session).SendAsync(new SendMeetingInvitations(meetingId));
}

/// <summary>
/// Sends a meeting's invitations one stakeholder at a time, as feedback invitations go (<see cref="Feedback.Links.SendFeedbackInvitationsHandler"/>):
/// each outcome recorded on the meeting's stream (<see cref="MeetingInvitationSent"/>, <see cref="MeetingInvitationFailed"/>,
/// with the meeting's <see cref="Meeting.Sequence"/>), with the stream held while it sends, so that a second handler of the
/// same message (or of a later change) skips whoever is recorded: never two invitations of one change to one person. The
/// relationship is held shared (an erasure waits, then the address is gone). The address is the stakeholder's as it is
/// now: one with none, removed, or erased is recorded failed. The mail server down: retried with backoff, the same
/// Message-Id and the same iCalendar object each time; on the last attempt, failed.
/// </summary>
public static class SendMeetingInvitationsHandler
{
    public const string Actor = DeliverUpdateHandler.Actor;

    public static async Task Handle(
        SendMeetingInvitations message,
        Envelope envelope,
        IDocumentStore store,
        IMailTransport mail,
        IOptions<SmtpOptions> smtp,
        IOptions<OutreachOptions> outreach,
        TimeProvider clock,
        ILogger<SendMeetingInvitations> logger,
        CancellationToken ct)
    {
        var lastAttempt = envelope.Attempts > outreach.Value.Retries.Length;
        var done = false;
        while (!done)
        {
            await store.InTransactionAsync(Actor, async session =>
            {
                // One round trip: the meeting's relationship held shared, then the meeting's stream locked and fetched.
                var fetched = await session.FetchForDecisionAsync<Meeting>(message.MeetingId, RelationshipHold.OfMeeting(message.MeetingId), requestId: null, ct);
                var stream = fetched.Stream;
                if (fetched is not { Relationship: { } relationship, Stream.Aggregate: { } state })
                {
                    logger.LogWarning("Meeting {MeetingId} to send invitations of was not found", message.MeetingId);
                    done = true;
                    return;
                }

                if (state.InvitationsDue() is not [var next, ..])
                {
                    done = true;
                    return;
                }

                var outcome = await OutcomeAsync(state, relationship, next, envelope.Attempts, lastAttempt, mail, smtp.Value.From, clock, ct);
                stream.AppendOne(outcome);
                await session.SaveChangesAsync(ct);
                logger.LogInformation("Meeting {MeetingId} to stakeholder {StakeholderId}: {Outcome}", state.Id, next, outcome.GetType().Name);
            }, ct);
        }
    }

    private static async Task<object> OutcomeAsync(
        Meeting meeting, Relationship relationship, Guid stakeholderId, int attempts, bool lastAttempt, IMailTransport mail, string from,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var cancellation = meeting.Status == MeetingStatus.Cancelled;
        MeetingInvitationFailed Failed(string reason) =>
            new(meeting.Id, meeting.RelationshipId, stakeholderId, meeting.Sequence, cancellation, reason, Actor, now);

        var stakeholder = relationship.Stakeholders.FirstOrDefault(s => s.Id == stakeholderId);
        if (stakeholder is not { IsCurrent: true, Erased: false, Email: { Length: > 0 } email })
        {
            return Failed(stakeholder is { IsCurrent: true, Erased: false } ? "the stakeholder has no email address" : "the stakeholder is no longer in the department");
        }

        var messageId = MailMessages.MessageId(
            DigestPreferences.DerivedId($"meeting invitation {meeting.Sequence}{(cancellation ? " cancelled" : "")}", meeting.Id.ToString()), email, from);
        var entry = CalendarEntries.Meeting(meeting, relationship, forAttendees: true);
        var attendee = new CalendarAttendee(stakeholder.Name, email);
        var icalendar = CalendarWriter.Invitation(entry, MailboxAddress.Parse(from), attendee, cancellation);
        var (subject, body) = MeetingInvitationText.Compose(entry, stakeholder.Name, cancellation, meeting.Sequence, meeting.Cancellation?.Reason);
        try
        {
            var mime = MailMessages.BuildInvitation(from, new UpdateRecipient(stakeholderId, stakeholder.Name, email), subject, body, icalendar,
                cancellation ? "CANCEL" : "REQUEST", messageId, meeting.UpdatedAt);
            return await mail.SendAsync(mime, ct) switch
            {
                MailOutcome.Refused refused => Failed(refused.Reason),
                _ => new MeetingInvitationSent(meeting.Id, meeting.RelationshipId, stakeholderId, meeting.Sequence, cancellation, messageId, Actor, now),
            };
        }
        catch (MailUnavailableException e) when (lastAttempt)
        {
            return Failed($"undeliverable after {attempts} attempts: {e.Message}");
        }
    }
}

/// <summary>The words of a meeting's invitation, of its new time and of its cancellation (times in UTC; the calendar part carries them exactly).</summary>
public static class MeetingInvitationText
{
    public static (string Subject, string BodyMarkdown) Compose(CalendarEntry meeting, string name, bool cancellation, int sequence, string? reason)
    {
        var when = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{meeting.Start:dddd d MMMM yyyy, HH:mm} UTC");
        var title = meeting.Summary;
        var (subject, lead) = (cancellation, sequence) switch
        {
            (true, _) => ($"Cancelled: {title}", $"The meeting **{title}** on {when} is cancelled." + (reason is null ? "" : $" {reason}")),
            (false, 0) => ($"Invitation: {title}, {when}", $"You are invited to **{title}** on {when}, for {Minutes(meeting)} minutes."),
            _ => ($"Moved: {title}, now {when}", $"The meeting **{title}** has moved: it is now on {when}, for {Minutes(meeting)} minutes."),
        };
        var where = !cancellation && meeting.Location is { Length: > 0 } location ? $"\n\nWhere: {location}" : "";
        var body = $"""
            Dear {name},

            {lead}{where}

            {meeting.Description} Your calendar can {(cancellation ? "remove it" : "add it")} from this message.
            """;
        return (subject, body);
    }

    private static int Minutes(CalendarEntry meeting) => (int)(meeting.End!.Value - meeting.Start!.Value).TotalMinutes;
}
