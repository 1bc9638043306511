using System.Collections.Concurrent;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Passport.Contracts;
using Passport.Issuer.Data;
using Passport.Messaging;
using Passport.Testing;

namespace Passport.Events.Tests;

public sealed class OutboxDispatcherTests(RabbitMqBroker broker) : IClassFixture<RabbitMqBroker>, IAsyncLifetime
{
    private const int Rows = 600;
    private const int Keys = 12;
    private readonly PostgresDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    private ServiceProvider Instance() => new ServiceCollection()
        .AddDbContext<IssuerDbContext>(o => o.UseNpgsql(_database.ConnectionString, n => n.MigrationsHistoryTable("__ef_migrations", IssuerDbContext.Schema)))
        .AddMassTransit(x => x.UsingRabbitMq((_, cfg) => broker.ConfigureHost(cfg)))
        .BuildServiceProvider();

    [Fact]
    public async Task Two_dispatchers_on_one_database_publish_every_row_once_and_each_credentials_rows_in_order()
    {
        var keys = Enumerable.Range(0, Keys).Select(_ => Guid.NewGuid()).ToArray();
        await using (var setup = Instance())
        {
            await using var scope = setup.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
            await db.Database.MigrateAsync();
            for (var i = 0; i < Rows; i++)
            {
                db.AddOutboxMessage(new CredentialRevoked
                {
                    CredentialId = keys[i % Keys], IssuerOdsCode = "T1", StaffId = Guid.NewGuid(), CredentialType = "dbs", RevokedAt = DateTimeOffset.UtcNow,
                    Reason = i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture),
                }, DateTimeOffset.UtcNow);
            }
            await db.SaveChangesAsync();
        }
        var received = new ConcurrentQueue<(Guid MessageId, Guid Key, int Sequence)>();
        var listener = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            broker.ConfigureHost(cfg);
            cfg.ReceiveEndpoint("outbox-order-probe", e =>
            {
                // One at a time, so that arrival order is the order the publishers sent in.
                e.PrefetchCount = 1;
                e.ConcurrentMessageLimit = 1;
                e.Handler<CredentialRevoked>(c =>
                {
                    received.Enqueue((c.MessageId!.Value, c.Message.CredentialId, int.Parse(c.Message.Reason, System.Globalization.CultureInfo.InvariantCulture)));
                    return Task.CompletedTask;
                });
            });
        });
        await listener.StartAsync();
        await using var first = Instance();
        await using var second = Instance();
        try
        {
            var dispatchers = new[] { first, second }.Select(sp => new OutboxDispatcher<IssuerDbContext>(
                sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<IBus>(), new OutboxSignal(), TimeProvider.System,
                Options.Create(new OutboxOptions { BatchSize = 20 }), NullLogger<OutboxDispatcher<IssuerDbContext>>.Instance)).ToList();
            foreach (var sp in new[] { first, second })
                await sp.GetRequiredService<IBusControl>().StartAsync();

            var published = await Task.WhenAll(dispatchers.Select(async d =>
            {
                var total = 0;
                while (await d.DispatchBatchAsync(CancellationToken.None) is var n and > 0)
                    total += n;
                return total;
            }));

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (received.Count < Rows)
                await Task.Delay(100, timeout.Token);
            await Task.Delay(1000);
            Assert.Equal(Rows, published.Sum());
            Assert.All(published, n => Assert.True(n > 0, "both dispatchers should have published some rows"));
            Assert.Equal(Rows, received.Count);
            Assert.Equal(Rows, received.Select(r => r.MessageId).Distinct().Count());
            // Whichever dispatcher published them, one credential's rows arrive in the order they were committed.
            foreach (var byKey in received.GroupBy(r => r.Key))
            {
                var sequence = byKey.Select(r => r.Sequence).ToList();
                Assert.Equal(sequence.Order(), sequence);
            }
            await using var check = first.CreateAsyncScope();
            Assert.Equal(0, await check.ServiceProvider.GetRequiredService<IssuerDbContext>().Set<OutboxMessage>().CountAsync(x => x.SentAt == null));
        }
        finally
        {
            foreach (var sp in new[] { first, second })
                await sp.GetRequiredService<IBusControl>().StopAsync();
            await listener.StopAsync();
        }
    }
}
