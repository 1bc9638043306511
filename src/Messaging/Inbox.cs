using System.Reflection;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Passport.Messaging;

public static class Inbox
{
    /// <summary>
    /// Puts every consumer that takes a DbContext behind the inbox step (<see cref="InboxFilter{TConsumer, TMessage}"/>): a message
    /// it has already applied is skipped, and a new one is recorded in that DbContext, to commit with the consumer's own SaveChanges.
    /// </summary>
    public static void UseInbox(this IConsumePipeConfigurator configurator)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        configurator.ConnectConsumerConfigurationObserver(new InboxConfigurationObserver());
    }

    /// <summary>
    /// Applies one message behind the inbox: skipped if <paramref name="consumer"/> has applied it already; otherwise its row
    /// is added to <paramref name="db"/> before <paramref name="apply"/> stages the effect, and both commit in one SaveChanges
    /// (the effect's own, or one made here if it did not save). A failed attempt leaves no row.
    /// </summary>
    internal static async Task ApplyOnceAsync(DbContext db, Guid messageId, string consumer, DateTimeOffset now, Func<Task> apply, CancellationToken ct)
    {
        var inbox = db.Set<InboxMessage>();
        if (await inbox.AnyAsync(x => x.MessageId == messageId && x.Consumer == consumer, ct).ConfigureAwait(false))
            return;
        var row = new InboxMessage { MessageId = messageId, Consumer = consumer, ProcessedAt = now };
        inbox.Add(row);
        await apply().ConfigureAwait(false);
        if (db.Entry(row).State == EntityState.Added)
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The DbContext type <paramref name="consumer"/>'s constructor takes, if any: the inbox is kept there.</summary>
    public static Type? DbContextOf(Type consumer)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        var contexts = consumer.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .SelectMany(c => c.GetParameters()).Select(p => p.ParameterType).Where(t => t.IsAssignableTo(typeof(DbContext))).Distinct().ToList();
        return contexts.Count switch
        {
            0 => null,
            1 => contexts[0],
            _ => throw new InvalidOperationException(
                $"{consumer.Name} takes {contexts.Count} DbContexts; the inbox must know which one commits its effect, so a consumer takes one."),
        };
    }
}

internal sealed class InboxConfigurationObserver : IConsumerConfigurationObserver
{
    public void ConsumerConfigured<TConsumer>(IConsumerConfigurator<TConsumer> configurator) where TConsumer : class
    {
    }

    public void ConsumerMessageConfigured<TConsumer, TMessage>(IConsumerMessageConfigurator<TConsumer, TMessage> configurator)
        where TConsumer : class where TMessage : class
    {
        // A consumer with no database has no effect to commit with an inbox row; a batch consumer keeps its inbox itself
        // (InboxBatchConsumer), one row per message of the batch.
        if (typeof(TMessage).IsGenericType && typeof(TMessage).GetGenericTypeDefinition() == typeof(Batch<>))
            return;
        if (Inbox.DbContextOf(typeof(TConsumer)) is { } dbContext)
            configurator.UseFilter(new InboxFilter<TConsumer, TMessage>(dbContext));
    }
}

/// <summary>
/// The inbox step of one consumer and message type. It runs in the consumer's scope, after the consumer is made and
/// inside the retries, on the consumer's own DbContext: the row it adds commits in the consumer's SaveChanges, with the
/// effect and never before it, and a failed attempt leaves none. A consumer that completes without saving still has its
/// row saved, so a redelivery does not run it again. A message without an id cannot be recorded and is dead-lettered.
/// </summary>
internal sealed class InboxFilter<TConsumer, TMessage>(Type dbContext) : IFilter<ConsumerConsumeContext<TConsumer, TMessage>>
    where TConsumer : class where TMessage : class
{
    private static readonly string Consumer = typeof(TConsumer).Name;

    public async Task Send(ConsumerConsumeContext<TConsumer, TMessage> context, IPipe<ConsumerConsumeContext<TConsumer, TMessage>> next)
    {
        if (context.MessageId is not { } messageId)
            throw new MessageWithoutIdException(Consumer, typeof(TMessage).Name);
        var services = context.GetPayload<IServiceScope>().ServiceProvider;
        var db = (DbContext)services.GetRequiredService(dbContext);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        await Inbox.ApplyOnceAsync(db, messageId, Consumer, now, () => next.Send(context), context.CancellationToken).ConfigureAwait(false);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("inbox");
}

/// <summary>A message that carries no id cannot be recorded in an inbox, so it cannot be applied exactly once.</summary>
public sealed class MessageWithoutIdException(string consumer, string messageType)
    : Exception($"A {messageType} without a message id reached {consumer}; it cannot be recorded in the inbox and is dead-lettered.");
