using System.Security.Cryptography;
using System.Text;
using Brm.Domain.Outreach;
using MimeKit;

namespace Brm.Api.Outreach.Mail;

/// <summary>The messages outreach sends: one per recipient, Markdown as the plain text and its rendering as the HTML.</summary>
public static class MailMessages
{
    /// <summary>
    /// The Message-Id of what <paramref name="sourceId"/> (an update, a digest) sends to <paramref name="email"/>: the same
    /// on every attempt, so a mail server or client that sees it twice knows it is one message.
    /// </summary>
    public static string MessageId(Guid sourceId, string email, string from)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())))[..16];
        var domain = MailboxAddress.TryParse(from, out var sender) && sender.Domain is { Length: > 0 } d ? d : "localhost";
        return $"{sourceId:N}.{key}@{domain}";
    }

    public static MimeMessage Build(string from, UpdateRecipient to, string subject, string markdown, string messageId, DateTimeOffset date) =>
        Build(from, to, subject, messageId, date, new BodyBuilder { TextBody = markdown, HtmlBody = MailMarkdown.ToHtml(markdown) }.ToMessageBody());

    /// <summary>
    /// A meeting's invitation: the text and its HTML, and the iCalendar object as a third alternative,
    /// <c>text/calendar; method=REQUEST</c> (or <c>CANCEL</c>), which mail clients offer to add to (or remove from) the calendar.
    /// </summary>
    public static MimeMessage BuildInvitation(
        string from, UpdateRecipient to, string subject, string markdown, string icalendar, string method, string messageId, DateTimeOffset date)
    {
        var calendar = new TextPart("calendar") { ContentTransferEncoding = ContentEncoding.Base64 }; // base64: its CRLF line ends arrive as written
        calendar.SetText("utf-8", icalendar);
        calendar.ContentType.Parameters.Add("method", method);
        var alternatives = new MultipartAlternative
        {
            new TextPart("plain") { Text = markdown },
            new TextPart("html") { Text = MailMarkdown.ToHtml(markdown) },
            calendar,
        };
        return Build(from, to, subject, messageId, date, alternatives);
    }

    private static MimeMessage Build(string from, UpdateRecipient to, string subject, string messageId, DateTimeOffset date, MimeEntity body)
    {
        var message = new MimeMessage
        {
            Subject = subject,
            MessageId = messageId,
            Date = date,
            Body = body,
        };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(new MailboxAddress(to.Name, to.Email));
        return message;
    }
}
