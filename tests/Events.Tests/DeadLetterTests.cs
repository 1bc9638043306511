using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Passport.ServiceDefaults;
using Passport.Testing;
using RabbitMQ.Client;

namespace Passport.Events.Tests;

public sealed record PoisonPosted(Guid Id);

public sealed record OutageOutlasted(Guid Id);

public sealed record OutageInterrupted(Guid Id);

public sealed record OutageRetriedAsItStops(Guid Id);

/// <summary>Each time a test's consumers were given a message, with the service scope the attempt ran in.</summary>
public sealed class Attempts
{
    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<IServiceProvider>> _scopes = new();

    public int Of(Guid id) => _scopes.TryGetValue(id, out var scopes) ? scopes.Count : 0;

    public int ScopesOf(Guid id) => _scopes.TryGetValue(id, out var scopes) ? scopes.Distinct().Count() : 0;

    public void Add(Guid id, IServiceProvider scope) => _scopes.GetOrAdd(id, _ => new()).Enqueue(scope);

    /// <summary>What EF Core's execution strategy throws when Npgsql cannot reach the server.</summary>
    public static Exception DatabaseUnreachable() => new InvalidOperationException(
        "An exception has been raised that is likely due to a transient failure.",
        new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)));
}

public sealed class PoisonPostedConsumer(Attempts attempts, IServiceProvider scope) : IConsumer<PoisonPosted>
{
    public Task Consume(ConsumeContext<PoisonPosted> context)
    {
        attempts.Add(context.Message.Id, scope);
        throw new InvalidOperationException("This consumer always fails.");
    }
}

public sealed class OutageOutlastedConsumer(Attempts attempts, IServiceProvider scope) : IConsumer<OutageOutlasted>
{
    public Task Consume(ConsumeContext<OutageOutlasted> context)
    {
        attempts.Add(context.Message.Id, scope);
        throw Attempts.DatabaseUnreachable();
    }
}

public sealed class OutageInterruptedConsumer(Attempts attempts, IServiceProvider scope) : IConsumer<OutageInterrupted>
{
    public Task Consume(ConsumeContext<OutageInterrupted> context)
    {
        attempts.Add(context.Message.Id, scope);
        throw Attempts.DatabaseUnreachable();
    }
}

/// <summary>
/// Fails as if the database were down; its second attempt (the first retry) tells the test it has begun, waits until the
/// bus has begun to stop, and fails again: the stop lands while a retry is running, not while one is waiting.
/// </summary>
public sealed class OutageRetriedAsItStopsConsumer(Attempts attempts, StopSignal stop, IServiceProvider scope) : IConsumer<OutageRetriedAsItStops>
{
    public async Task Consume(ConsumeContext<OutageRetriedAsItStops> context)
    {
        attempts.Add(context.Message.Id, scope);
        if (attempts.Of(context.Message.Id) == 2)
        {
            stop.RetryRunning.TrySetResult();
            await stop.Stopping.Task.WaitAsync(TimeSpan.FromSeconds(30));
            // Let the stopping signal reach the retry filter before this attempt fails.
            await Task.Delay(200);
        }
        throw Attempts.DatabaseUnreachable();
    }
}

