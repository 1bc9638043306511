using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Contracts;
using Passport.Messaging;
using Passport.Testing;
using Passport.Verifier.Deployments;

namespace Passport.Events.Tests;

public sealed class VerifierFixture : IAsyncLifetime
{
    public RabbitMqBroker Broker { get; } = new();
    public TestTokens Tokens { get; } = new();
    public VerifierService App { get; }

    public VerifierFixture()
    {
        App = new VerifierService(Broker, Tokens);
    }

    public async Task InitializeAsync()
    {
        await Broker.InitializeAsync();
        await App.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await App.DestroyAsync();
        await Broker.DisposeAsync();
        Tokens.Dispose();
    }
}

public sealed class CredentialExpiringTests(VerifierFixture fixture) : IClassFixture<VerifierFixture>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private readonly VerifierService _app = fixture.App;

    private async Task<(Deployment Deployment, string StatusListUri)> DeploymentAsync(DateOnly end)
    {
        var home = TestOds.New("E");
        var uri = $"{IssuerService.PublicBaseUrl}status/{home}/1";
        var deployment = Deployment.Request(new DeploymentDraft
        {
            HostOdsCode = TestOds.New("H"), HomeOdsCode = home, StaffId = Guid.NewGuid(), AgreementId = Guid.NewGuid(),
            AgreementVersion = 1, DecisionId = Guid.NewGuid(), HostSite = "Ward 3", Start = Today, MaxDeploymentDays = 90,
            AgreementEndsOn = Today.AddYears(1), HomeApprovalRequired = false, CreatedBy = "test",
            Credentials = [new DeploymentCredential { StatusListUri = uri, StatusIndex = 17, Vct = "https://passport.test/vct/dbs" }],
        }, end, DateTimeOffset.UtcNow);
        await _app.WithDbAsync(async db =>
        {
            db.Add(deployment);
            return await db.SaveChangesAsync();
        });
        return (deployment, uri);
    }

    private static CredentialExpiring Expiring(string? uri, DateTimeOffset expiresAt, int thresholdDays = 30) => new()
    {
        CredentialId = Guid.NewGuid(), IssuerOdsCode = "E1", StaffId = Guid.NewGuid(), CredentialType = "dbs", ExpiresAt = expiresAt,
        ThresholdDays = thresholdDays, StatusListUri = uri, StatusIndex = uri is null ? null : 17,
    };

    /// <summary>Publishes with a chosen message id and waits until the consumer's inbox has recorded it.</summary>
    private async Task DeliverAsync(CredentialExpiring message, Guid messageId)
    {
        await _app.Services.GetRequiredService<IBus>().Publish(message, c => c.MessageId = messageId);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await _app.WithDbAsync(db => db.Set<InboxMessage>().AnyAsync(x => x.MessageId == messageId && x.Consumer == "CredentialExpiringConsumer")))
            await Task.Delay(50, timeout.Token);
    }

    private Task<List<DeploymentFlag>> FlagsAsync(Guid deploymentId) =>
        _app.WithDbAsync(async db => (await db.Set<Deployment>().AsNoTracking().FirstAsync(d => d.Id == deploymentId)).Flags);

    [Fact]
    public async Task A_credential_lapsing_before_the_deployment_ends_flags_it_and_says_so_on_the_bus()
    {
        var (deployment, uri) = await DeploymentAsync(end: Today.AddDays(20));
        await using var flagged = await BusProbe<DeploymentFlagged>.StartAsync(_app.Broker);
        var message = Expiring(uri, DateTimeOffset.UtcNow.AddDays(10));

        await DeliverAsync(message, NewId.NextGuid());

        var flag = Assert.Single(await FlagsAsync(deployment.Id));
        Assert.Equal((message.CredentialId, "credential_expiring", 17L), (flag.CredentialId, flag.Kind, flag.StatusIndex));
        var evt = await flagged.NextAsync(e => e.DeploymentId == deployment.Id);
        Assert.Equal(message.CredentialId, evt.Message.CredentialId);
        Assert.StartsWith("credential_expiring", evt.Message.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_credential_valid_through_the_deployments_last_day_does_not_flag_it()
    {
        var end = Today.AddDays(20);
        var (deployment, uri) = await DeploymentAsync(end);
        var endOfLastDay = new DateTimeOffset(end.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        await DeliverAsync(Expiring(uri, endOfLastDay), NewId.NextGuid());

        Assert.Empty(await FlagsAsync(deployment.Id));
    }

    [Fact]
    public async Task A_credential_expiring_during_the_last_day_flags_the_deployment()
    {
        var end = Today.AddDays(20);
        var (deployment, uri) = await DeploymentAsync(end);
        var duringLastDay = new DateTimeOffset(end.ToDateTime(new TimeOnly(18, 0)), TimeSpan.Zero);

        await DeliverAsync(Expiring(uri, duringLastDay), NewId.NextGuid());

        Assert.Single(await FlagsAsync(deployment.Id));
    }

    [Fact]
    public async Task A_redelivered_alert_and_a_later_threshold_for_the_same_credential_flag_once()
    {
        var (deployment, uri) = await DeploymentAsync(end: Today.AddDays(40));
        var first = Expiring(uri, DateTimeOffset.UtcNow.AddDays(25), thresholdDays: 30);
        var messageId = NewId.NextGuid();

        await DeliverAsync(first, messageId);
        await _app.Services.GetRequiredService<IBus>().Publish(first, c => c.MessageId = messageId);
        await DeliverAsync(first with { ThresholdDays = 14 }, NewId.NextGuid());

        Assert.Single(await FlagsAsync(deployment.Id));
        var inbox = await _app.WithDbAsync(db => db.Set<InboxMessage>().CountAsync(x => x.MessageId == messageId));
        Assert.Equal(1, inbox);
    }

    [Fact]
    public async Task An_alert_that_does_not_name_the_status_list_entry_flags_nothing()
    {
        var (deployment, _) = await DeploymentAsync(end: Today.AddDays(20));

        await DeliverAsync(Expiring(null, DateTimeOffset.UtcNow.AddDays(5)), NewId.NextGuid());

        Assert.Empty(await FlagsAsync(deployment.Id));
    }

    [Fact]
    public async Task An_ended_deployment_is_not_flagged()
    {
        var (deployment, uri) = await DeploymentAsync(end: Today.AddDays(20));
        await _app.WithDbAsync(async db =>
        {
            var d = await db.Set<Deployment>().FirstAsync(x => x.Id == deployment.Id);
            d.TryEnd(Today, DateTimeOffset.UtcNow, out _);
            return await db.SaveChangesAsync();
        });

        await DeliverAsync(Expiring(uri, DateTimeOffset.UtcNow.AddDays(5)), NewId.NextGuid());

        Assert.Empty(await FlagsAsync(deployment.Id));
    }
}
