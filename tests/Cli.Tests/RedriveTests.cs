using System.Text;
using Passport.Testing;
using RabbitMQ.Client;

namespace Passport.Cli.Tests;

public sealed class RedriveTests(RabbitMqBroker broker) : IClassFixture<RabbitMqBroker>
{
    [Fact]
    public async Task Redrive_moves_every_message_from_the_error_queue_back_to_its_queue_without_the_fault_headers()
    {
        var (errorQueue, queue) = await QueuesAsync("credential-revoked");
        await using (var connection = await new ConnectionFactory { Uri = broker.Address }.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            for (var i = 0; i < 5; i++)
            {
                var properties = new BasicProperties
                {
                    MessageId = $"message-{i}", ContentType = "application/vnd.masstransit+json", Persistent = true,
                    Headers = new Dictionary<string, object?> { ["MT-Fault-Message"] = "boom", ["MT-Reason"] = "fault", ["MT-Host-MachineName"] = "test" },
                };
                await channel.BasicPublishAsync("", errorQueue, mandatory: true, properties, Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"));
            }
        }

        var (exit, output) = await Cli.RunAsync("redrive", "--rabbitmq", broker.Address.ToString(), "--queue", errorQueue);

        Assert.True(exit == 0, output);
        Assert.Contains($"Moved 5 message(s) from {errorQueue} to {queue}; 0 left", output, StringComparison.Ordinal);
        await using var check = await new ConnectionFactory { Uri = broker.Address }.CreateConnectionAsync();
        await using var read = await check.CreateChannelAsync();
        Assert.Equal(0u, await read.MessageCountAsync(errorQueue));
        Assert.Equal(5u, await read.MessageCountAsync(queue));
        var moved = await read.BasicGetAsync(queue, autoAck: true);
        Assert.NotNull(moved);
        Assert.Equal("message-0", moved.BasicProperties.MessageId);
        Assert.Equal("{\"n\":0}", Encoding.UTF8.GetString(moved.Body.Span));
        Assert.False(moved.BasicProperties.Headers!.ContainsKey("MT-Fault-Message"));
        Assert.False(moved.BasicProperties.Headers.ContainsKey("MT-Reason"));
        Assert.True(moved.BasicProperties.Headers.ContainsKey("MT-Host-MachineName"));
    }

    [Fact]
    public async Task Redrive_moves_at_most_the_number_it_is_given()
    {
        var (errorQueue, _) = await QueuesAsync("deployment-approved");
        await using (var connection = await new ConnectionFactory { Uri = broker.Address }.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            for (var i = 0; i < 3; i++)
                await channel.BasicPublishAsync("", errorQueue, Encoding.UTF8.GetBytes("{}"));
        }

        var (exit, output) = await Cli.RunAsync("redrive", "--rabbitmq", broker.Address.ToString(), "--queue", errorQueue, "--max", "2");

        Assert.True(exit == 0, output);
        Assert.Contains("Moved 2 message(s)", output, StringComparison.Ordinal);
        Assert.Contains("1 left", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redrive_names_a_queue_that_does_not_exist()
    {
        var (exit, output) = await Cli.RunAsync("redrive", "--rabbitmq", broker.Address.ToString(), "--queue", "no-such-queue_error");

        Assert.Equal(1, exit);
        Assert.Contains("There is no queue 'no-such-queue_error'", output, StringComparison.Ordinal);
    }

    private async Task<(string ErrorQueue, string Queue)> QueuesAsync(string name)
    {
        await using var connection = await new ConnectionFactory { Uri = broker.Address }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueDeclareAsync(name + "_error", durable: true, exclusive: false, autoDelete: false);
        return (name + "_error", name);
    }
}
