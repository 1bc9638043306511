using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Contracts;
using Passport.Issuer.Deployments;
using Passport.Issuer.Organisations;
using Passport.Messaging;
using Passport.Testing;
using Passport.Verifier.Trust;

namespace Passport.Events.Tests;

/// <summary>
/// The production consumers that apply their messages in batches (<see cref="InboxBatchConsumer{TContext, TMessage}"/>), on real
/// RabbitMQ and PostgreSQL: the Issuer's <c>DeploymentFlaggedConsumer</c> and <c>DeploymentExtendedConsumer</c>.
/// </summary>
public sealed class BatchConsumptionTests(TwoServicesFixture fixture) : IClassFixture<TwoServicesFixture>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private readonly IssuerService _issuer = fixture.Issuer;

    private IBus Bus => _issuer.Services.GetRequiredService<IBus>();

    /// <summary>Deployments of staff of organisations the Issuer serves, one organisation each.</summary>
    private async Task<List<HomeDeployment>> HomeDeploymentsAsync(int count)
    {
        var deployments = new List<HomeDeployment>();
        await _issuer.WithDbAsync(db =>
        {
            for (var i = 0; i < count; i++)
            {
                var home = TestOds.New("E");
                var deployment = HomeDeployment.Requested(new DeploymentRequested
                {
                    DeploymentId = Guid.NewGuid(), HostOdsCode = TestOds.New("H"), HomeOdsCode = home, StaffId = Guid.NewGuid(),
                    AgreementId = Guid.NewGuid(), Start = Today, End = Today.AddDays(30), RequiresHomeApproval = false,
                }, DateTimeOffset.UtcNow);
                deployment.Started(Today, Today.AddDays(30), DateTimeOffset.UtcNow);
                db.Organisations.Add(new Organisation { OdsCode = home, Name = "Home NHS Trust", CreatedAt = DateTimeOffset.UtcNow });
                db.Add(deployment);
                deployments.Add(deployment);
            }
            return db.SaveChangesAsync();
        });
        return deployments;
    }

    private static DeploymentFlagged Flagged(HomeDeployment deployment, string reason) => new()
    {
        DeploymentId = deployment.Id, HostOdsCode = deployment.HostOdsCode, HomeOdsCode = deployment.HomeOdsCode, CredentialId = Guid.NewGuid(),
        Reason = reason, FlaggedAt = DateTimeOffset.UtcNow,
    };

    private Task<Dictionary<Guid, List<string>>> FlagReasonsAsync(IEnumerable<HomeDeployment> deployments)
    {
        var ids = deployments.Select(d => d.Id).ToList();
        return _issuer.WithDbAsync(async db => (await db.Set<HomeDeployment>().AsNoTracking().Where(d => ids.Contains(d.Id)).ToListAsync())
            .ToDictionary(d => d.Id, d => d.History.Where(e => e.Event == "flagged").Select(e => e.Detail ?? "").ToList()));
    }

    private Task<int> InboxRowsAsync(List<Guid> messageIds, string consumer) =>
        _issuer.WithDbAsync(db => db.Set<InboxMessage>().CountAsync(x => messageIds.Contains(x.MessageId) && x.Consumer == consumer));

    private async Task WaitForInboxAsync(List<Guid> messageIds, string consumer)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await InboxRowsAsync(messageIds, consumer) < messageIds.Count)
            await Task.Delay(100, timeout.Token);
    }

    private async Task WaitUntilConsumedAsync(IEnumerable<Guid> messageIds, string consumer, int times)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var id in messageIds)
        {
            while (fixture.IssuerConsumed.Of(id, consumer) < times)
                await Task.Delay(50, timeout.Token);
        }
    }

    private async Task WaitUntilQueueEmptyAsync(string queue)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await _issuer.Broker.MessageCountAsync(queue) > 0)
            await Task.Delay(100, timeout.Token);
    }

    [Fact]
    public async Task A_batch_delivered_again_is_applied_once_and_a_second_copy_within_one_batch_too()
    {
        var deployments = await HomeDeploymentsAsync(30);
        var messages = deployments.Select(d => (Id: NewId.NextGuid(), Message: Flagged(d, "credential_revoked: no_longer_valid"))).ToList();
        var ids = messages.Select(m => m.Id).ToList();

        // Each message twice, back to back, so that both copies reach one batch, and the whole lot once more once applied.
        await Task.WhenAll(messages.SelectMany(m => new[] { Bus.Publish(m.Message, c => c.MessageId = m.Id), Bus.Publish(m.Message, c => c.MessageId = m.Id) }));
        await WaitForInboxAsync(ids, "DeploymentFlaggedConsumer");
        await Task.WhenAll(messages.Select(m => Bus.Publish(m.Message, c => c.MessageId = m.Id)));
        await WaitUntilConsumedAsync(ids, "DeploymentFlaggedConsumer", times: 2);
        await WaitUntilQueueEmptyAsync("deployment-flagged");

        var reasons = await FlagReasonsAsync(deployments);
        Assert.All(deployments, d => Assert.Single(reasons[d.Id]));
        Assert.Equal(ids.Count, await InboxRowsAsync(ids, "DeploymentFlaggedConsumer"));
        Assert.Equal(0u, await _issuer.Broker.MessageCountAsync("deployment-flagged_error"));
    }

    private async Task<(List<HomeDeployment> Deployments, Dictionary<Guid, List<string>> Reasons, List<string> Published)> FlagInOrderAsync()
    {
        var deployments = await HomeDeploymentsAsync(3);
        // 3 x 120 flags, the deployments interleaved: more than one batch's worth.
        var messages = Enumerable.Range(0, 120).SelectMany(i => deployments.Select(d => (Id: NewId.NextGuid(), Message: Flagged(d, $"r{i:D3}")))).ToList();

        // Published one after another on one channel: the broker queues them in this order.
        foreach (var m in messages)
            await Bus.Publish(m.Message, c => c.MessageId = m.Id);
        await WaitForInboxAsync([.. messages.Select(m => m.Id)], "DeploymentFlaggedConsumer");
        return (deployments, await FlagReasonsAsync(deployments), [.. Enumerable.Range(0, 120).Select(i => $"r{i:D3}")]);
    }

    [Fact]
    public async Task Every_flag_of_each_deployment_is_applied_once_across_several_batches()
    {
        var (deployments, reasons, published) = await FlagInOrderAsync();

        Assert.All(deployments, d => Assert.Equal(published, reasons[d.Id].Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task A_message_that_cannot_be_applied_goes_to_the_error_queue_alone_and_the_good_messages_of_its_batch_are_applied()
    {
        var deployments = await HomeDeploymentsAsync(20);
        DeploymentExtended Extended(Guid deploymentId, string home) => new()
        {
            DeploymentId = deploymentId, HostOdsCode = TestOds.New("H"), HomeOdsCode = home,
            PreviousEnd = Today.AddDays(30), NewEnd = Today.AddDays(40),
        };
        var good = deployments.Select(d => (Id: NewId.NextGuid(), Message: Extended(d.Id, d.HomeOdsCode))).ToList();
        // Ours, but never requested or started here: its consumer throws, retries and gives up.
        var poison = (Id: NewId.NextGuid(), Message: Extended(Guid.NewGuid(), deployments[0].HomeOdsCode));
        var all = good.Take(10).Append(poison).Concat(good.Skip(10)).ToList();

        await Task.WhenAll(all.Select(m => Bus.Publish(m.Message, c => c.MessageId = m.Id)));

        var dead = await _issuer.Broker.NextMessageAsync("deployment-extended_error", TimeSpan.FromSeconds(60));
        Assert.Equal(poison.Id.ToString(), dead.BasicProperties.MessageId);
        await WaitForInboxAsync([.. good.Select(m => m.Id)], "DeploymentExtendedConsumer");
        await WaitUntilQueueEmptyAsync("deployment-extended");
        Assert.Equal(0u, await _issuer.Broker.MessageCountAsync("deployment-extended_error"));
        var ids = deployments.Select(d => d.Id).ToList();
        var extended = await _issuer.WithDbAsync(async db => (await db.Set<HomeDeployment>().AsNoTracking().Where(d => ids.Contains(d.Id)).ToListAsync())
            .Count(d => d.End == Today.AddDays(40) && d.History.Count(e => e.Event == "extended") == 1));
        Assert.Equal(deployments.Count, extended);
        Assert.Equal(0, await InboxRowsAsync([poison.Id], "DeploymentExtendedConsumer"));
    }
}

/// <summary>The Verifier's <c>CredentialRevokedConsumer</c>, a batch consumer, through a database outage.</summary>
public sealed class BatchDatabaseOutageTests(DatabaseOutageFixture fixture) : IClassFixture<DatabaseOutageFixture>
{
    private readonly VerifierService _app = fixture.App;

    [Fact]
    public async Task A_database_outage_in_the_middle_of_a_stream_of_batches_loses_no_message()
    {
        var bus = _app.Services.GetRequiredService<IBusControl>();
        Assert.Equal(BusHealthStatus.Healthy, await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30)));
        var issuer = TestOds.New("E");
        var uri = $"{IssuerService.PublicBaseUrl}status/{issuer}/1";
        var messages = Enumerable.Range(0, 600).Select(i => (Id: NewId.NextGuid(), Message: new CredentialRevoked
        {
            CredentialId = Guid.NewGuid(), IssuerOdsCode = issuer, StaffId = Guid.NewGuid(), CredentialType = "dbs", Reason = "issued_in_error",
            RevokedAt = DateTimeOffset.UtcNow, StatusListUri = uri, StatusIndex = i,
        })).ToList();
        var ids = messages.Select(m => m.Id).ToList();
        Task<int> Applied() => _app.WithDbAsync(db => db.Set<InboxMessage>().CountAsync(x => ids.Contains(x.MessageId)));

        var publishing = Task.WhenAll(messages.Select(m => bus.Publish(m.Message, c => c.MessageId = m.Id)));
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (await Applied() == 0)
                await Task.Delay(10, timeout.Token);
        }
        fixture.Outage.Down();
        await publishing;
        await Task.Delay(TimeSpan.FromSeconds(5));
        fixture.Outage.Up();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (await Applied() < ids.Count)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"{await Applied()} of {ids.Count} applied within 60 s of the database coming back.");
            await Task.Delay(100);
        }

        var notices = await _app.WithDbAsync(db => db.Set<StatusNotice>().AsNoTracking().Where(n => n.IssuerOdsCode == issuer).ToListAsync());
        Assert.Equal(messages.Select(m => m.Message.CredentialId).Order(), notices.Select(n => n.CredentialId).Order());
        Assert.Equal(ids.Count, await Applied());
        Assert.Equal(0u, await _app.Broker.MessageCountAsync("credential-revoked_error"));
    }
}
