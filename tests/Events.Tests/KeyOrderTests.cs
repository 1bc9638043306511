using System.Collections.Concurrent;
using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Passport.Contracts;
using Passport.Messaging;
using Passport.ServiceDefaults;
using Passport.Testing;

namespace Passport.Events.Tests;

/// <summary>What an event is ordered by (<see cref="OutboxOrder"/>), and that consumers keep that order under concurrency.</summary>
public sealed class KeyOrderTests(RabbitMqBroker broker) : IClassFixture<RabbitMqBroker>
{
    [Fact]
    public void An_event_is_ordered_by_its_deployment_and_its_credential()
    {
        var (deployment, credential) = (Guid.NewGuid(), Guid.NewGuid());
        var body = System.Text.Json.JsonSerializer.Serialize(new DeploymentFlagged
        {
            DeploymentId = deployment, HostOdsCode = "H1", HomeOdsCode = "E1", CredentialId = credential, Reason = "r", FlaggedAt = DateTimeOffset.UtcNow,
        });

        Assert.Equal([deployment, credential], OutboxOrder.KeysOf(body));
    }

    [Fact]
    public void An_event_that_names_a_credential_only_inside_a_list_or_an_object_is_ordered_with_the_other_unkeyed_events()
    {
        var body = System.Text.Json.JsonSerializer.Serialize(new PresentationVerified
        {
            DecisionId = Guid.NewGuid(), VerifierOdsCode = "V1", AgreementId = Guid.NewGuid(), AgreementVersion = 1, Accepted = true,
            VerifiedAt = DateTimeOffset.UtcNow, CredentialIds = [Guid.NewGuid()],
        });

        Assert.Equal([Guid.Empty], OutboxOrder.KeysOf(body));
        Assert.Equal([Guid.Empty], OutboxOrder.KeysOf("""{"Nested":{"CredentialId":"6f1c1d1e-0000-0000-0000-000000000001"}}"""));
    }

    [Fact]
    public void A_consumer_orders_a_message_by_its_deployment_before_its_credential()
    {
        var (deployment, credential) = (Guid.NewGuid(), Guid.NewGuid());
        Assert.Equal(deployment, OutboxOrder.PartitionKeyOf(new DeploymentFlagged
        {
            DeploymentId = deployment, HostOdsCode = "H1", HomeOdsCode = "E1", CredentialId = credential, Reason = "r", FlaggedAt = DateTimeOffset.UtcNow,
        }));
        Assert.False(OutboxOrder.HasPartitionKey<PresentationVerified>());
    }

    private const int Keys = 8;
    private const int PerKey = 25;

    /// <summary>Applies each message after a short random wait, and fails the first attempt at every seventh, as a busy database would.</summary>
    private sealed class SlowAndSometimesFailing(Recorder recorder) : IConsumer<CredentialRevoked>
    {
        public async Task Consume(ConsumeContext<CredentialRevoked> context)
        {
            var m = context.Message;
            var sequence = int.Parse(m.Reason, CultureInfo.InvariantCulture);
            recorder.Enter(m.CredentialId);
            try
            {
                await Task.Delay(Random.Shared.Next(1, 8), context.CancellationToken);
                if (sequence % 7 == 0 && recorder.FirstAttempt(context.MessageId!.Value))
                    throw new InvalidOperationException("The first attempt at this message fails.");
                recorder.Applied.Enqueue((m.CredentialId, sequence));
            }
            finally
            {
                recorder.Leave(m.CredentialId);
            }
        }
    }

    private sealed class Recorder
    {
        private readonly ConcurrentDictionary<Guid, bool> _attempted = new();
        private readonly ConcurrentDictionary<Guid, int> _inFlight = new();
        private int _running;

        public ConcurrentQueue<(Guid Key, int Sequence)> Applied { get; } = new();

        public int SameKeyAtOnce { get; private set; }

        public int MostAtOnce { get; private set; }

        public bool FirstAttempt(Guid messageId) => _attempted.TryAdd(messageId, true);

        public void Enter(Guid key)
        {
            if (_inFlight.AddOrUpdate(key, 1, (_, n) => n + 1) > 1)
                SameKeyAtOnce++;
            var running = Interlocked.Increment(ref _running);
            if (running > MostAtOnce)
                MostAtOnce = running;
        }

        public void Leave(Guid key)
        {
            _inFlight.AddOrUpdate(key, 0, (_, n) => n - 1);
            Interlocked.Decrement(ref _running);
        }
    }

    [Fact]
    public async Task Messages_of_one_credential_are_applied_one_at_a_time_while_other_credentials_run_concurrently_even_when_one_is_retried()
    {
        var recorder = new Recorder();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "RabbitMq",
            ["Bus:RabbitMq"] = broker.Address.ToString(),
            ["Bus:ConcurrentMessageLimit"] = "16",
        });
        builder.Services.AddSingleton(recorder);
        builder.AddPassportBus(x => x.AddConsumer<SlowAndSometimesFailing>());
        // Its queue and bindings exist before the first publish.
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var keys = Enumerable.Range(0, Keys).Select(_ => Guid.NewGuid()).ToArray();
            var bus = host.Services.GetRequiredService<IBus>();
            await Task.WhenAll(Enumerable.Range(0, Keys).Select(async k =>
            {
                for (var sequence = k; sequence < Keys * PerKey; sequence += Keys)
                {
                    await bus.Publish(new CredentialRevoked
                    {
                        CredentialId = keys[k], IssuerOdsCode = "T1", StaffId = Guid.NewGuid(), CredentialType = "dbs",
                        Reason = sequence.ToString(CultureInfo.InvariantCulture), RevokedAt = DateTimeOffset.UtcNow,
                    });
                }
            }));

            var until = DateTime.UtcNow.AddMinutes(3);
            while (recorder.Applied.Count < Keys * PerKey && DateTime.UtcNow < until)
                await Task.Delay(100);

            Assert.Equal(Enumerable.Range(0, Keys * PerKey), recorder.Applied.Select(a => a.Sequence).Order());
            Assert.Equal(0, recorder.SameKeyAtOnce);
            Assert.True(recorder.MostAtOnce > 1, "messages of different credentials should have been applied at the same time");
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
