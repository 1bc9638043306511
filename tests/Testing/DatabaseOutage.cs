using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Passport.Testing;

/// <summary>
/// A TCP relay in front of a test PostgreSQL database that a test can take down as a restart would: open connections are
/// cut and new ones reset until it is brought back up. A service given <see cref="ConnectionString"/> sees real driver
/// errors, not simulated ones. The relay keeps its port while down, so nothing else can take it.
/// </summary>
public sealed class DatabaseOutage : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Socket> _open = [];
    private readonly DnsEndPoint _server;
    private readonly Task _accepting;
    private volatile bool _down;

    public DatabaseOutage(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        _server = new DnsEndPoint(target.Host!, target.Port);
        _listener.Start();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        ConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = port }.ConnectionString;
        _accepting = AcceptAsync();
    }

    /// <summary>The database's connection string, through the relay.</summary>
    public string ConnectionString { get; }

    public void Down()
    {
        _down = true;
        lock (_open)
        {
            foreach (var socket in _open)
                Reset(socket);
            _open.Clear();
        }
    }

    public void Up() => _down = false;

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (_down)
            {
                Reset(client);
                continue;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await server.ConnectAsync(_server, _stopping.Token);
            lock (_open)
            {
                _open.Add(client);
                _open.Add(server);
            }
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(client);
                _open.Remove(server);
            }
            Reset(client);
            Reset(server);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, _stopping.Token)) > 0)
                await to.SendAsync(buffer.AsMemory(0, read), _stopping.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    // A zero linger closes with RST, as a server that has gone away does, rather than an orderly FIN.
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        Down();
        _stopping.Dispose();
    }
}
