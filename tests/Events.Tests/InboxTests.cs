using System.Collections.Concurrent;
using System.Text;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Contracts;
using Passport.Issuer.Data;
using Passport.Issuer.Deployments;
using Passport.Issuer.Organisations;
using Passport.Messaging;
using Passport.Testing;
using Passport.Verifier.Data;
using RabbitMQ.Client;

namespace Passport.Events.Tests;

/// <summary>Each consumer's finished and failed attempts at each message, as the bus reports them.</summary>
public sealed class Consumptions : IReceiveObserver
{
    private readonly ConcurrentDictionary<(Guid?, string), int> _done = new();

    /// <summary>How often <paramref name="consumer"/> (its class name; the bus reports it with its namespace) was given the message.</summary>
    public int Of(Guid messageId, string consumer) =>
        _done.Where(x => x.Key.Item1 == messageId && (x.Key.Item2 == consumer || x.Key.Item2.EndsWith("." + consumer, StringComparison.Ordinal))).Sum(x => x.Value);

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class
    {
        // A batch consumer reports each of its messages, and the batch again under the id of one of them.
        if (typeof(T).IsGenericType && typeof(T).GetGenericTypeDefinition() == typeof(Batch<>))
            return Task.CompletedTask;
        _done.AddOrUpdate((context.MessageId, consumerType), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class =>
        PostConsume(context, duration, consumerType);

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context) => Task.CompletedTask;

    public Task ReceiveFault(ReceiveContext context, Exception exception) => Task.CompletedTask;
}

/// <summary>The inbox step every consumer runs behind (<see cref="Inbox.UseInbox"/>), on real RabbitMQ and PostgreSQL.</summary>
public sealed class InboxTests(TwoServicesFixture fixture) : IClassFixture<TwoServicesFixture>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private readonly IssuerService _issuer = fixture.Issuer;

    /// <summary>An organisation the Issuer serves, with one of its staff deployed elsewhere.</summary>
    private async Task<HomeDeployment> HomeDeploymentAsync()
    {
        var home = TestOds.New("E");
        var deployment = HomeDeployment.Requested(new DeploymentRequested
        {
            DeploymentId = Guid.NewGuid(), HostOdsCode = TestOds.New("H"), HomeOdsCode = home, StaffId = Guid.NewGuid(),
            AgreementId = Guid.NewGuid(), Start = Today, End = Today.AddDays(30), RequiresHomeApproval = false,
        }, DateTimeOffset.UtcNow);
        deployment.Started(Today, Today.AddDays(30), DateTimeOffset.UtcNow);
        await _issuer.WithDbAsync(db =>
        {
            db.Organisations.Add(new Organisation { OdsCode = home, Name = "Home NHS Trust", CreatedAt = DateTimeOffset.UtcNow });
            db.Add(deployment);
            return db.SaveChangesAsync();
        });
        return deployment;
    }

    private static DeploymentFlagged Flagged(HomeDeployment deployment) => new()
    {
        DeploymentId = deployment.Id, HostOdsCode = deployment.HostOdsCode, HomeOdsCode = deployment.HomeOdsCode, CredentialId = Guid.NewGuid(),
        Reason = "credential_revoked: no_longer_valid", FlaggedAt = DateTimeOffset.UtcNow,
    };

    private Task<List<HomeDeploymentEvent>> HistoryAsync(Guid deploymentId) =>
        _issuer.WithDbAsync(async db => (await db.Set<HomeDeployment>().AsNoTracking().FirstAsync(d => d.Id == deploymentId)).History);

