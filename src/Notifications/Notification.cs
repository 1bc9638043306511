using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Passport.Notifications;

public static class NotificationChannels
{
    public const string Email = "email";
    public const string Sms = "sms";
}

public static class NotificationStates
{
    /// <summary>Waiting for its first or next attempt.</summary>
    public const string Pending = "pending";

    public const string Sent = "sent";

    /// <summary>No channel is configured (the embedded default): written to the log, never sent.</summary>
    public const string Logged = "logged";

    /// <summary>Every attempt failed; <see cref="Notification.LastError"/> says why.</summary>
    public const string Failed = "failed";
}

/// <summary>
/// One message to one address on one channel, written in the transaction of the change (or the inbox of the event) that
/// causes it and sent later by <see cref="NotificationDispatcher{TContext}"/>. Its source, recipient and channel are unique,
/// so a redelivered event or a repeated pass never makes a second message.
/// </summary>
public sealed class Notification
{
    public long Id { get; private set; }

    /// <summary>The organisation whose people or contacts it is for; it lists its own.</summary>
    public required string OdsCode { get; init; }

    /// <summary>The event's message id, or an id derived from what caused it (see <see cref="NotificationSource"/>).</summary>
    public required Guid SourceId { get; init; }

    public required string Channel { get; init; }
    public required string Recipient { get; init; }
    public required string TemplateKey { get; init; }
    public required string Subject { get; init; }
    public required string Body { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string State { get; private set; } = NotificationStates.Pending;
    public int Attempts { get; private set; }
    public required DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; private set; }
    public string? LastError { get; private set; }

    public void MarkSent(DateTimeOffset now, bool logged)
    {
        Attempts++;
        State = logged ? NotificationStates.Logged : NotificationStates.Sent;
        SentAt = now;
        LastError = null;
    }

    /// <summary>Schedules the next attempt with exponential backoff, or gives up after <paramref name="maxAttempts"/>.</summary>
    public void MarkFailed(string error, DateTimeOffset now, int maxAttempts, TimeSpan firstBackoff, TimeSpan maxBackoff)
    {
        Attempts++;
        LastError = error.Length > 500 ? error[..500] : error;
        if (Attempts >= maxAttempts)
        {
            State = NotificationStates.Failed;
            return;
        }
        var delay = firstBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(Attempts - 1, 20));
        NextAttemptAt = now + TimeSpan.FromMilliseconds(Math.Min(delay, maxBackoff.TotalMilliseconds));
    }
}

/// <summary>Stable source ids for messages that no single event names (a weekly reminder, say).</summary>
public static class NotificationSource
{
    public static Guid From(string key)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return new Guid(hash[..16]);
    }
}

public static class NotificationModel
{
    public const string Table = "notifications";

    /// <summary>Maps the notifications table into a service's own DbContext (and so its own schema).</summary>
    public static ModelBuilder AddNotifications(this ModelBuilder model)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Entity<Notification>(e =>
        {
            e.ToTable(Table);
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.OdsCode).HasColumnName("ods_code").HasMaxLength(10);
            e.Property(x => x.SourceId).HasColumnName("source_id");
            e.Property(x => x.Channel).HasColumnName("channel").HasMaxLength(10);
            e.Property(x => x.Recipient).HasColumnName("recipient").HasMaxLength(320);
            e.Property(x => x.TemplateKey).HasColumnName("template_key").HasMaxLength(60);
            e.Property(x => x.Subject).HasColumnName("subject").HasMaxLength(200);
            e.Property(x => x.Body).HasColumnName("body").HasMaxLength(4000);
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.State).HasColumnName("state").HasMaxLength(10);
            e.Property(x => x.Attempts).HasColumnName("attempts");
            e.Property(x => x.NextAttemptAt).HasColumnName("next_attempt_at");
            e.Property(x => x.SentAt).HasColumnName("sent_at");
            e.Property(x => x.LastError).HasColumnName("last_error").HasMaxLength(500);
            e.HasIndex(x => new { x.SourceId, x.Recipient, x.Channel }).IsUnique();
            e.HasIndex(x => x.NextAttemptAt).HasFilter("state = 'pending'");
            e.HasIndex(x => new { x.OdsCode, x.CreatedAt });
        });
        return model;
    }
}
