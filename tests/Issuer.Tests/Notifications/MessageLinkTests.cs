using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Passport.Contracts;
using Passport.Issuer.Organisations;
using Passport.ServiceDefaults;
using static Passport.Issuer.Tests.Notifications.Mailing;

namespace Passport.Issuer.Tests.Notifications;

/// <summary>Each message links to the web page it is about, under <c>Notifications:WebBaseUrl</c> (https://passport.test/ here).</summary>
public sealed partial class MessageLinkTests(MailingIssuer fixture) : IClassFixture<MailingIssuer>
{
    private const string Web = "https://passport.test/";
    private readonly IssuerApp app = fixture.App;

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkPattern();

    private static string Link(MimeMessage mail) => Assert.Single(LinkPattern().Matches(mail.TextBody ?? "")).Value;

    private async Task<MimeMessage> HrMailLinkingToAsync(string subject, string link)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var mail = fixture.Smtp.To(MailingIssuer.HrAddress).FirstOrDefault(m => m.Subject == subject && (m.TextBody ?? "").Contains(link, StringComparison.Ordinal));
            if (mail is not null)
                return mail;
            Assert.True(DateTime.UtcNow < deadline, $"HR did not receive '{subject}' linking to {link}.");
            await Task.Delay(50);
        }
    }

    private async Task EnsureHrOrganisationAsync() => await app.WithDbAsync(async db =>
    {
        if (await db.Organisations.FindAsync(MailingIssuer.HrOds) is null)
        {
            db.Organisations.Add(new Organisation { OdsCode = MailingIssuer.HrOds, Name = "Northgate Hospitals", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
        return 0;
    });

    [Fact]
    public async Task A_mutual_aid_consent_request_links_to_the_persons_answer_page_for_that_request()
    {
        var ods = Seed.NewOds();
        var email = NewAddress("consent-link");
        var (staffId, _) = await StaffWithCredentialAsync(app.Services, ods, email, type: "training");
        var memberId = Guid.NewGuid();

        await app.Services.GetRequiredService<IBus>().Publish(new MutualAidConsentRequested
        {
            RequestId = Guid.NewGuid(), MemberId = memberId, HomeOdsCode = ods, HostOdsCode = "RXH", StaffId = staffId, AgreementId = Guid.NewGuid(),
            Role = "registered_nurse", Start = new DateOnly(2027, 1, 4), End = new DateOnly(2027, 1, 29), RequestedAt = DateTimeOffset.UtcNow,
        });

        var mail = Assert.Single(await fixture.Smtp.WaitForAsync(email));
        Assert.Equal($"{Web}my-passport/mutual-aid/{memberId}", Link(mail));
        HasNoSpecialCategoryData(mail.TextBody);
    }

    [Fact]
    public async Task An_offer_and_a_withdrawal_link_to_the_persons_own_passport()
    {
        await EnsureHrOrganisationAsync();
        var email = NewAddress("offer-link");
        var (staffId, credentialId) = await StaffWithCredentialAsync(app.Services, MailingIssuer.HrOds, email, type: "training");
        using var hr = app.ClientFor(MailingIssuer.HrOds, PassportRoles.HrIssuer);

        Assert.Equal(HttpStatusCode.Created, (await hr.PostAsJsonAsync($"/api/staff/{staffId}/offers", new { })).StatusCode);
        var offered = Assert.Single(await fixture.Smtp.WaitForAsync(email));
        Assert.Equal(HttpStatusCode.OK, (await hr.PostAsJsonAsync($"/api/credentials/{credentialId}/revoke", new { reason = "no_longer_valid" })).StatusCode);
        var withdrawn = (await fixture.Smtp.WaitForAsync(email, 2))[1];

        Assert.Equal($"{Web}my-passport", Link(offered));
        Assert.Equal($"{Web}my-passport", Link(withdrawn));
    }

    [Fact]
    public async Task Hr_is_told_of_a_rejection_with_a_link_to_that_persons_passport_page()
    {
        await EnsureHrOrganisationAsync();
        var (staffId, credentialId) = await StaffWithCredentialAsync(app.Services, MailingIssuer.HrOds, NewAddress("rejecting"), type: "training");
        var subject = $"login-{Guid.NewGuid():N}";
        await app.WithDbAsync(async db =>
        {
            (await db.Staff.SingleAsync(s => s.Id == staffId)).Subject = subject;
            return await db.SaveChangesAsync();
        });
        using var hr = app.ClientFor(MailingIssuer.HrOds, PassportRoles.HrIssuer);
        Assert.Equal(HttpStatusCode.Created, (await hr.PostAsJsonAsync($"/api/staff/{staffId}/offers", new { })).StatusCode);
        using var me = app.ClientFor(MailingIssuer.HrOds, PassportRoles.Staff, staffId, subject);

        var reply = await me.PostAsJsonAsync($"/api/me/credentials/{credentialId}/reply", new { reply = "rejected", reason = "duplicate" });

        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        var mail = await HrMailLinkingToAsync("A member of staff rejected a credential", $"{Web}staff/{staffId}");
        Assert.Equal($"{Web}staff/{staffId}", Link(mail));
    }

    [Fact]
    public async Task Hr_is_asked_to_approve_a_deployment_and_told_of_a_flag_with_a_link_to_that_deployment()
    {
        await EnsureHrOrganisationAsync();
        var deploymentId = Guid.NewGuid();
        var bus = app.Services.GetRequiredService<IBus>();

        await bus.Publish(new DeploymentRequested
        {
            DeploymentId = deploymentId, HostOdsCode = "RXH", HomeOdsCode = MailingIssuer.HrOds, StaffId = Guid.NewGuid(), AgreementId = Guid.NewGuid(),
            Start = new DateOnly(2027, 3, 1), End = new DateOnly(2027, 3, 31), RequiresHomeApproval = true,
        });
        await bus.Publish(new DeploymentFlagged
        {
            DeploymentId = deploymentId, HostOdsCode = "RXH", HomeOdsCode = MailingIssuer.HrOds, CredentialId = Guid.NewGuid(),
            Reason = "credential_revoked: dbs", FlaggedAt = DateTimeOffset.UtcNow,
        });

        var approval = await HrMailLinkingToAsync("A deployment needs your approval", deploymentId.ToString());
        var flagged = await HrMailLinkingToAsync("A deployment of your staff was flagged", deploymentId.ToString());
        Assert.Equal($"{Web}deployed/{deploymentId}", Link(approval));
        Assert.Equal($"{Web}deployed/{deploymentId}", Link(flagged));
    }

    [Fact]
    public void A_link_keeps_the_path_of_a_web_base_url_with_or_without_its_final_slash()
    {
        var id = Guid.NewGuid();

        Assert.Equal($"https://trust.nhs.uk/passport/staff/{id}", Passport.Notifications.WebPages.Link(new Uri("https://trust.nhs.uk/passport"), Passport.Notifications.WebPages.StaffPassport(id)).ToString());
        Assert.Equal($"https://trust.nhs.uk/passport/staff/{id}", Passport.Notifications.WebPages.Link(new Uri("https://trust.nhs.uk/passport/"), Passport.Notifications.WebPages.StaffPassport(id)).ToString());
    }
}