/// <summary>When a test's bus has begun to stop, and when a consumer's retry has begun.</summary>
public sealed class StopSignal : IBusObserver
{
    public TaskCompletionSource RetryRunning { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Stopping { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task PreStop(IBus bus)
    {
        Stopping.TrySetResult();
        return Task.CompletedTask;
    }

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

/// <summary>
/// Where a failing message ends up, on real RabbitMQ: the bus alone in a generic host, with the production configuration
/// (<see cref="Bus.AddPassportBus"/>) and its logs collected.
/// </summary>
public sealed class DeadLetterTests(RabbitMqBroker broker) : IClassFixture<RabbitMqBroker>, IDisposable
{
    private const int DeadLettered = 5001;
    private const int NotReceived = 5002;

    private readonly CollectingLoggerProvider _logs = new();

    public void Dispose() => _logs.Dispose();

    /// <summary>
    /// Starts the host and waits, bounded, until its receive endpoints are up. MassTransit's hosted service returns from
    /// <c>StartAsync</c> before its queues are declared and bound; a message published then is routed to no queue and
    /// silently dropped.
    /// </summary>
    private async Task<IHost> StartAsync(Dictionary<string, string?> settings, Action<IBusRegistrationConfigurator> consumers)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:Transport"] = nameof(BusTransport.RabbitMq),
            ["Bus:RabbitMq"] = broker.Address.ToString(),
        }.Concat(settings));
        builder.Logging.AddProvider(_logs);
        builder.Services.AddSingleton<Attempts>();
        builder.Services.AddSingleton<StopSignal>();
        builder.Services.AddBusObserver(sp => sp.GetRequiredService<StopSignal>());
        builder.AddPassportBus(consumers);
        var host = builder.Build();
        await host.StartAsync();
        var health = await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        Assert.Equal(BusHealthStatus.Healthy, health);
        return host;
    }

    private List<string> Logged(int eventId, Guid messageId) =>
        [.. _logs.Entries.Where(e => e.EventId.Id == eventId && e.Message.Contains(messageId.ToString(), StringComparison.Ordinal)).Select(e => e.Message)];

    private static string Header(BasicGetResult message, string name) =>
        message.BasicProperties.Headers?[name] is byte[] value ? Encoding.UTF8.GetString(value) : "";

    [Fact]
    public async Task A_message_that_keeps_failing_goes_to_its_error_queue_after_its_retries_and_is_logged_once_with_its_id()
    {
        using var host = await StartAsync(new() { ["Bus:RetryLimit"] = "2" }, x => x.AddConsumer<PoisonPostedConsumer>());
        var message = new PoisonPosted(Guid.NewGuid());
        var messageId = NewId.NextGuid();

        await host.Services.GetRequiredService<IBus>().Publish(message, c => c.MessageId = messageId);

        var dead = await broker.NextMessageAsync("poison-posted_error", TimeSpan.FromSeconds(30));
        Assert.Equal(messageId.ToString(), dead.BasicProperties.MessageId);
        Assert.Equal(typeof(InvalidOperationException).FullName, Header(dead, "MT-Fault-ExceptionType"));
        // The first attempt and two retries, each in a scope (and so with a DbContext) of its own; the long retries for an
        // unreachable database do not apply to a bug.
        var attempts = host.Services.GetRequiredService<Attempts>();
        Assert.Equal(3, attempts.Of(message.Id));
        Assert.Equal(3, attempts.ScopesOf(message.Id));
        var logged = Assert.Single(Logged(DeadLettered, messageId));
        Assert.Contains("moved to poison-posted_error", logged, StringComparison.Ordinal);
        Assert.Empty(Logged(NotReceived, messageId));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_database_outage_that_outlasts_the_transient_retries_dead_letters_the_message_once()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Bus:RetryLimit"] = "2", ["Bus:TransientRetryWindow"] = "00:00:02", ["Bus:TransientRetryMaxInterval"] = "00:00:00.500",
        };
        using var host = await StartAsync(settings, x => x.AddConsumer<OutageOutlastedConsumer>());
        var message = new OutageOutlasted(Guid.NewGuid());
        var messageId = NewId.NextGuid();

        await host.Services.GetRequiredService<IBus>().Publish(message, c => c.MessageId = messageId);

