using System.ComponentModel.DataAnnotations;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Passport.ServiceDefaults;

public enum BusTransport
{
    InMemory,
    RabbitMq,
}

public sealed class BusOptions
{
    public const string Section = "Bus";

    public BusTransport Transport { get; set; } = BusTransport.InMemory;

    /// <summary>amqp://user:password@host:port/vhost</summary>
    public Uri? RabbitMq { get; set; }

    public bool QuorumQueues { get; set; }

    [Range(0, 20)]
    public int RetryLimit { get; set; } = 5;
}

public static class Bus
{
    /// <summary>Environments in which the in-memory transport may run: it loses every message in flight when the process stops.</summary>
    private static readonly string[] InMemoryEnvironments = [Environments.Development, "Testing"];

    /// <summary>
    /// MassTransit on RabbitMQ (durable, publisher confirms, optional quorum queues) or, for the embedded default in
    /// development only, in memory. Endpoints are named in kebab case after their consumer. Retries are in-process with
    /// exponential back-off (the broker has no delayed-message plugin); a message that still fails goes to
    /// <c>&lt;queue&gt;_error</c> and is logged with its id, from where an operator re-drives it.
    /// </summary>
    public static IHostApplicationBuilder AddPassportBus(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator> consumers)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var environment = builder.Environment.EnvironmentName;
        builder.Services.AddOptions<BusOptions>().BindConfiguration(BusOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Transport != BusTransport.RabbitMq || o.RabbitMq is { Scheme: "amqp" or "amqps" },
                "Bus: with Transport=RabbitMq, set Bus:RabbitMq to an amqp:// or amqps:// URI.")
            .Validate(o => o.Transport != BusTransport.InMemory || InMemoryEnvironments.Contains(environment, StringComparer.OrdinalIgnoreCase),
                $"Bus: the in-memory transport loses events when the process stops and is only for Development; in the {environment} " +
                "environment set Bus:Transport=RabbitMq and Bus:RabbitMq to the broker's amqp:// URI.")
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        builder.Services.AddReceiveObserver<DeadLetterLog>();
        builder.Services.AddMassTransit(x =>
        {
            // MassTransit 8.5 otherwise reports usage to its vendor over the internet.
            x.DisableUsageTelemetry();
            x.SetKebabCaseEndpointNameFormatter();
            consumers(x);
            if (options.Transport == BusTransport.RabbitMq && options.RabbitMq is not null)
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    var o = context.GetRequiredService<IOptions<BusOptions>>().Value;
                    cfg.Host(o.RabbitMq!, h =>
                    {
                        var user = o.RabbitMq!.UserInfo.Split(':', 2);
                        if (user.Length == 2)
                        {
                            h.Username(Uri.UnescapeDataString(user[0]));
                            h.Password(Uri.UnescapeDataString(user[1]));
                        }
                        h.PublisherConfirmation = true;
                    });
                    if (o.QuorumQueues)
                        cfg.SetQuorumQueue();
                    cfg.UseConsumeFilter(typeof(MessageLogScope<>), context);
                    cfg.UseMessageRetry(r => r.Exponential(o.RetryLimit, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200)));
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.UseConsumeFilter(typeof(MessageLogScope<>), context);
                    cfg.UseMessageRetry(r => r.Exponential(options.RetryLimit, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100)));
                    cfg.ConfigureEndpoints(context);
                });
            }
        });
        return builder;
    }
}

/// <summary>Every log line a consumer writes carries the message's id, correlation and conversation.</summary>
internal sealed class MessageLogScope<T>(ILogger<MessageLogScope<T>> log) : IFilter<ConsumeContext<T>> where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        using (log.BeginScope(new Dictionary<string, object?>
        {
            ["MessageId"] = context.MessageId,
            ["CorrelationId"] = context.CorrelationId,
            ["ConversationId"] = context.ConversationId,
            ["MessageType"] = typeof(T).Name,
        }))
        {
            await next.Send(context).ConfigureAwait(false);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("messageLogScope");
}

/// <summary>
/// Logs a message whose retries are spent, with its id, as it moves to the endpoint's error queue: the id is what an
/// operator needs to find it there and re-drive it.
/// </summary>
internal sealed partial class DeadLetterLog(ILogger<DeadLetterLog> log) : IReceiveObserver
{
    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class
    {
        LogFaulted(log, exception, context.MessageId, typeof(T).Name, consumerType, context.CorrelationId, ErrorQueue(context.ReceiveContext.InputAddress));
        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(context);
        // A receive cut short by a lost connection is redelivered, not dead-lettered.
        if (exception is OperationCanceledException)
            return Task.CompletedTask;
        var messageId = context.TransportHeaders.Get<string>(MessageHeaders.MessageId);
        LogReceiveFaulted(log, exception, messageId, ErrorQueue(context.InputAddress));
        return Task.CompletedTask;
    }

    private static string ErrorQueue(Uri? input) => input is null ? "the error queue" : $"{input.AbsolutePath.Split('/')[^1]}_error";

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error,
        Message = "Message {MessageId} ({MessageType}) failed in {Consumer} after its retries, correlation {CorrelationId}; moved to {ErrorQueue} for re-drive")]
    private static partial void LogFaulted(ILogger logger, Exception exception, Guid? messageId, string messageType, string consumer, Guid? correlationId,
        string errorQueue);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "Message {MessageId} could not be received; moved to {ErrorQueue} for re-drive")]
    private static partial void LogReceiveFaulted(ILogger logger, Exception exception, string? messageId, string errorQueue);
}
