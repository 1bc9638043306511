using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Passport.Messaging;

/// <summary>
/// The outbox's and inbox's traces and metrics: <c>passport.outbox.pending</c> (rows not yet published, per service),
/// <c>passport.outbox.published</c>, <c>passport.outbox.lag</c> (commit to publish) and <c>passport.inbox.processed</c>.
/// </summary>
public static class MessagingTelemetry
{
    public const string Name = "Passport.Messaging";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);
    private static readonly ConcurrentDictionary<string, long> PendingByContext = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, long> InboxByContext = new(StringComparer.Ordinal);
    private static readonly Counter<long> PublishedCounter = Meter.CreateCounter<long>("passport.outbox.published", "{message}", "Outbox rows published to the bus.");
    private static readonly Counter<long> InboxCounter = Meter.CreateCounter<long>("passport.inbox.processed", "{message}", "Messages a consumer applied and recorded in its inbox.");
    private static readonly Histogram<double> LagHistogram = Meter.CreateHistogram<double>("passport.outbox.lag", "ms", "From an outbox row's commit to its publication, for the oldest row of each batch.");

    static MessagingTelemetry()
    {
        Meter.CreateObservableGauge("passport.outbox.pending",
            () => PendingByContext.Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>("context", p.Key))),
            "{message}", "Outbox rows committed and not yet published.");
    }

    /// <summary>The last pending count the dispatcher of <paramref name="context"/> saw.</summary>
    public static long? Pending(string context) => PendingByContext.TryGetValue(context, out var n) ? n : null;

    internal static void SetPending(string context, long count) => PendingByContext[context] = count;

    internal static void Published(string context, int count, DateTimeOffset oldestCreatedAt, DateTimeOffset now)
    {
        var tag = new KeyValuePair<string, object?>("context", context);
        PublishedCounter.Add(count, tag);
        LagHistogram.Record((now - oldestCreatedAt).TotalMilliseconds, tag);
    }

    /// <summary>Messages the consumers of <paramref name="context"/> have recorded in its inbox since this process started.</summary>
    public static long InboxProcessed(string context) => InboxByContext.TryGetValue(context, out var n) ? n : 0;

    internal static void InboxRecorded(string context, int count)
    {
        InboxByContext.AddOrUpdate(context, count, (_, n) => n + count);
        InboxCounter.Add(count, new KeyValuePair<string, object?>("context", context));
    }

    /// <summary>Starts the publish of an outbox row as a child of the activity that wrote it, when one was recorded.</summary>
    internal static Activity? StartPublish(Type messageType, OutboxMessage row)
    {
        if (!Source.HasListeners())
            return null;
        ActivityContext.TryParse(row.TraceParent, null, out var parent);
        var activity = Source.StartActivity($"outbox publish {messageType.Name}", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.message.id", row.MessageId.ToString());
        activity?.SetTag("passport.outbox.id", row.Id);
        return activity;
    }
}
