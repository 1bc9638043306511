using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Contracts;
using Passport.Issuer.Deployments;
using Passport.Issuer.Expiry;
using Passport.ServiceDefaults;
using Passport.Testing;

namespace Passport.Issuer.Tests.Deployments;

public sealed class HomeViewTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    private static Uri Url(string path) => new(path, UriKind.Relative);

    /// <summary>Publishes as the Verifier would, with a chosen MessageId so redelivery can be simulated.</summary>
    private async Task PublishAsync<T>(T message, Guid messageId) where T : class
    {
        // The Issuer's bus declares and binds its queues after its host has started; an event published before that is dropped.
        await app.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg => app.Broker.ConfigureHost(cfg));
        await bus.StartAsync();
        try
        {
            await bus.Publish(message, ctx => ctx.MessageId = messageId);
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private static async Task<List<HomeDeploymentResponse>> WaitForAsync(HttpClient hr, Func<List<HomeDeploymentResponse>, bool> done)
    {
        // Bounded generously: on a loaded machine the bus can take seconds to deliver, and a passing run never waits this long.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (DateTimeOffset.UtcNow < deadline)
        {
            var list = await hr.GetFromJsonAsync<List<HomeDeploymentResponse>>(Url("/api/home-deployments"));
            if (list is not null && done(list))
                return list;
            await Task.Delay(100);
        }
        throw new TimeoutException("The deployment view did not reach the expected state within 30 s.");
    }

    [Fact]
    public async Task Hr_sees_a_requested_deployment_approves_it_and_the_approval_flows_back()
    {
        var ods = Seed.NewOds();
        var (staffId, _) = await Seed.CredentialAsync(app, ods);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        await using var approvals = await BusProbe<DeploymentApproved>.StartAsync(app.Broker);
        var deploymentId = Guid.NewGuid();
        var requested = new DeploymentRequested
        {
            DeploymentId = deploymentId, HostOdsCode = "RXH", HomeOdsCode = ods, StaffId = staffId, AgreementId = Guid.NewGuid(),
            Start = new DateOnly(2026, 12, 1), End = new DateOnly(2026, 12, 31), RequiresHomeApproval = true, HostSite = "Royal Sussex",
        };

        var messageId = Guid.NewGuid();
        await PublishAsync(requested, messageId);
        await PublishAsync(requested, messageId); // redelivery of the same message
        var list = await WaitForAsync(hr, l => l.Any(d => d.Id == deploymentId));
        var d = Assert.Single(list, x => x.Id == deploymentId);
        Assert.Equal(DeploymentStates.AwaitingApproval, d.State);
        Assert.Single(d.History);
        Assert.Equal("RXH", d.HostOdsCode);

        var approve = await hr.PostAsync(Url($"/api/home-deployments/{deploymentId}/approve"), null);
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        var evt = await approvals.NextAsync(e => e.DeploymentId == deploymentId);
        Assert.Equal(ods, evt.Message.HomeOdsCode);
        Assert.Equal(HttpStatusCode.Conflict, (await hr.PostAsync(Url($"/api/home-deployments/{deploymentId}/approve"), null)).StatusCode);

        var perStaff = await hr.GetFromJsonAsync<List<HomeDeploymentResponse>>(Url($"/api/staff/{staffId}/deployments"));
        Assert.Contains(perStaff!, x => x.Id == deploymentId && x.State == DeploymentStates.Approved);
    }

    [Fact]
    public async Task Another_organisation_can_neither_see_nor_decide_our_staffs_deployments()
    {
        var ods = Seed.NewOds();
        var (staffId, _) = await Seed.CredentialAsync(app, ods);
        var deploymentId = Guid.NewGuid();
        await PublishAsync(new DeploymentRequested
        {
            DeploymentId = deploymentId, HostOdsCode = "RXH", HomeOdsCode = ods, StaffId = staffId, AgreementId = Guid.NewGuid(),
            Start = new DateOnly(2026, 12, 1), End = new DateOnly(2026, 12, 31), RequiresHomeApproval = true,
        }, Guid.NewGuid());
        await WaitForAsync(app.ClientFor(ods, PassportRoles.HrIssuer), l => l.Any(d => d.Id == deploymentId));

        var other = app.ClientFor(Seed.NewOds(), PassportRoles.HrIssuer);
        Assert.DoesNotContain(await other.GetFromJsonAsync<List<HomeDeploymentResponse>>(Url("/api/home-deployments")) ?? [], d => d.Id == deploymentId);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync(Url($"/api/home-deployments/{deploymentId}/decline"), new { reason = "no" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(ods, PassportRoles.Staff, staffId).GetAsync(Url("/api/home-deployments"))).StatusCode);
    }

    [Fact]
    public async Task A_decline_needs_a_reason_and_publishes_it()
    {
        var ods = Seed.NewOds();
        var (staffId, _) = await Seed.CredentialAsync(app, ods);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        await using var declines = await BusProbe<DeploymentDeclined>.StartAsync(app.Broker);
        var deploymentId = Guid.NewGuid();
        await PublishAsync(new DeploymentRequested
        {
            DeploymentId = deploymentId, HostOdsCode = "RXH", HomeOdsCode = ods, StaffId = staffId, AgreementId = Guid.NewGuid(),
            Start = new DateOnly(2026, 12, 1), End = new DateOnly(2026, 12, 31), RequiresHomeApproval = true,
        }, Guid.NewGuid());
        await WaitForAsync(hr, l => l.Any(d => d.Id == deploymentId));

        Assert.Equal(HttpStatusCode.BadRequest, (await hr.PostAsJsonAsync(Url($"/api/home-deployments/{deploymentId}/decline"), new { reason = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hr.PostAsJsonAsync(Url($"/api/home-deployments/{deploymentId}/decline"), new { reason = "Needed on our own wards that week" })).StatusCode);
        var evt = await declines.NextAsync(e => e.DeploymentId == deploymentId);
        Assert.Equal("Needed on our own wards that week", evt.Message.Reason);
    }

    [Fact]
    public async Task Expiry_alerts_go_out_once_per_credential_for_the_nearest_threshold()
    {
        var ods = Seed.NewOds();
        var (_, credentialId) = await Seed.CredentialAsync(app, ods);
        await app.WithDbAsync(async db =>
        {
            var c = await db.Credentials.SingleAsync(x => x.Id == credentialId);
            db.Entry(c).Property(x => x.ExpiresAt).CurrentValue = DateTimeOffset.UtcNow.AddDays(10);
            return await db.SaveChangesAsync();
        });
        await using var expiring = await BusProbe<CredentialExpiring>.StartAsync(app.Broker);
        var job = app.Services.GetRequiredService<ExpiryAlertJob>();

        await job.RunOnceAsync(CancellationToken.None);
        await job.RunOnceAsync(CancellationToken.None);

        var evt = await expiring.NextAsync(e => e.CredentialId == credentialId);
        Assert.Equal(14, evt.Message.ThresholdDays);
        var alerts = await app.WithDbAsync(db => db.Set<ExpiryAlert>().Where(a => a.CredentialId == credentialId).ToListAsync());
        Assert.Equal(14, Assert.Single(alerts).ThresholdDays);
        var outbox = await app.WithDbAsync(db => db.Set<Messaging.OutboxMessage>().CountAsync(m => m.MessageType == typeof(CredentialExpiring).FullName && m.Body.Contains(credentialId.ToString())));
        Assert.Equal(1, outbox);
    }
}
