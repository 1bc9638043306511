using System.ComponentModel.DataAnnotations;

namespace Passport.Notifications;

public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>
    /// The web front end's public address. Each message links to the page it is about under it (a person who is not signed in
    /// signs in first and lands there). Messages carry this link, never data. Empty: the service's own public address, which is
    /// right for the embedded host, where the pages and the API share one address.
    /// </summary>
    public Uri? WebBaseUrl { get; set; }

    public SmtpOptions Smtp { get; set; } = new();

    public SmsOptions Sms { get; set; } = new();

    /// <summary>
    /// Addresses per organisation (ODS code) and role, for messages to a team rather than a person:
    /// <c>Notifications:Contacts:RHQ:hr_issuer:0 = hr@northgate.nhs.uk</c>. An address with <c>@</c> is emailed; one
    /// starting with <c>+</c> gets an SMS when SMS is configured.
    /// </summary>
    public Dictionary<string, Dictionary<string, string[]>> Contacts { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one send may take before it counts as failed.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IReadOnlyList<string> ContactsFor(string odsCode, string role) =>
        Contacts.TryGetValue(odsCode, out var roles) && roles.FirstOrDefault(r => string.Equals(r.Key, role, StringComparison.OrdinalIgnoreCase)).Value is { } list
            ? list
            : [];
}

public sealed class SmtpOptions
{
    /// <summary>No host: messages are recorded and written to the log, not sent (the embedded default).</summary>
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>STARTTLS (or TLS on port 465) is required unless set to false, which only a local relay should need.</summary>
    public bool UseTls { get; set; } = true;

    public string? User { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "Passport <no-reply@passport.nhs.uk>";
}

/// <summary>A GOV.UK Notify-style SMS API: off unless <see cref="BaseUrl"/>, <see cref="ApiKey"/> and <see cref="TemplateId"/> are set.</summary>
public sealed class SmsOptions
{
    /// <summary>For GOV.UK Notify, <c>https://api.notifications.service.gov.uk</c>.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Notify's API key: <c>{name}-{service id}-{secret key}</c>, two UUIDs at the end.</summary>
    public string? ApiKey { get; set; }

    /// <summary>A Notify text message template whose whole content is <c>((body))</c>.</summary>
    public string? TemplateId { get; set; }

    public bool Enabled => BaseUrl is not null && !string.IsNullOrWhiteSpace(ApiKey) && !string.IsNullOrWhiteSpace(TemplateId);
}