        var dead = await broker.NextMessageAsync("outage-outlasted_error", TimeSpan.FromSeconds(30));
        Assert.Equal(messageId.ToString(), dead.BasicProperties.MessageId);
        var retries = host.Services.GetRequiredService<IOptions<BusOptions>>().Value.TransientRetryIntervals();
        Assert.Equal(4, retries.Count);
        // Only the transient schedule's retries: the quick ones for other failures are not added on top.
        Assert.Equal(retries.Count + 1, host.Services.GetRequiredService<Attempts>().Of(message.Id));
        Assert.Single(Logged(DeadLettered, messageId));
        Assert.Empty(Logged(NotReceived, messageId));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_message_waiting_out_a_database_outage_goes_back_to_its_queue_when_the_service_stops()
    {
        using var host = await StartAsync(new() { ["Bus:TransientRetryWindow"] = "00:05:00" }, x => x.AddConsumer<OutageInterruptedConsumer>());
        var message = new OutageInterrupted(Guid.NewGuid());
        var messageId = NewId.NextGuid();
        var attempts = host.Services.GetRequiredService<Attempts>();

        await host.Services.GetRequiredService<IBus>().Publish(message, c => c.MessageId = messageId);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (attempts.Of(message.Id) == 0)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "The consumer was not given the message within 30 s.");
            await Task.Delay(50);
        }
        // Without the bus-stopping signal the retry would hold the stop for the host's whole 30 s shutdown timeout.
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await host.StopAsync();
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(20), $"Stopping took {stopping.Elapsed.TotalSeconds:F1} s: the waiting retry held it up.");
        // Disposed, the service has closed its connection: whatever it still held unacknowledged is back in the queue too.
        host.Dispose();
        await AssertBackInItsQueueAsync("outage-interrupted", messageId, attempts.Of(message.Id));
    }

    [Fact]
    public async Task A_message_whose_retry_is_running_when_the_service_stops_goes_back_to_its_queue_not_to_skipped()
    {
        using var host = await StartAsync(new() { ["Bus:TransientRetryWindow"] = "00:05:00" }, x => x.AddConsumer<OutageRetriedAsItStopsConsumer>());
        var message = new OutageRetriedAsItStops(Guid.NewGuid());
        var messageId = NewId.NextGuid();
        var stop = host.Services.GetRequiredService<StopSignal>();
        var attempts = host.Services.GetRequiredService<Attempts>();

        await host.Services.GetRequiredService<IBus>().Publish(message, c => c.MessageId = messageId);
        await stop.RetryRunning.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // MassTransit's retry filter ends its loop quietly when it is cancelled between attempts; without Passport's
        // stop filter the message then counts as consumed by nobody and is moved to the _skipped queue.
        await host.StopAsync();
        host.Dispose();

        await AssertBackInItsQueueAsync("outage-retried-as-it-stops", messageId, attempts.Of(message.Id));
    }

    /// <summary>
    /// The message is back in its queue, and not in the error or skipped queue. Bounded generously: a loaded broker can take
    /// a while to requeue what a closing connection held. If it never comes, says where it went instead.
    /// </summary>
    private async Task AssertBackInItsQueueAsync(string queue, Guid messageId, int attempts)
    {
        BasicGetResult back;
        try
        {
            back = await broker.NextMessageAsync(queue, TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException e)
        {
            var transport = _logs.Entries.Where(x => x.Level >= LogLevel.Warning).Select(x => $"{x.Category} {x.EventId}: {x.Message} {x.Exception?.GetType().Name}");
            throw new InvalidOperationException(
                $"The message did not come back: {attempts} attempt(s), {await broker.MessageCountAsync($"{queue}_error")} in the error queue, " +
                $"{await broker.MessageCountAsync($"{queue}_skipped")} skipped. Warnings:\n{string.Join("\n", transport)}", e);
        }
        Assert.Equal(messageId.ToString(), back.BasicProperties.MessageId);
        Assert.Equal(0u, await broker.MessageCountAsync($"{queue}_error"));
        Assert.Equal(0u, await broker.MessageCountAsync($"{queue}_skipped"));
        Assert.Empty(Logged(DeadLettered, messageId));
        Assert.Empty(Logged(NotReceived, messageId));
    }
}
