using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Xunit;

namespace Passport.Testing;

/// <summary>
/// A RabbitMQ virtual host of its own for one test class, so that its exchanges, queues and messages
/// never meet another class's; deleted with everything in it when the class is done.
/// </summary>
public sealed class RabbitMqBroker : IAsyncLifetime
{
    private readonly Uri server = TestEnvironment.RabbitMq;
    private readonly HttpClient management = CreateManagementClient();

    public string VirtualHost { get; } = $"passport-test-{Guid.NewGuid():N}";

    public string Username => Uri.UnescapeDataString(server.UserInfo.Split(':', 2)[0]);

    public string Password => Uri.UnescapeDataString(server.UserInfo.Split(':', 2)[1]);

    /// <summary>The AMQP URI of this class's virtual host, credentials included.</summary>
    public Uri Address => new UriBuilder(server) { Path = Uri.EscapeDataString(VirtualHost) }.Uri;

    public void ConfigureHost(IRabbitMqBusFactoryConfigurator configurator)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        configurator.Host(server.Host, (ushort)server.Port, VirtualHost, host =>
        {
            host.Username(Username);
            host.Password(Password);
        });
    }

    public async Task InitializeAsync()
    {
        var vhost = Uri.EscapeDataString(VirtualHost);
        (await management.PutAsJsonAsync($"api/vhosts/{vhost}", new { })).EnsureSuccessStatusCode();
        var permissions = new { configure = ".*", write = ".*", read = ".*" };
        (await management.PutAsJsonAsync($"api/permissions/{vhost}/{Uri.EscapeDataString(Username)}", permissions))
            .EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        using (management)
        {
            var response = await management.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(VirtualHost)}");
            if (response.StatusCode != System.Net.HttpStatusCode.NotFound)
            {
                response.EnsureSuccessStatusCode();
            }
        }
    }

    /// <summary>
    /// Takes the next message from <paramref name="queue"/> over AMQP (the management API's counts trail by seconds),
    /// waiting for it up to <paramref name="timeout"/>. A queue that does not exist yet counts as empty: MassTransit
    /// declares an error queue only when it first moves a message there.
    /// </summary>
    public async Task<BasicGetResult> NextMessageAsync(string queue, TimeSpan timeout)
    {
        await using var connection = await new ConnectionFactory { Uri = Address }.CreateConnectionAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                try
                {
                    await using var channel = await connection.CreateChannelAsync(cancellationToken: cts.Token);
                    if (await channel.BasicGetAsync(queue, autoAck: true, cts.Token) is { } message)
                        return message;
                }
                catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
                {
                }
                await Task.Delay(100, cts.Token);
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"No message arrived in {queue} within {timeout.TotalSeconds} s.");
        }
    }

    /// <summary>Messages ready in <paramref name="queue"/>; 0 when it has never been declared.</summary>
    public async Task<uint> MessageCountAsync(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = Address }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    /// <summary>A client for the broker's management HTTP API, signed in as the test user.</summary>
    public static HttpClient CreateManagementClient()
    {
        var amqp = TestEnvironment.RabbitMq;
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(amqp.UserInfo)));
        var client = new HttpClient { BaseAddress = TestEnvironment.RabbitMqManagement, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        return client;
    }
}
