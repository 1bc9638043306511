using System.CommandLine;
using Passport.Cli.Api;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Spectre.Console;

namespace Passport.Cli.Operators;

/// <summary>
/// <c>passport redrive</c>: moves messages that MassTransit dead-lettered to a <c>&lt;queue&gt;_error</c> queue back to the queue,
/// once whatever made them fail has been fixed. Each message is published with publisher confirms before it is acknowledged
/// on the error queue, so a failure part-way loses nothing (at worst a message is delivered twice; consumers are idempotent).
/// Bounded: it moves at most the messages present when it started, or <c>--max</c>.
/// </summary>
internal static class RedriveCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var broker = new Option<Uri>("--rabbitmq")
        {
            Description = "amqp://user:password@host:port/vhost (or set Bus__RabbitMq)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("Bus__RabbitMq") is { Length: > 0 } uri ? new Uri(uri) : new Uri("amqp://guest:guest@localhost:5672/"),
            CustomParser = result => PassportCommand.ParseUri(result, "amqp", "amqps"),
        };
        var queue = new Option<string>("--queue") { Description = "The error queue, for example credential-revoked_error", Required = true };
        var to = new Option<string?>("--to") { Description = "The queue to move them to (default: the error queue's name without _error)" };
        var max = new Option<int?>("--max") { Description = "Move at most this many (default: those present at the start)" };
        var command = new Command("redrive", "Move dead-lettered messages from an _error queue back to their queue") { broker, queue, to, max };
        command.SetRun(console, async (parse, ct) =>
        {
            var errorQueue = parse.GetValue(queue)!;
            var target = parse.GetValue(to) ?? (errorQueue.EndsWith(ErrorSuffix, StringComparison.Ordinal)
                ? errorQueue[..^ErrorSuffix.Length]
                : throw new CommandFailedException($"'{errorQueue}' does not end in {ErrorSuffix}; say where its messages go with --to."));
            var moved = await MoveAsync(parse.GetValue(broker)!, errorQueue, target, parse.GetValue(max), ct);
            console.MarkupLineInterpolated($"[green]✓[/] Moved {moved.Moved} message(s) from {errorQueue} to {target}; {moved.Left} left in {errorQueue}.");
            return 0;
        });
        return command;
    }

    public const string ErrorSuffix = "_error";

    /// <summary>The headers MassTransit adds when it moves a message to the error queue: the fault, not the message.</summary>
    private static bool IsFaultHeader(string name) =>
        name.StartsWith("MT-Fault-", StringComparison.OrdinalIgnoreCase) || name.Equals("MT-Reason", StringComparison.OrdinalIgnoreCase);

    public static async Task<(int Moved, uint Left)> MoveAsync(Uri broker, string errorQueue, string target, int? max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var factory = new ConnectionFactory { Uri = broker, ClientProvidedName = "passport redrive" };
        try
        {
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            await using var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            var present = (await Passive(channel, errorQueue, cancellationToken)).MessageCount;
            await Passive(channel, target, cancellationToken);
            var limit = Math.Min(present, (uint)Math.Max(0, max ?? int.MaxValue));
            var moved = 0;
            while (moved < limit && await channel.BasicGetAsync(errorQueue, autoAck: false, cancellationToken) is { } message)
            {
                var properties = new BasicProperties(message.BasicProperties);
                if (properties.Headers is { } headers)
                {
                    foreach (var name in headers.Keys.Where(IsFaultHeader).ToList())
                        headers.Remove(name);
                }
                // Through the default exchange straight to the queue; confirmed before the original is acknowledged.
                await channel.BasicPublishAsync("", target, mandatory: true, properties, message.Body, cancellationToken);
                await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
                moved++;
            }
            var left = (await Passive(channel, errorQueue, cancellationToken)).MessageCount;
            return (moved, left);
        }
        catch (BrokerUnreachableException e)
        {
            throw new CommandFailedException($"Could not reach RabbitMQ at {broker.Host}:{broker.Port} ({e.InnerException?.Message ?? e.Message}).");
        }
    }

    private static async Task<QueueDeclareOk> Passive(IChannel channel, string queue, CancellationToken cancellationToken)
    {
        try
        {
            return await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
        }
        catch (OperationInterruptedException)
        {
            throw new CommandFailedException($"There is no queue '{queue}' on this broker (virtual host).");
        }
    }
}
