using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Brm.Api.Outreach.Mail;

/// <summary>What became of one message handed to the transport.</summary>
public abstract record MailOutcome
{
    /// <summary>The server accepted it (or it was written to the pickup folder).</summary>
    public sealed record Accepted : MailOutcome;

    /// <summary>Refused for good (a 5xx answer: no such mailbox, say): trying again will not help.</summary>
    public sealed record Refused(string Reason) : MailOutcome;
}

/// <summary>The server cannot be reached, or answered "try later" (4xx): the delivery is retried with backoff.</summary>
public sealed class MailUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>Hands one message (one recipient) to the mail server, or to the pickup folder.</summary>
public interface IMailTransport
{
    /// <summary>Where mail goes, for the log: the server, or the folder.</summary>
    string Destination { get; }

    /// <exception cref="MailUnavailableException">the server cannot take it now.</exception>
    Task<MailOutcome> SendAsync(MimeMessage message, CancellationToken ct);
}

/// <summary>SMTP through MailKit: one connection per message, STARTTLS and authentication as configured.</summary>
public sealed class SmtpTransport(IOptions<SmtpOptions> options) : IMailTransport
{
    private SmtpOptions Options => options.Value;

    public string Destination => $"smtp://{Options.Host}:{Options.Port}";

    public async Task<MailOutcome> SendAsync(MimeMessage message, CancellationToken ct)
    {
        using var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(Options.Host!, Options.Port, Options.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, ct);
            if (!string.IsNullOrEmpty(Options.User))
            {
                await client.AuthenticateAsync(Options.User, Options.Password ?? "", ct);
            }

            await client.SendAsync(message, ct);
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500)
        {
            return new MailOutcome.Refused($"{(int)e.StatusCode} {e.Message}");
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or SocketException or IOException
                                      or TimeoutException or ServiceNotConnectedException or AuthenticationException)
        {
            throw new MailUnavailableException($"the mail server {Destination} cannot take the message now: {e.Message}", e);
        }

        // The server took the message: a failure to say goodbye must not send it again.
        try
        {
            await client.DisconnectAsync(quit: true, ct);
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or SocketException or IOException or TimeoutException)
        {
            // Accepted all the same.
        }

        return new MailOutcome.Accepted();
    }
}

/// <summary>
/// No mail server: each message becomes <c>&lt;Message-Id&gt;.eml</c> in the pickup folder, written whole (a temporary
/// file renamed into place), so a message delivered twice is one file.
/// </summary>
public sealed class PickupFolderTransport(string folder) : IMailTransport
{
    public string Destination => folder;

    public async Task<MailOutcome> SendAsync(MimeMessage message, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName(message.MessageId ?? throw new InvalidOperationException("a message without a Message-Id")));
        var temporary = path + ".tmp";
        await message.WriteToAsync(temporary, ct);
        File.Move(temporary, path, overwrite: true);
        return new MailOutcome.Accepted();
    }

    /// <summary>The Message-Id as a file name: only letters, digits, dot, dash and @ kept.</summary>
    public static string FileName(string messageId) =>
        new string([.. messageId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '@' ? c : '_')]) + ".eml";
}
