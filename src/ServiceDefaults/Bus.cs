using System.ComponentModel.DataAnnotations;
using MassTransit;
using MassTransit.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Passport.Messaging;

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

    /// <summary>
    /// Messages each endpoint takes from the broker ahead (prefetch) and applies at once. Messages that name the same
    /// deployment or credential are still never applied at the same time (<see cref="KeyOrder.UseKeyOrder"/>).
    /// </summary>
    [Range(1, 500)]
    public int ConcurrentMessageLimit { get; set; } = 32;

    /// <summary>Quick in-process retries of a message that fails for any reason other than a transient one.</summary>
    [Range(0, 20)]
    public int RetryLimit { get; set; } = 5;

    /// <summary>
    /// How long a message that fails because the database is unreachable keeps being retried before it is dead-lettered.
    /// Zero treats such failures like any other. At most 20 minutes: RabbitMQ closes a channel that holds a message
    /// unacknowledged past its <c>consumer_timeout</c> (30 minutes by default).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:20:00")]
    public TimeSpan TransientRetryWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest wait between two of those retries; the waits double from one second up to it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan TransientRetryMaxInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The waits before each retry of a transient failure: 1 s, 2 s, 4 s, ... capped, until they span the window.</summary>
    public IReadOnlyList<TimeSpan> TransientRetryIntervals()
    {
        var intervals = new List<TimeSpan>();
        var next = TimeSpan.FromSeconds(1);
        for (var total = TimeSpan.Zero; total < TransientRetryWindow; total += intervals[^1])
        {
            intervals.Add(next < TransientRetryMaxInterval ? next : TransientRetryMaxInterval);
            next = intervals[^1] * 2;
        }
        return intervals;
    }
}

public static class Bus
{
    /// <summary>Environments in which the in-memory transport may run: it loses every message in flight when the process stops.</summary>
    private static readonly string[] InMemoryEnvironments = [Environments.Development, "Testing"];

    /// <summary>
    /// MassTransit on RabbitMQ (durable, publisher confirms, optional quorum queues) or, for the embedded default in
    /// development only, in memory. Endpoints are named in kebab case after their consumer. Every consumer that takes a
    /// DbContext runs behind the inbox (<see cref="Inbox.UseInbox"/>), so a redelivered message is applied once. Retries are in-process (the
    /// broker has no delayed-message plugin): for minutes while the database is unreachable, for seconds otherwise; a
    /// message that still fails goes to <c>&lt;queue&gt;_error</c> and is logged with its id, from where an operator
    /// re-drives it.
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
        builder.Services.AddSingleton(new TransientFailures(TransientFailure.Is));
        builder.Services.AddReceiveObserver<DeadLetterLog>();
        builder.Services.AddSingleton<BusStopping>();
        builder.Services.AddBusObserver(sp => sp.GetRequiredService<BusStopping>());
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
                    cfg.PrefetchCount = o.ConcurrentMessageLimit;
                    cfg.UseConsumeFilter(typeof(MessageLogScope<>), context);
                    cfg.UseKeyOrder(o.ConcurrentMessageLimit);
                    cfg.UseRequeueOnStop(context.GetRequiredService<BusStopping>().Token);
                    cfg.UsePassportRetry(o, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), context.GetRequiredService<BusStopping>().Token);
                    cfg.UseInbox();
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) =>
                {
                    var o = context.GetRequiredService<IOptions<BusOptions>>().Value;
                    cfg.ConcurrentMessageLimit = o.ConcurrentMessageLimit;
                    cfg.UseConsumeFilter(typeof(MessageLogScope<>), context);
                    cfg.UseKeyOrder(o.ConcurrentMessageLimit);
                    cfg.UseRequeueOnStop(context.GetRequiredService<BusStopping>().Token);
                    cfg.UsePassportRetry(o, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5),
                        context.GetRequiredService<BusStopping>().Token);
                    cfg.UseInbox();
                    cfg.ConfigureEndpoints(context);
                });
            }
        });
        return builder;
    }

    /// <summary>
    /// Two retry filters, each for its own kind of failure. A transient one (the database unreachable: see
    /// <see cref="TransientFailure"/>) is retried with capped exponential back-off for <see cref="BusOptions.TransientRetryWindow"/>,
    /// so that a consumer rides out a database restart or fail-over; any other (a bug, a message the code cannot apply) is
    /// retried <see cref="BusOptions.RetryLimit"/> times within seconds and then dead-lettered. Both run before the message's
    /// scope is created, so each attempt gets a fresh DbContext; both stop when the bus stops, and the message then goes
    /// back to its queue. A waiting message holds one of its endpoint's prefetch slots, so during an outage an endpoint
    /// takes no more messages than its prefetch count (<see cref="BusOptions.ConcurrentMessageLimit"/>). No kill
    /// switch: MassTransit's counts a fault only once its retries are spent, when the message is already dead-lettered.
    /// </summary>
    private static void UseRequeueOnStop(this IConsumePipeConfigurator cfg, CancellationToken stopping) => _ = new RequeueOnStopObserver(cfg, stopping);

    private static void UsePassportRetry(this IBusFactoryConfigurator cfg, BusOptions o, TimeSpan first, TimeSpan max, CancellationToken stopping)
    {
        var transient = o.TransientRetryIntervals();
        if (transient.Count > 0)
        {
            _ = new MessageRetryConfigurationObserver(cfg, stopping, r =>
            {
                r.Handle<Exception>(TransientFailure.Is);
                r.Intervals([.. transient]);
            });
        }
        _ = new MessageRetryConfigurationObserver(cfg, stopping, r =>
        {
            if (transient.Count > 0)
                r.Ignore<Exception>(TransientFailure.Is);
            r.Exponential(o.RetryLimit, first, max, first);
        });
    }
}

