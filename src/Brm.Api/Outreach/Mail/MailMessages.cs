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

    public static MimeMessage Build(string from, UpdateRecipient to, string subject, string markdown, string messageId, DateTimeOffset date)
    {
        var body = new BodyBuilder { TextBody = markdown, HtmlBody = MailMarkdown.ToHtml(markdown) };
        var message = new MimeMessage
        {
            Subject = subject,
            MessageId = messageId,
            Date = date,
            Body = body.ToMessageBody(),
        };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(new MailboxAddress(to.Name, to.Email));
        return message;
    }
}
