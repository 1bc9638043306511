using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Contracts;
using Passport.Issuer.Data;
using Passport.Messaging;
using Passport.Notifications;
using Passport.ServiceDefaults;
using static Passport.Issuer.Tests.Notifications.Mailing;

namespace Passport.Issuer.Tests.Notifications;

/// <summary>Two Issuer instances in turn on one database and one SMTP server; only one is alive at a time.</summary>
public sealed class RestartMessageTests(ColdMailingIssuer fixture) : IClassFixture<ColdMailingIssuer>
{
    private static async Task<WebApplicationFactory<IssuerOptions>> StartAsync(WebApplicationFactory<IssuerOptions> host)
    {
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        return host;
    }

    private HttpClient Hr(WebApplicationFactory<IssuerOptions> host, string ods)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(IssuerApp.PublicBaseUrl) });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.App.Tokens.Mint(ods, [PassportRoles.HrIssuer]));
        return client;
    }

    private static async Task<Guid> EventIdAsync(IServiceProvider services, Guid credentialId)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        return await db.Set<OutboxMessage>().Where(o => o.MessageType == typeof(CredentialRevoked).FullName && o.Body.Contains(credentialId.ToString()))
            .Select(o => o.MessageId).SingleAsync();
    }

    [Fact]
    public async Task Messages_sent_before_a_restart_and_waiting_across_it_each_arrive_once_even_when_their_events_are_redelivered()
    {
        var ods = Seed.NewOds();
        var sentEmail = NewAddress("sent-before");
        var waitingEmail = NewAddress("waiting");
        Guid sentStaff, sentCredential, waitingStaff, waitingCredential, sentEvent, waitingEvent;

        var first = await StartAsync(fixture.App.WithWebHostBuilder(_ => { }));
        try
        {
            (sentStaff, sentCredential) = await StaffWithCredentialAsync(first.Services, ods, sentEmail, type: "training");
            (waitingStaff, waitingCredential) = await StaffWithCredentialAsync(first.Services, ods, waitingEmail, type: "training");
            using var hr = Hr(first, ods);
            Assert.Equal(HttpStatusCode.OK, (await hr.PostAsJsonAsync($"/api/credentials/{sentCredential}/revoke", new { reason = "no_longer_valid" })).StatusCode);
            await fixture.Smtp.WaitForAsync(sentEmail);

            fixture.Smtp.Failing = true;
            Assert.Equal(HttpStatusCode.OK, (await hr.PostAsJsonAsync($"/api/credentials/{waitingCredential}/revoke", new { reason = "no_longer_valid" })).StatusCode);
            await EventuallyAsync(async () => (await RowsAsync(first.Services, ods)).Any(n => n.Recipient == waitingEmail && n.Attempts >= 1), "a failed attempt");
            sentEvent = await EventIdAsync(first.Services, sentCredential);
            waitingEvent = await EventIdAsync(first.Services, waitingCredential);
        }
        finally
        {
            await first.DisposeAsync();
            fixture.Smtp.Failing = false;
        }
        Assert.Empty(fixture.Smtp.To(waitingEmail));

        await using var second = await StartAsync(fixture.App.WithWebHostBuilder(_ => { }));
        await fixture.Smtp.WaitForAsync(waitingEmail);
        var bus = second.Services.GetRequiredService<IBus>();
        foreach (var (staffId, credentialId, eventId) in new[] { (sentStaff, sentCredential, sentEvent), (waitingStaff, waitingCredential, waitingEvent) })
        {
            await bus.Publish(new CredentialRevoked
            {
                CredentialId = credentialId, IssuerOdsCode = ods, StaffId = staffId, CredentialType = "training", Reason = "no_longer_valid", RevokedAt = DateTimeOffset.UtcNow,
            }, c => c.MessageId = eventId);
        }
        await Task.Delay(2000);

        Assert.Single(fixture.Smtp.To(sentEmail));
        Assert.Single(fixture.Smtp.To(waitingEmail));
        var rows = await RowsAsync(second.Services, ods);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(NotificationStates.Sent, r.State));
    }
}
