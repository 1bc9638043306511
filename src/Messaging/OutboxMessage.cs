using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Passport.Messaging;

/// <summary>An event waiting to be published, written in the same transaction as the state change it reports.</summary>
public sealed class OutboxMessage
{
    public long Id { get; private set; }
    public required Guid MessageId { get; init; }
    public required string MessageType { get; init; }
    public required string Body { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public Guid? CorrelationId { get; init; }
    public string? TraceParent { get; init; }
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}

/// <summary>A message a consumer has already applied; committed with the consumer's effect, so redelivery is harmless.</summary>
public sealed class InboxMessage
{
    public required Guid MessageId { get; init; }
    public required string Consumer { get; init; }
    public required DateTimeOffset ProcessedAt { get; init; }
}

public static class OutboxModel
{
    public const string OutboxTable = "outbox_messages";
    public const string InboxTable = "inbox_messages";

    /// <summary>Maps the outbox and inbox tables into a service's own DbContext (and so its own schema).</summary>
    public static ModelBuilder AddOutboxAndInbox(this ModelBuilder model)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Entity<OutboxMessage>(e =>
        {
            e.ToTable(OutboxTable);
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.MessageId).HasColumnName("message_id");
            e.Property(x => x.MessageType).HasColumnName("message_type").HasMaxLength(200);
            e.Property(x => x.Body).HasColumnName("body");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.CorrelationId).HasColumnName("correlation_id");
            e.Property(x => x.TraceParent).HasColumnName("trace_parent").HasMaxLength(100);
            e.Property(x => x.SentAt).HasColumnName("sent_at");
            e.Property(x => x.Attempts).HasColumnName("attempts");
            e.Property(x => x.LastError).HasColumnName("last_error").HasMaxLength(2000);
            e.HasIndex(x => x.MessageId).IsUnique();
            e.HasIndex(x => x.SentAt).HasFilter("sent_at IS NULL");
        });
        model.Entity<InboxMessage>(e =>
        {
            e.ToTable(InboxTable);
            e.HasKey(x => new { x.MessageId, x.Consumer });
            e.Property(x => x.MessageId).HasColumnName("message_id");
            e.Property(x => x.Consumer).HasColumnName("consumer").HasMaxLength(200);
            e.Property(x => x.ProcessedAt).HasColumnName("processed_at");
        });
        return model;
    }

    /// <summary>Queues an event in the outbox; it is published only if the surrounding SaveChanges commits.</summary>
    public static OutboxMessage AddOutboxMessage<T>(this DbContext db, T message, DateTimeOffset now, Guid? correlationId = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        var row = NewOutboxMessage(message, now, correlationId);
        db.Set<OutboxMessage>().Add(row);
        return row;
    }

    /// <summary>An outbox row for <paramref name="message"/>, not yet added: for bulk writers that insert rows themselves, in the transaction of the change.</summary>
    public static OutboxMessage NewOutboxMessage<T>(T message, DateTimeOffset now, Guid? correlationId = null) where T : class => new()
    {
        MessageId = NewId.NextGuid(),
        MessageType = typeof(T).FullName!,
        Body = JsonSerializer.Serialize(message),
        CreatedAt = now,
        CorrelationId = correlationId,
        TraceParent = System.Diagnostics.Activity.Current?.Id,
    };
}
