using MassTransit;
using MassTransit.Configuration;

namespace Passport.Messaging;

public static class KeyOrder
{
    /// <summary>
    /// Consumes messages that name a deployment or a credential (<see cref="OutboxOrder.PartitionKeyOf{T}"/>) one at a time
    /// per key, in the order they reach this filter, while messages of other keys run concurrently (up to
    /// <paramref name="partitions"/> at once per endpoint). Call it before the retry filters are configured, so that it sits
    /// outside them: a message waiting for its next retry keeps its key's turn, and a later message of that key waits for it.
    /// MassTransit hands a prefetch window's messages to concurrent tasks before any filter runs, so two messages of one key
    /// that arrive together can reach this filter in either order: it guarantees exclusion per key, not strict order.
    /// </summary>
    public static void UseKeyOrder(this IConsumePipeConfigurator configurator, int partitions)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        _ = new KeyOrderConfigurationObserver(configurator, partitions);
    }
}

internal sealed class KeyOrderConfigurationObserver : ConfigurationObserver, IMessageConfigurationObserver
{
    private readonly int _partitions;

    public KeyOrderConfigurationObserver(IConsumePipeConfigurator configurator, int partitions) : base(configurator)
    {
        _partitions = partitions;
        Connect(this);
    }

    public void MessageConfigured<TMessage>(IConsumePipeConfigurator configurator) where TMessage : class
    {
        if (!OutboxOrder.HasPartitionKey<TMessage>())
            return;
        // A new partitioner for each endpoint's pipe, so one queue's waiting message never holds up another queue.
        configurator.AddPipeSpecification(new PartitionerPipeSpecification<ConsumeContext<TMessage>>(
            context => (OutboxOrder.PartitionKeyOf(context.Message) ?? Guid.Empty).ToByteArray(), _partitions));
    }
}
