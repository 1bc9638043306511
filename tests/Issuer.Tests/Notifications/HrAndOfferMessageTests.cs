using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Contracts;
using Passport.Issuer.Notifications;
using Passport.Issuer.Organisations;
using Passport.ServiceDefaults;
using static Passport.Issuer.Tests.Notifications.Mailing;

namespace Passport.Issuer.Tests.Notifications;

public sealed class HrAndOfferMessageTests(MailingIssuer fixture) : IClassFixture<MailingIssuer>
{
    private const string Hr = MailingIssuer.HrAddress;
    private readonly IssuerApp app = fixture.App;

    private async Task EnsureHrOrganisationAsync() => await app.WithDbAsync(async db =>
    {
        if (await db.Organisations.FindAsync(MailingIssuer.HrOds) is null)
        {
            db.Organisations.Add(new Organisation { OdsCode = MailingIssuer.HrOds, Name = "Northgate Hospitals", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
        return 0;
    });

    private async Task<int> HrMailsAsync(string subject, int atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (fixture.Smtp.To(Hr).Count(m => m.Subject == subject) < atLeast)
        {
            Assert.True(DateTime.UtcNow < deadline, $"HR did not receive '{subject}'.");
            await Task.Delay(50);
        }
        await Task.Delay(1000);
        return fixture.Smtp.To(Hr).Count(m => m.Subject == subject);
    }

    [Fact]
    public async Task Hr_contacts_are_asked_once_to_approve_a_deployment_even_when_the_event_is_redelivered()
    {
        await EnsureHrOrganisationAsync();
        var bus = app.Services.GetRequiredService<IBus>();
        var messageId = NewId.NextGuid();
        var requested = new DeploymentRequested
        {
            DeploymentId = Guid.NewGuid(), HostOdsCode = "RXH", HomeOdsCode = MailingIssuer.HrOds, StaffId = Guid.NewGuid(), AgreementId = Guid.NewGuid(),
            Start = new DateOnly(2027, 3, 1), End = new DateOnly(2027, 3, 31), RequiresHomeApproval = true,
        };

        await bus.Publish(requested, c => c.MessageId = messageId);
        await bus.Publish(requested, c => c.MessageId = messageId);
        await bus.Publish(requested with { DeploymentId = Guid.NewGuid(), RequiresHomeApproval = false });

        Assert.Equal(1, await HrMailsAsync("A deployment needs your approval", 1));
        var mail = fixture.Smtp.To(Hr).Single(m => m.Subject == "A deployment needs your approval");
        Assert.Contains("from 1 March 2027 to 31 March 2027", mail.TextBody, StringComparison.Ordinal);
        HasNoSpecialCategoryData(mail.TextBody);
    }

    [Fact]
    public async Task Hr_contacts_are_told_once_when_a_host_asks_for_their_staff_in_mutual_aid_and_not_when_it_names_nobody_of_theirs()
    {
        await EnsureHrOrganisationAsync();
        const string subject = "Another organisation has asked for your staff in mutual aid";
        var before = fixture.Smtp.To(Hr).Count(m => m.Subject == subject);
        var (staffId, _) = await StaffWithCredentialAsync(app.Services, MailingIssuer.HrOds, NewAddress("asked"), type: "training");
        var bus = app.Services.GetRequiredService<IBus>();
        var messageId = NewId.NextGuid();
        var raised = new MutualAidRaisedByHost
        {
            RequestId = Guid.NewGuid(), HostOdsCode = "RXH", HomeOdsCode = MailingIssuer.HrOds, AgreementId = Guid.NewGuid(), Role = "registered_nurse",
            Start = new DateOnly(2027, 2, 1), End = new DateOnly(2027, 2, 28), RaisedBy = "host-user", RaisedAt = DateTimeOffset.UtcNow, StaffIds = [staffId],
        };

        await bus.Publish(raised, c => c.MessageId = messageId);
        await bus.Publish(raised, c => c.MessageId = messageId);
        await bus.Publish(raised with { RequestId = Guid.NewGuid(), StaffIds = [Guid.NewGuid()] });

        Assert.Equal(before + 1, await HrMailsAsync(subject, before + 1));
        var mail = fixture.Smtp.To(Hr).Last(m => m.Subject == subject);
        Assert.Contains("Another organisation has asked for 1 member of staff of Northgate Hospitals to work with them from 1 February 2027 to 28 February 2027", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"https://passport.test/mutual-aid/{raised.RequestId}", mail.TextBody, StringComparison.Ordinal);
        HasNoSpecialCategoryData(mail.TextBody);
    }

    [Fact]
    public async Task Hr_contacts_are_told_when_a_deployment_of_their_staff_is_flagged()
    {
        await EnsureHrOrganisationAsync();
        var before = fixture.Smtp.To(Hr).Count(m => m.Subject == "A deployment of your staff was flagged");

        await app.Services.GetRequiredService<IBus>().Publish(new DeploymentFlagged
        {
            DeploymentId = Guid.NewGuid(), HostOdsCode = "RXH", HomeOdsCode = MailingIssuer.HrOds, CredentialId = Guid.NewGuid(),
            Reason = "credential_revoked: dbs", FlaggedAt = DateTimeOffset.UtcNow,
        });

        Assert.Equal(before + 1, await HrMailsAsync("A deployment of your staff was flagged", before + 1));
        HasNoSpecialCategoryData(fixture.Smtp.To(Hr).Last(m => m.Subject == "A deployment of your staff was flagged").TextBody);
    }

    [Fact]
    public async Task An_offer_emails_the_person_then_reminds_them_weekly_until_they_reply_and_hr_hears_of_a_rejection_once()
    {
        await EnsureHrOrganisationAsync();
        var email = NewAddress("offered");
        var (staffId, credentialId) = await StaffWithCredentialAsync(app.Services, MailingIssuer.HrOds, email, type: "training");
        var subject = $"login-{Guid.NewGuid():N}";
        await app.WithDbAsync(async db =>
        {
            (await db.Staff.SingleAsync(s => s.Id == staffId)).Subject = subject;
            return await db.SaveChangesAsync();
        });
        using var hr = app.ClientFor(MailingIssuer.HrOds, PassportRoles.HrIssuer);
        var offer = await (await hr.PostAsJsonAsync($"/api/staff/{staffId}/offers", new { })).Content.ReadFromJsonAsync<JsonObject>();
        var offerId = (Guid)offer!["id"]!;

        var offered = Assert.Single(await fixture.Smtp.WaitForAsync(email));
        Assert.Equal("Northgate Hospitals has offered you a credential", offered.Subject);

        var reminders = app.Services.GetRequiredService<OfferReminderJob>();
        await MoveOfferBackAsync(offerId, days: 8);
        Assert.Equal(1, await reminders.RemindAsync(CancellationToken.None));
        Assert.Equal(0, await reminders.RemindAsync(CancellationToken.None));
        var reminded = await fixture.Smtp.WaitForAsync(email, 2);
        Assert.Equal("Reminder: Northgate Hospitals offered you credentials", reminded[1].Subject);

        using var me = app.ClientFor(MailingIssuer.HrOds, PassportRoles.Staff, staffId, subject);
        var rejectionsBefore = fixture.Smtp.To(Hr).Count(m => m.Subject == "A member of staff rejected a credential");
        Assert.Equal(HttpStatusCode.OK, (await me.PostAsJsonAsync($"/api/me/credentials/{credentialId}/reply", new { reply = "rejected", reason = "duplicate" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await me.PostAsJsonAsync($"/api/me/credentials/{credentialId}/reply", new { reply = "rejected", reason = "incorrect", description = "Wrong date" })).StatusCode);
        Assert.Equal(rejectionsBefore + 1, await HrMailsAsync("A member of staff rejected a credential", rejectionsBefore + 1));

        await MoveOfferBackAsync(offerId, days: 7);
        Assert.Equal(0, await reminders.RemindAsync(CancellationToken.None));
        Assert.Equal(2, fixture.Smtp.To(email).Count);
    }

    [Fact]
    public async Task An_organisation_admin_lists_the_organisations_messages_and_hr_alone_may_not()
    {
        var ods = Seed.NewOds();
        var email = NewAddress("listed");
        var (_, credentialId) = await StaffWithCredentialAsync(app.Services, ods, email, type: "training");
        await app.ClientFor(ods, PassportRoles.HrIssuer).PostAsJsonAsync($"/api/credentials/{credentialId}/suspend", new { reason = "update_pending" });
        await fixture.Smtp.WaitForAsync(email);
        await EventuallyAsync(async () => (await RowsAsync(app.Services, ods)).All(r => r.State == "sent"), "the row to be marked sent");

        var page = await app.ClientFor(ods, PassportRoles.OrganisationAdmin).GetFromJsonAsync<JsonObject>("/api/messages?pageSize=10");

        var item = Assert.Single(page!["items"]!.AsArray())!;
        Assert.Equal((email, "email", "sent", "credential_suspended"), ((string?)item["recipient"], (string?)item["channel"], (string?)item["state"], (string?)item["template"]));
        Assert.Equal(1, (int)page["total"]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(ods, PassportRoles.HrIssuer).GetAsync("/api/messages")).StatusCode);
        var bad = await app.ClientFor(ods, PassportRoles.OrganisationAdmin).GetAsync("/api/messages?pageSize=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Hr_records_an_email_and_mobile_on_a_staff_record_and_a_bad_one_is_named()
    {
        var ods = await Staff.Api.NewOrganisationAsync(app);
        using var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        var body = JsonSerializer(Staff.Api.StaffBody());
        body["email"] = "amara.okafor@northgate.nhs.uk";
        body["mobile"] = "07700 900123";

        var created = await (await hr.PostAsJsonAsync("/api/staff", body)).Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(("amara.okafor@northgate.nhs.uk", "+447700900123"), ((string?)created!["email"], (string?)created["mobile"]));
        var bad = JsonSerializer(Staff.Api.StaffBody());
        bad["email"] = "amara at northgate";
        bad["mobile"] = "12345";
        var refused = await hr.PostAsJsonAsync("/api/staff", bad);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(("validation_failed", true, true), ((string?)problem["code"], errors.ContainsKey("email"), errors.ContainsKey("mobile")));
        var id = (Guid)created["id"]!;
        var update = JsonSerializer(Staff.Api.StaffBody((string?)created["assignmentNumber"]));
        var updated = await (await hr.PutAsJsonAsync($"/api/staff/{id}", update)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Null((string?)updated!["email"]);
    }

    private static JsonObject JsonSerializer(object body) => System.Text.Json.JsonSerializer.SerializeToNode(body)!.AsObject();

    private Task<int> MoveOfferBackAsync(Guid offerId, int days) => app.WithDbAsync(db =>
        db.Offers.Where(o => o.Id == offerId).ExecuteUpdateAsync(s => s.SetProperty(o => o.CreatedAt, o => o.CreatedAt.AddDays(-days))));
}
