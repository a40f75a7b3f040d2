using Brm.Domain.Calendar;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using MimeKit;
using IcalCalendar = Ical.Net.Calendar;

namespace Brm.Api.Calendar;

/// <summary>
/// Calendar entries as iCalendar (RFC 5545) text, written by Ical.Net: CRLF line ends, lines folded at 75 octets, texts
/// escaped. Times are UTC (no VTIMEZONE needed); days are all-day events (DATE values) that do not block time, since
/// calendar clients that subscribe to a feed show VEVENTs and often ignore VTODOs. The BRM's feed has no METHOD and its
/// DTSTAMP is each entry's last change (so the same record gives the same text); an invitation is METHOD:REQUEST or
/// METHOD:CANCEL (RFC 5546), its DTSTAMP the meeting's last change, the same on every attempt.
/// </summary>
public static class CalendarWriter
{
    public const string ProductId = "-//BRM CRM//Calendar//EN";

    /// <summary>The BRM's feed: every entry, named after them.</summary>
    public static string Feed(string manager, IReadOnlyList<CalendarEntry> entries)
    {
        var calendar = new IcalCalendar { ProductId = ProductId };
        calendar.AddProperty("X-WR-CALNAME", $"BRM: {manager}");
        calendar.AddProperty("X-PUBLISHED-TTL", "PT1H"); // how often clients that honour it should look again
        foreach (var entry in entries)
        {
            calendar.Events.Add(Event(entry, entry.LastModified, organiser: null, attendees: entry.Attendees));
        }

        return Serialize(calendar);
    }

    /// <summary>
    /// A meeting's invitation (METHOD:REQUEST) or cancellation (METHOD:CANCEL) to one stakeholder: organised by the service's
    /// mailbox on the organiser's behalf, with the recipient as the only ATTENDEE (no other stakeholder's address is disclosed).
    /// </summary>
    public static string Invitation(CalendarEntry meeting, MailboxAddress organiser, CalendarAttendee recipient, bool cancellation)
    {
        var calendar = new IcalCalendar { ProductId = ProductId, Method = cancellation ? "CANCEL" : "REQUEST" };
        var e = Event(meeting, meeting.LastModified, new Organizer($"mailto:{organiser.Address}")
        {
            CommonName = Parameter(meeting.Organiser ?? organiser.Name ?? organiser.Address),
        }, [recipient]);
        e.Attendees[0].Rsvp = !cancellation;
        calendar.Events.Add(e);
        return Serialize(calendar);
    }

    private static CalendarEvent Event(CalendarEntry entry, DateTimeOffset stamp, Organizer? organiser, IReadOnlyList<CalendarAttendee> attendees)
    {
        var e = new CalendarEvent
        {
            Uid = entry.Uid,
            DtStamp = Utc(stamp),
            LastModified = Utc(stamp),
            Sequence = entry.Sequence,
            Summary = entry.Summary,
            Description = entry.Description,
        };
        if (entry is { Start: { } start, End: { } end })
        {
            e.DtStart = Utc(start);
            e.DtEnd = Utc(end);
            e.Status = entry.Cancelled ? "CANCELLED" : "CONFIRMED";
            e.Location = entry.Location;
        }
        else
        {
            var day = entry.Day ?? throw new InvalidOperationException($"calendar entry {entry.Uid} has neither times nor a day");
            e.DtStart = new CalDateTime(day);
            e.DtEnd = new CalDateTime(day.AddDays(1));
            e.Transparency = "TRANSPARENT";
        }

        e.Organizer = organiser;
        foreach (var attendee in attendees)
        {
            e.Attendees.Add(Attendee(attendee));
        }

        return e;
    }

    private static Attendee Attendee(CalendarAttendee person) => new($"mailto:{person.Email}")
    {
        CommonName = Parameter(person.Name), Role = "REQ-PARTICIPANT", ParticipationStatus = "NEEDS-ACTION",
    };

    // A parameter value may not hold a double quote (RFC 5545 3.1: it delimits the value), nor line breaks.
    private static string Parameter(string text) => text.Replace('"', '\'').ReplaceLineEndings(" ");

    private static CalDateTime Utc(DateTimeOffset at) => new(at.UtcDateTime, "UTC", hasTime: true);

    private static string Serialize(IcalCalendar calendar) =>
        new CalendarSerializer().SerializeToString(calendar) ?? throw new InvalidOperationException("Ical.Net wrote no calendar");
}
