using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace Passport.Notifications;

/// <summary>What a message says; plain text, with no special-category data (no health, no DBS details).</summary>
public sealed record MessageContent(string TemplateKey, string Subject, string Body);

public static partial class NotificationAddresses
{
    /// <summary>A plain e-mail address: one @, a dotted domain, no spaces or display name.</summary>
    public static bool IsEmail(string? value) => value is { Length: <= 254 } && EmailPattern().IsMatch(value);

    /// <summary>A mobile number in international form, as Notify takes it: + and 8 to 15 digits.</summary>
    public static bool IsMobile(string? value) => value is not null && MobilePattern().IsMatch(value);

    public static bool IsContact(string? value) => IsEmail(value) || IsMobile(value);

    /// <summary>A UK mobile as HR may type it (07700 900123, +44 7700 900123) in international form; null when it is not one.</summary>
    public static string? NormaliseMobile(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var digits = value.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (digits.StartsWith("07", StringComparison.Ordinal) && digits.Length == 11)
            digits = "+44" + digits[1..];
        return IsMobile(digits) ? digits : null;
    }

    [GeneratedRegex(@"^[^@\s<>()\[\],;:""]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\+[1-9][0-9]{7,14}$")]
    private static partial Regex MobilePattern();
}

public static class NotificationWriter
{
    /// <summary>The channel for each usable address, each address once (ignoring case); SMS only when enabled.</summary>
    public static IEnumerable<(string Channel, string Address)> Route(IEnumerable<string?> addresses, bool smsEnabled)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        foreach (var address in addresses.Select(a => a?.Trim()).OfType<string>().Where(a => a.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (NotificationAddresses.IsEmail(address))
                yield return (NotificationChannels.Email, address);
            else if (smsEnabled && NotificationAddresses.IsMobile(address))
                yield return (NotificationChannels.Sms, address);
        }
    }

    /// <summary>
    /// Queues <paramref name="content"/> to each address (an e-mail address or a mobile number) in <paramref name="db"/>'s
    /// unit of work: sent only if the surrounding SaveChanges commits. Empty and unusable addresses are skipped, as are SMS
    /// when <paramref name="smsEnabled"/> is false; an address given twice gets one message.
    /// </summary>
    public static int QueueNotifications(this DbContext db, string odsCode, Guid sourceId, IEnumerable<string?> addresses, MessageContent content,
        bool smsEnabled, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(content);
        var queued = 0;
        foreach (var (channel, address) in Route(addresses, smsEnabled))
        {
            db.Set<Notification>().Add(new Notification
            {
                OdsCode = odsCode, SourceId = sourceId, Channel = channel, Recipient = address, TemplateKey = content.TemplateKey,
                Subject = content.Subject, Body = content.Body, CreatedAt = now, NextAttemptAt = now,
            });
            queued++;
        }
        return queued;
    }
}