    private async Task WaitUntilConsumedAsync(Guid messageId, string consumer, int times)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (fixture.IssuerConsumed.Of(messageId, consumer) < times)
            await Task.Delay(50, timeout.Token);
    }

    private static string Header(BasicGetResult message, string name) =>
        message.BasicProperties.Headers?[name] is byte[] value ? Encoding.UTF8.GetString(value) : "";

    [Fact]
    public async Task A_redelivered_flag_is_applied_once_to_the_home_organisations_view_of_the_deployment()
    {
        var deployment = await HomeDeploymentAsync();
        var flagged = Flagged(deployment);
        var messageId = NewId.NextGuid();
        var bus = _issuer.Services.GetRequiredService<IBus>();

        await bus.Publish(flagged, c => c.MessageId = messageId);
        await bus.Publish(flagged, c => c.MessageId = messageId);
        await WaitUntilConsumedAsync(messageId, "DeploymentFlaggedConsumer", times: 2);

        Assert.Single(await HistoryAsync(deployment.Id), e => e.Event == "flagged");
        Assert.Equal(1, await _issuer.WithDbAsync(db => db.Set<InboxMessage>().CountAsync(x => x.MessageId == messageId && x.Consumer == "DeploymentFlaggedConsumer")));
    }

    [Fact]
    public async Task A_batch_the_dispatcher_publishes_again_after_a_crash_before_marking_it_sent_is_applied_once()
    {
        var deployments = new List<HomeDeployment>();
        for (var i = 0; i < 20; i++)
            deployments.Add(await HomeDeploymentAsync());
        var rows = await _issuer.WithDbAsync(async db =>
        {
            var added = deployments.Select(d => db.AddOutboxMessage(Flagged(d), DateTimeOffset.UtcNow)).ToList();
            await db.SaveChangesAsync();
            return added.Select(r => r.MessageId).ToList();
        });
        foreach (var id in rows)
            await WaitUntilConsumedAsync(id, "DeploymentFlaggedConsumer", times: 1);

        // As if the dispatcher had crashed after the broker confirmed the batch and before its rows were marked sent.
        await _issuer.WithDbAsync(db => db.Set<OutboxMessage>().Where(x => rows.Contains(x.MessageId)).ExecuteUpdateAsync(u => u.SetProperty(x => x.SentAt, (DateTimeOffset?)null)));
        foreach (var id in rows)
            await WaitUntilConsumedAsync(id, "DeploymentFlaggedConsumer", times: 2);

        foreach (var deployment in deployments)
            Assert.Single(await HistoryAsync(deployment.Id), e => e.Event == "flagged");
        Assert.Equal(rows.Count, await _issuer.WithDbAsync(db => db.Set<InboxMessage>().CountAsync(x => rows.Contains(x.MessageId) && x.Consumer == "DeploymentFlaggedConsumer")));
    }

    [Fact]
    public async Task A_consumer_that_fails_leaves_no_inbox_row_and_its_message_is_dead_lettered()
    {
        var home = (await HomeDeploymentAsync()).HomeOdsCode;
        // Ours, but never requested or started here: the consumer throws, retries and gives up.
        var extended = new DeploymentExtended
        {
            DeploymentId = Guid.NewGuid(), HostOdsCode = TestOds.New("H"), HomeOdsCode = home,
            PreviousEnd = Today.AddDays(10), NewEnd = Today.AddDays(20),
        };
        var messageId = NewId.NextGuid();

        await _issuer.Services.GetRequiredService<IBus>().Publish(extended, c => c.MessageId = messageId);

        var dead = await fixture.Broker.NextMessageAsync("deployment-extended_error", TimeSpan.FromSeconds(30));
        Assert.Equal(messageId.ToString(), dead.BasicProperties.MessageId);
        Assert.Equal(typeof(DeploymentNotYetKnownException).FullName, Header(dead, "MT-Fault-ExceptionType"));
        Assert.False(await _issuer.WithDbAsync(db => db.Set<InboxMessage>().AnyAsync(x => x.MessageId == messageId && x.Consumer == "DeploymentExtendedConsumer")));
    }

    [Fact]
    public async Task A_message_without_an_id_is_dead_lettered_by_the_issuers_consumers_and_the_verifiers_alike()
    {
        var deployment = await HomeDeploymentAsync();
        var flagged = Flagged(deployment);

        await _issuer.Services.GetRequiredService<IBus>().Publish(flagged, c => c.MessageId = null);

        foreach (var queue in new[] { "deployment-flagged_error", "host-deployment-flagged-notifier_error" })
        {
            var dead = await fixture.Broker.NextMessageAsync(queue, TimeSpan.FromSeconds(30));
            Assert.Equal(typeof(MessageWithoutIdException).FullName, Header(dead, "MT-Fault-ExceptionType"));
        }
        Assert.DoesNotContain(await HistoryAsync(deployment.Id), e => e.Event == "flagged");
    }

    private sealed class WithItsDatabase(IssuerDbContext db) : IConsumer<DeploymentFlagged>
    {
        public Task Consume(ConsumeContext<DeploymentFlagged> context) => db.SaveChangesAsync(context.CancellationToken);
    }

    private sealed class WithoutADatabase(TimeProvider time) : IConsumer<DeploymentFlagged>
    {
        public Task Consume(ConsumeContext<DeploymentFlagged> context) => Task.Delay(TimeSpan.Zero, time, context.CancellationToken);
    }

    private sealed class WithTwoDatabases(IssuerDbContext issuer, VerifierDbContext verifier) : IConsumer<DeploymentFlagged>
    {
        public Task Consume(ConsumeContext<DeploymentFlagged> context) =>
            Task.WhenAll(issuer.SaveChangesAsync(context.CancellationToken), verifier.SaveChangesAsync(context.CancellationToken));
    }

    [Fact]
    public void The_inbox_is_kept_in_the_DbContext_the_consumer_takes_and_a_consumer_that_takes_none_has_none()
    {
        Assert.Equal(typeof(IssuerDbContext), Inbox.DbContextOf(typeof(WithItsDatabase)));
        Assert.Null(Inbox.DbContextOf(typeof(WithoutADatabase)));
    }

    [Fact]
    public void The_inbox_refuses_a_consumer_that_takes_two_DbContexts_as_it_cannot_tell_which_commits_the_effect()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Inbox.DbContextOf(typeof(WithTwoDatabases)));
        Assert.Contains("WithTwoDatabases takes 2 DbContexts", e.Message, StringComparison.Ordinal);
    }
}
