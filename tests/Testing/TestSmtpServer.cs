using System.Buffers;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Passport.Testing;

/// <summary>
/// A real SMTP server on a loopback port for one test class: it keeps every message it accepts, and while
/// <see cref="Failing"/> is set it refuses each one (a 451, as a relay that is down would), so senders must retry.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly List<MimeMessage> _received = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;
    private int _refused;

    public TestSmtpServer()
    {
        Port = FreePort();
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).IsSecure(false)).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>While true, every message is refused with a transient failure.</summary>
    public bool Failing { get; set; }

    public int Refused => Volatile.Read(ref _refused);

    /// <summary>The settings that point a service's notifications at this server.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Notifications:Smtp:Host"] = "127.0.0.1",
        ["Notifications:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Notifications:Smtp:UseTls"] = "false",
        ["Notifications:Smtp:From"] = "Passport <no-reply@passport.test>",
        ["Notifications:PollInterval"] = "00:00:00.100",
        ["Notifications:FirstBackoff"] = "00:00:00.200",
        ["Notifications:MaxBackoff"] = "00:00:01",
        ["Notifications:WebBaseUrl"] = "https://passport.test/",
    };

    public IReadOnlyList<MimeMessage> Received
    {
        get
        {
            lock (_received)
                return [.. _received];
        }
    }

    /// <summary>The messages to <paramref name="address"/> so far.</summary>
    public IReadOnlyList<MimeMessage> To(string address) =>
        [.. Received.Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, address, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>Waits until <paramref name="address"/> has received at least <paramref name="count"/> messages.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(string address, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (To(address).Count < count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{address} received {To(address).Count} of {count} messages in time.");
            await Task.Delay(50);
        }
        return To(address);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _server.Shutdown();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (OperationCanceledException)
        {
        }
        catch (TimeoutException)
        {
        }
        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Store(TestSmtpServer server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            if (server.Failing)
            {
                Interlocked.Increment(ref server._refused);
                return new SmtpResponse(SmtpReplyCode.ServiceUnavailable, "Try again later");
            }
            await using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            lock (server._received)
                server._received.Add(message);
            return SmtpResponse.Ok;
        }
    }
}
