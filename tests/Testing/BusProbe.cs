using System.Threading.Channels;
using MassTransit;

namespace Passport.Testing;

/// <summary>
/// Listens on a class's RabbitMQ virtual host for one message type, as any other service would, and hands the
/// messages to the test. Its queue is bound before the test acts, so nothing published afterwards is missed.
/// </summary>
public sealed class BusProbe<T> : IAsyncDisposable where T : class
{
    private readonly Channel<ConsumeContext<T>> _received = Channel.CreateUnbounded<ConsumeContext<T>>();
    private IBusControl? _bus;

    public static async Task<BusProbe<T>> StartAsync(RabbitMqBroker broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var probe = new BusProbe<T>();
        probe._bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            broker.ConfigureHost(cfg);
            cfg.ReceiveEndpoint($"probe-{typeof(T).Name}-{Guid.NewGuid():N}", e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                e.Handler<T>(context => probe._received.Writer.WriteAsync(context).AsTask());
            });
        });
        using var started = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await probe._bus.StartAsync(started.Token);
        return probe;
    }

    /// <summary>The next message matching <paramref name="match"/>, or a failure after <paramref name="timeout"/>.</summary>
    public async Task<ConsumeContext<T>> NextAsync(Func<T, bool> match, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(match);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            while (true)
            {
                var context = await _received.Reader.ReadAsync(cts.Token);
                if (match(context.Message))
                    return context;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No {typeof(T).Name} matching the test's condition arrived within {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds} s.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_bus is not null)
            await _bus.StopAsync();
    }
}
