using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Passport.Contracts;
using Passport.Messaging;
using Passport.Testing;
using Passport.Verifier.Deployments;

namespace Passport.Events.Tests;

/// <summary>The Verifier with its database behind a relay that the test can take down, as a PostgreSQL restart would.</summary>
public sealed class DatabaseOutageFixture : IAsyncLifetime
{
    public RabbitMqBroker Broker { get; } = new();
    public TestTokens Tokens { get; } = new();
    public CollectingLoggerProvider Logs { get; } = new();
    public VerifierService App { get; }
    public DatabaseOutage Outage { get; }

    public DatabaseOutageFixture()
    {
        App = new VerifierService(Broker, Tokens);
        Outage = new DatabaseOutage(App.Database.ConnectionString);
        App.Settings["Verifier:Database:ConnectionString"] = Outage.ConnectionString;
        App.Settings["Bus:TransientRetryWindow"] = "00:01:00";
        App.Settings["Bus:TransientRetryMaxInterval"] = "00:00:01";
        App.ConfigureServicesForTest = services => services.AddSingleton<ILoggerProvider>(Logs);
    }

    public async Task InitializeAsync()
    {
        await Broker.InitializeAsync();
        await App.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await App.DestroyAsync();
        await Outage.DisposeAsync();
        await Broker.DisposeAsync();
        Tokens.Dispose();
        Logs.Dispose();
    }
}

public sealed class DatabaseOutageTests(DatabaseOutageFixture fixture) : IClassFixture<DatabaseOutageFixture>
{
    private readonly VerifierService _app = fixture.App;

    [Fact]
    public async Task A_consumer_rides_out_a_database_outage_longer_than_its_quick_retries_and_applies_the_message_once()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var uri = $"{IssuerService.PublicBaseUrl}status/E{Random.Shared.Next(100_000, 999_999)}/1";
        var deployment = Deployment.Request(new DeploymentDraft
        {
            HostOdsCode = TestOds.New("H"), HomeOdsCode = "E1", StaffId = Guid.NewGuid(), AgreementId = Guid.NewGuid(),
            AgreementVersion = 1, DecisionId = Guid.NewGuid(), HostSite = "Ward 3", Start = today, MaxDeploymentDays = 90,
            AgreementEndsOn = today.AddYears(1), HomeApprovalRequired = false, CreatedBy = "test",
            Credentials = [new DeploymentCredential { StatusListUri = uri, StatusIndex = 17, Vct = "https://passport.test/vct/dbs" }],
        }, today.AddDays(30), DateTimeOffset.UtcNow);
        await _app.WithDbAsync(db =>
        {
            db.Add(deployment);
            return db.SaveChangesAsync();
        });
        var bus = _app.Services.GetRequiredService<IBusControl>();
        Assert.Equal(BusHealthStatus.Healthy, await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30)));
        var revoked = new CredentialRevoked
        {
            CredentialId = Guid.NewGuid(), IssuerOdsCode = "E1", StaffId = Guid.NewGuid(), CredentialType = "dbs", Reason = "issued_in_error",
            RevokedAt = DateTimeOffset.UtcNow, StatusListUri = uri, StatusIndex = 17,
        };
        var messageId = NewId.NextGuid();

        fixture.Outage.Down();
        await bus.Publish(revoked, c => c.MessageId = messageId);
        // Longer than the ~11 s the quick retries allowed with their default limit (this app's RetryLimit of 1 allows
        // under a second).
        await Task.Delay(TimeSpan.FromSeconds(15));
        // MassTransit logs a message's first retry, with its exception.
        var retries = fixture.Logs.Entries
            .Where(e => e.Message.StartsWith("R-RETRY", StringComparison.Ordinal) && e.Message.Contains(messageId.ToString(), StringComparison.Ordinal))
            .Select(e => e.Exception).ToList();
        var up = DateTimeOffset.UtcNow;
        fixture.Outage.Up();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        InboxMessage? applied;
        while ((applied = await _app.WithDbAsync(db => db.Set<InboxMessage>().AsNoTracking().FirstOrDefaultAsync(x => x.MessageId == messageId))) is null)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "The message was not applied within 30 s of the database coming back.");
            await Task.Delay(100);
        }

        // The consumer met the outage itself (a real driver error), kept the message through it, and applied it once the
        // database was back.
        Assert.NotEmpty(retries);
        Assert.All(retries, r => Assert.Contains(Chain(r), e => e is NpgsqlException));
        Assert.True(applied.ProcessedAt >= up, $"applied at {applied.ProcessedAt:O}, the database came back at {up:O}");
        Assert.Equal(1, await _app.WithDbAsync(db => db.Set<InboxMessage>().CountAsync(x => x.MessageId == messageId)));
        var flags = await _app.WithDbAsync(async db => (await db.Set<Deployment>().AsNoTracking().FirstAsync(d => d.Id == deployment.Id)).Flags);
        Assert.Equal((revoked.CredentialId, "credential_revoked"), (Assert.Single(flags).CredentialId, flags[0].Kind));
        Assert.DoesNotContain(fixture.Logs.Entries, e => e.EventId.Id is 5001 or 5002);
        Assert.Equal(0u, await _app.Broker.MessageCountAsync("credential-revoked_error"));
    }

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            yield return e;
    }
}
