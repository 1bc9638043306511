extern alias HostAssembly;

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HostAssembly::Passport.Host;
using Microsoft.Playwright;
using MimeKit;

namespace Passport.Web.Tests;

/// <summary>A message's link, read from the site's SMTP server, opens the page it is about once the person has signed in.</summary>
[Collection(SiteTests.Name)]
public sealed partial class MessageLinkPageTests(PassportSite site, Browser browser)
{
    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkPattern();

    [Fact]
    public async Task A_mutual_aid_consent_message_opens_the_persons_answer_page_after_they_sign_in()
    {
        var nurse = await Scene.NurseAsync(site, "Mina", "Messagelink");
        using (var hr = await site.ApiAsync(TestUser.HrAtRhq))
        {
            string agreementId;
            using (var verifier = await site.ApiAsync(TestUser.VerifierAtRxh))
                agreementId = (await verifier.GetFromJsonAsync<JsonArray>(new Uri("api/agreements", UriKind.Relative)))!
                    .First(a => a!["title"]!.GetValue<string>() == Scene.AgreementTitle)!["id"]!.GetValue<string>();
            var raised = await hr.PostAsJsonAsync(new Uri("api/mutual-aid-requests", UriKind.Relative), new JsonObject
            {
                ["hostOdsCode"] = Scene.HostOds, ["agreementId"] = agreementId, ["role"] = Scene.NurseRole,
                ["start"] = FirstRun.Day(Scene.Today.AddDays(3)), ["end"] = FirstRun.Day(Scene.Today.AddDays(12)),
                ["staffIds"] = new JsonArray(nurse.Id.ToString()),
            });
            Assert.True(raised.IsSuccessStatusCode, await raised.Content.ReadAsStringAsync());
        }
        var mail = Assert.Single(await site.Smtp.WaitForAsync(Scene.EmailOf(nurse)));
        var link = LinkOf(mail);
        Assert.Matches($"^{Regex.Escape(site.Url.ToString())}my-passport/mutual-aid/[0-9a-f-]{{36}}$", link);

        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await OpenAfterSigningInAsync(page, link, nurse.User);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Mutual aid at {Scene.HostName}");
        await Assertions.Expect(page.GetByLabel("Yes, I agree to go")).ToBeVisibleAsync();
        await Accessibility.AssertNoAxeViolationsAsync(page);
    }

    [Fact]
    public async Task An_approval_message_opens_that_deployment_for_hr_who_approve_it_there()
    {
        var title = $"Approval by message {Guid.NewGuid().ToString("N")[..6]}";
        await Scene.AgreementNeedingApprovalAsync(site, title);
        var nurse = await Scene.NurseAsync(site, "Abel", "Approvallink");
        using var wallet = new TestWallet();
        var (offerLink, txCode) = await Scene.OfferAsync(site, nurse.Id);
        await wallet.ReceiveAsync(offerLink, txCode);
        var request = await Scene.PresentationRequestAsync(site, Scene.NurseRole, title);
        await wallet.PresentAsync(request.RequestLink);
        var decisionId = (await Scene.DecisionAsync(site, request.Id))["id"]!.GetValue<string>();
        var deploymentId = await Scene.DeploymentAsync(site, Guid.Parse(decisionId), nurse.Id);
        var link = await HrLinkAsync("A deployment needs your approval", deploymentId);
        Assert.Equal($"{site.Url}deployed/{deploymentId}", link);

        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await OpenAfterSigningInAsync(page, link, TestUser.HrAtRhq);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Deployment at {Scene.HostName}");
        await Assertions.Expect(page.GetByText("Abel Approvallink").First).ToBeVisibleAsync();
        await Accessibility.AssertNoAxeViolationsAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Decline the deployment" }).ClickAsync();
        await Assertions.Expect(page.Locator("#reason-error")).ToContainTextAsync("Enter why you are declining it");
        await Accessibility.AssertNoAxeViolationsAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve the deployment" }).ClickAsync();
        await Assertions.Expect(page.Locator(".nhsuk-notification-banner")).ToContainTextAsync("The deployment was approved");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve the deployment" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_deployment_page_for_hr_of_another_organisations_deployment_is_not_found()
    {
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await site.SignInAsync(page, TestUser.HrAtRhq, "/staff");

        var response = await page.GotoAsync($"{site.Url}deployed/{Guid.NewGuid()}");

        Assert.Equal(404, response!.Status);
    }

    private static string LinkOf(MimeMessage mail) => Assert.Single(LinkPattern().Matches(mail.TextBody ?? "")).Value;

    private async Task<string> HrLinkAsync(string subject, Guid about)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var mail = site.Smtp.To(PassportSite.HrContact).FirstOrDefault(m => m.Subject == subject && (m.TextBody ?? "").Contains(about.ToString(), StringComparison.Ordinal));
            if (mail is not null)
                return LinkOf(mail);
            Assert.True(DateTime.UtcNow < deadline, $"HR was not sent '{subject}' about {about}.");
            await Task.Delay(100);
        }
    }

    /// <summary>Opens <paramref name="link"/> signed out, as from an e-mail: the site asks for a sign-in, then lands on the link's page.</summary>
    private async Task OpenAfterSigningInAsync(IPage page, string link, TestUser user)
    {
        await page.GotoAsync(link);
        if (!page.Url.StartsWith(new Uri(site.Provider.Authority, "login").ToString(), StringComparison.Ordinal))
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with your organisation" }).ClickAsync();
        await site.Provider.ChooseOnLoginPageAsync(page, user);
        await page.WaitForURLAsync(link);
    }
}