/// <summary>
/// Sends a message back to its queue when the service stops while its retries are still going. MassTransit's retry filter
/// ends its loop without an exception when it is cancelled after an attempt has failed (the stop landing while an attempt
/// runs, or between the attempt and the wait); the message then counts as consumed by nobody and is moved to the
/// <c>_skipped</c> queue, where nothing applies it. This filter sits outside the retry filters and turns that quiet end into a
/// cancellation, which the transport answers by returning the message to its queue.
/// </summary>
internal sealed class RequeueOnStopObserver : ConfigurationObserver, IMessageConfigurationObserver
{
    private readonly CancellationToken _stopping;

    public RequeueOnStopObserver(IConsumePipeConfigurator configurator, CancellationToken stopping) : base(configurator)
    {
        _stopping = stopping;
        Connect(this);
    }

    public void MessageConfigured<TMessage>(IConsumePipeConfigurator configurator) where TMessage : class =>
        configurator.AddPipeSpecification(new FilterPipeSpecification<ConsumeContext<TMessage>>(new RequeueOnStop<TMessage>(_stopping)));
}

internal sealed class RequeueOnStop<T>(CancellationToken stopping) : IFilter<ConsumeContext<T>> where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        await next.Send(context).ConfigureAwait(false);
        if (stopping.IsCancellationRequested && !context.ReceiveContext.IsDelivered && !context.ReceiveContext.IsFaulted)
            throw new OperationCanceledException("The service is stopping before the message was applied; it goes back to its queue.", stopping);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("requeueOnStop");
}

/// <summary>
/// Cancelled as the bus begins to stop, so that a message waiting for its next retry goes back to its queue at once
/// instead of holding up shutdown. (The token that <c>UseMessageRetry</c> takes from the bus factory configurator is never
/// cancelled when the bus is built by <c>AddMassTransit</c>: retries ran on for the host's whole shutdown timeout.)
/// The source is never disposed, on purpose: it has no timer to release, and retry filters register on its token for the
/// life of the bus, which the container may stop again while disposing, after it has disposed this observer.
/// </summary>
#pragma warning disable CA1001 // See above: disposing the source would make a late registration or stop throw ObjectDisposedException.
internal sealed class BusStopping : IBusObserver
#pragma warning restore CA1001
{
    private readonly CancellationTokenSource _stopping = new();

    public CancellationToken Token => _stopping.Token;

    public Task PreStop(IBus bus) => _stopping.CancelAsync();

    public void PostCreate(IBus bus)
    {
    }

    public void CreateFaulted(Exception exception)
    {
    }

    public Task PreStart(IBus bus) => Task.CompletedTask;

    public Task PostStart(IBus bus, Task<BusReady> busReady) => Task.CompletedTask;

    public Task StartFaulted(IBus bus, Exception exception) => Task.CompletedTask;

    public Task PostStop(IBus bus) => Task.CompletedTask;

    public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;
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
