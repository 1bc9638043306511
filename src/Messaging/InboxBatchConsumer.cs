using System.Diagnostics;
using System.Runtime.ExceptionServices;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Passport.Messaging;

/// <summary>
/// A consumer that applies its messages in batches (<see cref="BatchConsumption"/>): one DbContext, one inbox query and one
/// commit for the whole batch, instead of a scope, two queries and a durable commit per message (issue #14). A subclass
/// writes only <see cref="ApplyAsync"/>, the effect of one message; the inbox is kept here, in the consumer's own DbContext
/// and under its class name, as <see cref="InboxFilter{TConsumer, TMessage}"/> keeps it for a single-message consumer.
/// </summary>
/// <remarks>
/// The batch's messages are applied one after another in delivery order, so two messages of one deployment or credential in
/// one batch are applied in the order they were delivered; batches of one endpoint run one at a time
/// (<see cref="BatchConsumption.ConcurrencyLimit"/>). Across a batch boundary order is not strict: MassTransit hands prefetched
/// messages to concurrent tasks before its batch collector, so one can miss the batch its successor closes. A message already in the inbox, or
/// a second copy within the batch, is skipped. If the batch fails for a reason that is not transient (a message the code
/// cannot apply, a constraint), its messages are applied again one at a time, each with its own commit: every good one is
/// acknowledged, and only the one that fails stays with the batch's retries and then goes to the error queue. A transient
/// failure (the database unreachable) fails the whole batch, which the bus's retry policy applies again later.
/// </remarks>
public abstract class InboxBatchConsumer<TContext, TMessage>(TContext db, TimeProvider time) : IConsumer<Batch<TMessage>>
    where TContext : DbContext where TMessage : class
{
    /// <summary>
    /// Stages the effect of one message in <paramref name="db"/>; the caller saves, with the message's inbox row. It must not
    /// call SaveChanges: within a batch, the effects of earlier messages are tracked and not yet saved, and are found with
    /// <c>FindAsync</c> (a query of the database does not see them).
    /// </summary>
    protected abstract Task ApplyAsync(TContext db, TMessage message, Guid messageId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Called before <see cref="ApplyAsync"/> with the messages about to be applied together (the batch's, less those already
    /// applied; or one, in the one-at-a-time fall-back, on a cleared DbContext): a subclass may look up what they need in one
    /// query per kind, instead of one per message, and keep it for <see cref="ApplyAsync"/>. What it loads must be tracked by
    /// <paramref name="db"/>, so that each message sees what the ones before it changed.
    /// </summary>
    protected virtual Task LoadAsync(TContext db, IReadOnlyList<TMessage> messages, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task Consume(ConsumeContext<Batch<TMessage>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = Stopwatch.GetTimestamp();
        var consumer = GetType().Name;
        var ct = context.CancellationToken;
        ExceptionDispatchInfo? failure = null;
        var pending = new List<Pending>(context.Message.Length);
        var byId = new Dictionary<Guid, Pending>();
        foreach (var message in context.Message)
        {
            // Applied and acknowledged by an earlier attempt at this batch.
            if (message.ReceiveContext.IsDelivered)
                continue;
            if (message.MessageId is not { } id)
            {
                failure ??= ExceptionDispatchInfo.Capture(new MessageWithoutIdException(consumer, typeof(TMessage).Name));
                continue;
            }
            if (byId.TryGetValue(id, out var first))
                first.Copies.Add(message);
            else
                pending.Add(byId[id] = new Pending(id, message));
        }
        if (pending.Count > 0)
        {
            try
            {
                await ApplyAllAsync(consumer, pending, ct).ConfigureAwait(false);
                foreach (var p in pending)
                    await ConsumedAsync(p, started, consumer).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && !IsTransient(context, e))
            {
                db.ChangeTracker.Clear();
                var single = await ApplyOneByOneAsync(context, consumer, pending, started, ct).ConfigureAwait(false);
                failure ??= single;
            }
        }
        failure?.Throw();
    }

    private async Task ApplyAllAsync(string consumer, List<Pending> pending, CancellationToken ct)
    {
        var ids = pending.Select(p => p.Id).ToList();
        var inbox = db.Set<InboxMessage>();
        var applied = (await inbox.AsNoTracking().Where(x => x.Consumer == consumer && ids.Contains(x.MessageId)).Select(x => x.MessageId)
            .ToListAsync(ct).ConfigureAwait(false)).ToHashSet();
        var now = time.GetUtcNow();
        var toApply = pending.Where(p => !applied.Contains(p.Id)).ToList();
        if (toApply.Count > 0)
            await LoadAsync(db, [.. toApply.Select(p => p.Copies[0].Message)], ct).ConfigureAwait(false);
        foreach (var p in toApply)
        {
            inbox.Add(new InboxMessage { MessageId = p.Id, Consumer = consumer, ProcessedAt = now });
            await ApplyAsync(db, p.Copies[0].Message, p.Id, now, ct).ConfigureAwait(false);
        }
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The fall-back after a batch failed: each message alone, so that one that cannot be applied holds back no other.</summary>
    private async Task<ExceptionDispatchInfo?> ApplyOneByOneAsync(ConsumeContext context, string consumer, List<Pending> pending, long started,
        CancellationToken ct)
    {
        ExceptionDispatchInfo? failure = null;
        foreach (var p in pending)
        {
            try
            {
                var now = time.GetUtcNow();
                await Inbox.ApplyOnceAsync(db, p.Id, consumer, now, async () =>
                {
                    await LoadAsync(db, [p.Copies[0].Message], ct).ConfigureAwait(false);
                    await ApplyAsync(db, p.Copies[0].Message, p.Id, now, ct).ConfigureAwait(false);
                }, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && !IsTransient(context, e))
            {
                failure ??= ExceptionDispatchInfo.Capture(e);
                continue;
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
            await ConsumedAsync(p, started, consumer).ConfigureAwait(false);
        }
        return failure;
    }

    /// <summary>
    /// Marks a message applied. MassTransit then acknowledges it even if the batch as a whole fails afterwards, and receive
    /// observers see it consumed by this consumer, as they saw a single-message consumer's messages.
    /// </summary>
    private static async Task ConsumedAsync(Pending p, long started, string consumer)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        foreach (var message in p.Copies)
            await message.NotifyConsumed(message, elapsed, consumer).ConfigureAwait(false);
    }

    private static bool IsTransient(ConsumeContext context, Exception e) =>
        context.TryGetPayload<IServiceScope>(out var scope) && scope.ServiceProvider.GetService<TransientFailures>() is { } transient && transient.Is(e);

    private sealed class Pending(Guid id, ConsumeContext<TMessage> first)
    {
        public Guid Id { get; } = id;

        public List<ConsumeContext<TMessage>> Copies { get; } = [first];
    }
}

/// <summary>Which failures are the database being unreachable for a while, to be retried rather than set apart (the host decides).</summary>
public sealed class TransientFailures(Func<Exception, bool> isTransient)
{
    public bool Is(Exception exception) => isTransient(exception);
}

public static class BatchConsumption
{
    /// <summary>Messages in one batch at most; the endpoint takes twice as many ahead, so that the next batch fills while one is applied.</summary>
    public const int MessageLimit = 100;

    /// <summary>One batch at a time per endpoint and process: two at once could apply the messages of one key out of order.</summary>
    public const int ConcurrencyLimit = 1;

    /// <summary>How long a batch waits to fill from its first message: short, as an event waits for it before it is applied.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromMilliseconds(20);

    /// <summary>Registers <typeparamref name="TConsumer"/> (an <see cref="InboxBatchConsumer{TContext, TMessage}"/>) with its batch and prefetch limits.</summary>
    public static IConsumerRegistrationConfigurator<TConsumer> AddBatchConsumer<TConsumer>(this IRegistrationConfigurator bus) where TConsumer : class, IConsumer
    {
        ArgumentNullException.ThrowIfNull(bus);
        var registration = bus.AddConsumer<TConsumer>((_, c) =>
            c.Options<BatchOptions>(o => o.SetMessageLimit(MessageLimit).SetTimeLimit(TimeLimit).SetConcurrencyLimit(ConcurrencyLimit)));
        registration.Endpoint(e =>
        {
            e.PrefetchCount = 2 * MessageLimit;
            e.ConcurrentMessageLimit = 2 * MessageLimit;
        });
        return registration;
    }
}
