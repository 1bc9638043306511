using System.Net;
using System.Net.Sockets;

namespace Passport.Cli.Tests;

public sealed class DemoTests(EmbeddedHost host) : IClassFixture<EmbeddedHost>
{
    [Fact]
    public async Task The_demo_runs_the_whole_journey_against_the_embedded_host_and_exits_zero()
    {
        var (exit, output) = await Cli.RunAsync("demo", "--url", host.Url);

        Assert.True(exit == 0, output);
        Assert.Contains("HR at RHQ issues a passport", output, StringComparison.Ordinal);
        Assert.Contains("6 credentials received", output, StringComparison.Ordinal);
        Assert.Contains("Accepted: every requirement is met.", output, StringComparison.Ordinal);
        Assert.Contains("The deployment is flagged", output, StringComparison.Ordinal);
        Assert.Contains("All 8 steps behaved as stated.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("hepatitis_b", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_exits_non_zero_with_a_reason_when_the_service_answers_404s()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        var server = NotFoundServer.RunAsync(listener, stop.Token);

        var (exit, output) = await Cli.RunAsync("demo", "--url", $"http://127.0.0.1:{port}", "--wait", "1");
        await stop.CancelAsync();
        await server;

        Assert.NotEqual(0, exit);
        Assert.Contains("development token issuer", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_exits_non_zero_when_nothing_listens_at_the_url()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var (exit, output) = await Cli.RunAsync("demo", "--url", $"http://127.0.0.1:{port}");

        Assert.Equal(1, exit);
        Assert.Contains("could not reach", output, StringComparison.Ordinal);
    }
}

/// <summary>A web server that answers every request with 404, like a host without the development endpoints.</summary>
internal static class NotFoundServer
{
    public static async Task RunAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(cancellationToken);
                await using var stream = client.GetStream();
                var buffer = new byte[8192];
                _ = await stream.ReadAsync(buffer, cancellationToken);
                var response = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray();
                await stream.WriteAsync(response, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
