using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Contracts;
using Passport.Issuer.Data;
using Passport.Messaging;
using Passport.Notifications;
using Passport.ServiceDefaults;
using static Passport.Issuer.Tests.Notifications.Mailing;

namespace Passport.Issuer.Tests.Notifications;

public sealed class StaffMessageTests(MailingIssuer fixture) : IClassFixture<MailingIssuer>
{
    private readonly IssuerApp app = fixture.App;

    private static Uri Url(string path) => new(path, UriKind.Relative);

    [Fact]
    public async Task Withdrawing_a_credential_emails_its_holder_once_with_no_special_category_data()
    {
        var ods = Seed.NewOds();
        var email = NewAddress("amara");
        var (_, credentialId) = await StaffWithCredentialAsync(app.Services, ods, email, type: "dbs");

        var response = await app.ClientFor(ods, PassportRoles.HrIssuer).PostAsJsonAsync(Url($"/api/credentials/{credentialId}/revoke"), new { reason = "no_longer_valid" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mail = Assert.Single(await fixture.Smtp.WaitForAsync(email));
        Assert.Equal($"Northgate Trust {ods} has withdrawn a credential", mail.Subject);
        Assert.Contains("pre-employment check credential", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://passport.test/", mail.TextBody, StringComparison.Ordinal);
        HasNoSpecialCategoryData(mail.Subject + "\n" + mail.TextBody);
        await Task.Delay(1000);
        Assert.Single(fixture.Smtp.To(email));
        var row = Assert.Single(await RowsAsync(app.Services, ods));
        Assert.Equal((NotificationStates.Sent, 1), (row.State, row.Attempts));
    }

    [Fact]
    public async Task A_redelivered_event_makes_no_second_message()
    {
        var ods = Seed.NewOds();
        var email = NewAddress("redelivered");
        var (staffId, credentialId) = await StaffWithCredentialAsync(app.Services, ods, email, type: "training");
        var bus = app.Services.GetRequiredService<IBus>();
        var messageId = NewId.NextGuid();
        var suspended = new CredentialSuspended
        {
            CredentialId = credentialId, IssuerOdsCode = ods, StaffId = staffId, CredentialType = "training", Reason = "update_pending", SuspendedAt = DateTimeOffset.UtcNow,
        };

        await bus.Publish(suspended, c => c.MessageId = messageId);
        await fixture.Smtp.WaitForAsync(email);
        await bus.Publish(suspended, c => c.MessageId = messageId);
        await EventuallyAsync(() => app.WithDbAsync(db => db.Set<InboxMessage>().AnyAsync(i => i.MessageId == messageId)), "the inbox row");
        await Task.Delay(1500);

        var mail = Assert.Single(fixture.Smtp.To(email));
        Assert.Contains("suspended a training credential", mail.TextBody, StringComparison.Ordinal);
        Assert.Single(await RowsAsync(app.Services, ods));
    }

    [Fact]
    public async Task A_failing_mail_server_is_retried_and_the_message_arrives_once_when_it_recovers()
    {
        var ods = Seed.NewOds();
        var email = NewAddress("retried");
        var (_, credentialId) = await StaffWithCredentialAsync(app.Services, ods, email, type: "training");
        fixture.Smtp.Failing = true;
        try
        {
            var refusedBefore = fixture.Smtp.Refused;
            Assert.Equal(HttpStatusCode.OK, (await app.ClientFor(ods, PassportRoles.HrIssuer)
                .PostAsJsonAsync(Url($"/api/credentials/{credentialId}/revoke"), new { reason = "issued_in_error" })).StatusCode);
            await EventuallyAsync(async () => fixture.Smtp.Refused >= refusedBefore + 2, "two refused attempts");
            // The server counts a refusal before the dispatcher records it.
            await EventuallyAsync(async () => OnlyRow(await RowsAsync(app.Services, ods)).Attempts >= 2, "two recorded attempts");
            var pending = Assert.Single(await RowsAsync(app.Services, ods));
            Assert.Equal(NotificationStates.Pending, pending.State);
            Assert.Null(pending.SentAt);
            Assert.NotNull(pending.LastError);
        }
        finally
        {
            fixture.Smtp.Failing = false;
        }

        Assert.Single(await fixture.Smtp.WaitForAsync(email));
        await Task.Delay(1000);
        Assert.Single(fixture.Smtp.To(email));
        var row = Assert.Single(await RowsAsync(app.Services, ods));
        Assert.Equal(NotificationStates.Sent, row.State);
        Assert.True(row.Attempts >= 3);
    }

    [Fact]
    public async Task Withdrawals_arriving_together_tell_each_holder_once_in_their_own_organisations_name_and_nobody_else()
    {
        var (north, south) = (Seed.NewOds(), Seed.NewOds());
        var (ada, ben, cai) = (NewAddress("together-ada"), NewAddress("together-ben"), NewAddress("together-cai"));
        var a = await StaffWithCredentialAsync(app.Services, north, ada, type: "dbs");
        var b = await StaffWithCredentialAsync(app.Services, north, ben, type: "training");
        var c = await StaffWithCredentialAsync(app.Services, south, cai, type: "training");
        var none = await StaffWithCredentialAsync(app.Services, north, email: null, type: "training");
        CredentialRevoked Revoked((Guid StaffId, Guid CredentialId) x, string ods, string type) => new()
        {
            CredentialId = x.CredentialId, IssuerOdsCode = ods, StaffId = x.StaffId, CredentialType = type, Reason = "no_longer_valid", RevokedAt = DateTimeOffset.UtcNow,
        };
        // The last names a person of another organisation: nobody is told of it.
        var events = new[] { Revoked(a, north, "dbs"), Revoked(b, north, "training"), Revoked(c, south, "training"), Revoked(none, north, "training"), Revoked(c, north, "dbs") };
        var ids = events.Select(_ => NewId.NextGuid()).ToList();
        var bus = app.Services.GetRequiredService<IBus>();

        await Task.WhenAll(events.Select((e, i) => bus.Publish(e, x => x.MessageId = ids[i])));

        await EventuallyAsync(() => app.WithDbAsync(db => db.Set<InboxMessage>().CountAsync(i => i.Consumer == "CredentialRevokedNotifier" && ids.Contains(i.MessageId))
            .ContinueWith(t => t.Result == ids.Count, TaskScheduler.Default)), "the notifier to consume all five events");
        Assert.Contains("pre-employment check credential", Assert.Single(await fixture.Smtp.WaitForAsync(ada)).TextBody, StringComparison.Ordinal);
        Assert.Equal($"Northgate Trust {north} has withdrawn a credential", Assert.Single(await fixture.Smtp.WaitForAsync(ben)).Subject);
        var toCai = Assert.Single(await fixture.Smtp.WaitForAsync(cai));
        Assert.Equal($"Northgate Trust {south} has withdrawn a credential", toCai.Subject);
        Assert.Contains("training credential", toCai.TextBody, StringComparison.Ordinal);
        Assert.Equal(2, (await RowsAsync(app.Services, north)).Count);
        Assert.Single(await RowsAsync(app.Services, south));
        await Task.Delay(1000);
        Assert.Single(fixture.Smtp.To(cai));
    }

    [Fact]
    public async Task A_person_with_no_address_gets_no_message_and_nothing_fails()
    {
        var ods = Seed.NewOds();
        var (_, credentialId) = await StaffWithCredentialAsync(app.Services, ods, email: null, type: "training");

        var response = await app.ClientFor(ods, PassportRoles.HrIssuer).PostAsJsonAsync(Url($"/api/credentials/{credentialId}/revoke"), new { reason = "no_longer_valid" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await EventuallyAsync(() => app.WithDbAsync(db => db.Set<InboxMessage>().AnyAsync(i => i.Consumer == "CredentialRevokedNotifier" &&
            db.Set<OutboxMessage>().Any(o => o.MessageId == i.MessageId && o.Body.Contains(credentialId.ToString())))), "the notifier to consume the event");
        Assert.Empty(await RowsAsync(app.Services, ods));
    }

    [Fact]
    public async Task A_credential_entering_the_14_day_window_tells_its_holder_once()
    {
        var ods = Seed.NewOds();
        var email = NewAddress("expiring");
        await StaffWithCredentialAsync(app.Services, ods, email, type: "training", expiresAt: DateTimeOffset.UtcNow.AddDays(10));
        var job = app.Services.GetRequiredService<Expiry.ExpiryAlertJob>();

        await job.RunOnceAsync(CancellationToken.None);
        await job.RunOnceAsync(CancellationToken.None);

        var mail = Assert.Single(await fixture.Smtp.WaitForAsync(email));
        Assert.Equal("A credential expires in 14 days", mail.Subject);
        Assert.Contains("training credential", mail.TextBody, StringComparison.Ordinal);
        await Task.Delay(1000);
        Assert.Single(fixture.Smtp.To(email));
    }

    [Fact]
    public async Task A_mutual_aid_consent_request_asks_the_person_once_without_saying_more_than_the_dates()
    {
        var ods = Seed.NewOds();
        var email = NewAddress("consent");
        var (staffId, _) = await StaffWithCredentialAsync(app.Services, ods, email, type: "training");
        var messageId = NewId.NextGuid();
        var requested = new MutualAidConsentRequested
        {
            RequestId = Guid.NewGuid(), MemberId = Guid.NewGuid(), HomeOdsCode = ods, HostOdsCode = "RXH", StaffId = staffId, AgreementId = Guid.NewGuid(),
            Role = "registered_nurse", Start = new DateOnly(2027, 1, 4), End = new DateOnly(2027, 1, 29), RequestedAt = DateTimeOffset.UtcNow,
        };
        var bus = app.Services.GetRequiredService<IBus>();

        await bus.Publish(requested, c => c.MessageId = messageId);
        await bus.Publish(requested, c => c.MessageId = messageId);

        var mail = Assert.Single(await fixture.Smtp.WaitForAsync(email));
        Assert.Equal("You are asked to work at another organisation", mail.Subject);
        Assert.Contains("from 4 January 2027 to 29 January 2027", mail.TextBody, StringComparison.Ordinal);
        HasNoSpecialCategoryData(mail.TextBody);
        await Task.Delay(1500);
        Assert.Single(fixture.Smtp.To(email));
    }
}
