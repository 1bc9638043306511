using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Passport.Testing;

namespace Passport.Infrastructure.Tests;

public sealed record NotePosted(Guid NoteId);

public sealed class NotePostedConsumer(TaskCompletionSource<NotePosted> received) : IConsumer<NotePosted>
{
    public Task Consume(ConsumeContext<NotePosted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        received.TrySetResult(context.Message);
        return Task.CompletedTask;
    }
}

public sealed class MessagingTests(RabbitMqBroker broker) : IClassFixture<RabbitMqBroker>
{
    [Fact]
    public async Task A_published_event_reaches_its_consumer_over_RabbitMQ()
    {
        var received = new TaskCompletionSource<NotePosted>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var services = new ServiceCollection()
            .AddSingleton(received)
            .AddMassTransit(bus =>
            {
                bus.AddConsumer<NotePostedConsumer>();
                bus.UsingRabbitMq((context, rabbit) =>
                {
                    broker.ConfigureHost(rabbit);
                    rabbit.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider();
        var bus = services.GetRequiredService<IBusControl>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await bus.StartAsync(timeout.Token);
        try
        {
            var noteId = Guid.NewGuid();
            await bus.Publish(new NotePosted(noteId), timeout.Token);

            var message = await received.Task.WaitAsync(timeout.Token);

            Assert.Equal(noteId, message.NoteId);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_test_virtual_host_is_deleted_on_dispose()
    {
        var other = new RabbitMqBroker();
        await other.InitializeAsync();
        using var management = RabbitMqBroker.CreateManagementClient();
        var path = $"api/vhosts/{Uri.EscapeDataString(other.VirtualHost)}";
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync(path)).StatusCode);

        await other.DisposeAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await management.GetAsync(path)).StatusCode);
    }
}
