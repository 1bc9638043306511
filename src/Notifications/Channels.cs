using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Passport.Notifications;

/// <summary>One way of reaching people. A send that throws is retried later; one that returns has been accepted.</summary>
public interface IMessageChannel
{
    /// <summary><see cref="NotificationChannels.Email"/> or <see cref="NotificationChannels.Sms"/>.</summary>
    string Name { get; }

    /// <summary>False when nothing is configured to send with: messages are then only recorded and logged.</summary>
    bool IsConfigured { get; }

    Task SendAsync(Notification message, CancellationToken cancellationToken);
}

internal sealed class SmtpChannel(IOptions<NotificationOptions> options) : IMessageChannel
{
    public string Name => NotificationChannels.Email;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.Smtp.Host);

    public async Task SendAsync(Notification message, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        using var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(smtp.From));
        mail.To.Add(MailboxAddress.Parse(message.Recipient));
        mail.Subject = message.Subject;
        // Stable per notification: a resend after a crash between sending and recording can be recognised by the receiver.
        mail.MessageId = $"notification-{message.Id}-{message.SourceId:N}@passport.nhs.uk";
        mail.Body = new TextPart("plain") { Text = message.Body };
        using var client = new SmtpClient { Timeout = (int)options.Value.SendTimeout.TotalMilliseconds };
        var security = !smtp.UseTls ? SecureSocketOptions.None : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
        await client.ConnectAsync(smtp.Host!, smtp.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.User))
            await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", cancellationToken);
        await client.SendAsync(mail, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}

/// <summary>
/// GOV.UK Notify's send-a-text-message call (<c>POST /v2/notifications/sms</c>), authenticated with a short-lived HS256
/// JWT made from the API key as Notify requires. Another provider with the same shape works too.
/// </summary>
internal sealed class NotifySmsChannel(IHttpClientFactory clients, IOptions<NotificationOptions> options, TimeProvider time) : IMessageChannel
{
    public const string ClientName = "notify-sms";

    public string Name => NotificationChannels.Sms;

    public bool IsConfigured => options.Value.Sms.Enabled;

    public async Task SendAsync(Notification message, CancellationToken cancellationToken)
    {
        var sms = options.Value.Sms;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(sms.BaseUrl!, "v2/notifications/sms"))
        {
            Content = JsonContent.Create(new
            {
                phone_number = message.Recipient,
                template_id = sms.TemplateId,
                personalisation = new { body = message.Body },
                reference = message.SourceId.ToString("N"),
            }),
        };
        request.Headers.Authorization = new("Bearer", Token(sms.ApiKey!, time.GetUtcNow()));
        using var http = clients.CreateClient(ClientName);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"The SMS provider answered {(int)response.StatusCode}.");
    }

    // Notify: the key ends with the service id and the secret, 36 characters each; iss is the service id.
    internal static string Token(string apiKey, DateTimeOffset now)
    {
        if (apiKey.Length < 74)
            throw new InvalidOperationException("Notifications:Sms:ApiKey is not a Notify API key ({name}-{service id}-{secret}).");
        var secret = apiKey[^36..];
        var serviceId = apiKey[^73..^37];
        static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = B64(JsonSerializer.SerializeToUtf8Bytes(new { typ = "JWT", alg = "HS256" }));
        var payload = B64(JsonSerializer.SerializeToUtf8Bytes(new { iss = serviceId, iat = now.ToUnixTimeSeconds() }));
        var signature = B64(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }
}
