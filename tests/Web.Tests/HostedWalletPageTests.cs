using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Passport.Web.Tests;

[Collection(SiteTests.Name)]
public sealed class HostedWalletPageTests(PassportSite site, Browser browser)
{
    [Fact]
    public async Task A_member_of_staff_without_a_wallet_app_presents_from_the_staff_pages_after_seeing_what_will_be_shared()
    {
        var person = await HostedWalletTests.HostedAsync(site, "Pia", "Pages");
        var (requestId, link) = await Scene.PresentationRequestAsync(site, Scene.AssistantRole);
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using (context)
        {
            await site.SignInAsync(page, person.User, "/my-passport");
            await page.GetByRole(AriaRole.Link, new() { Name = "Present my passport" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Present my passport");

            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Enter the request link");
            await Assertions.Expect(page.Locator("#link-error")).ToContainTextAsync("Enter the request link");
            await Accessibility.AssertNoAxeViolationsAsync(page);

            await page.GetByLabel("Request link").FillAsync(link);
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Check what you will share");
            await Assertions.Expect(page.Locator(".nhsuk-summary-list").First).ToContainTextAsync("enhanced");
            await Accessibility.AssertNoAxeViolationsAsync(page);
            Assert.Equal("open", await RequestStateAsync(requestId));

            await page.GetByRole(AriaRole.Button, new() { Name = "Share my passport" }).ClickAsync();
            await Assertions.Expect(page.Locator(".nhsuk-notification-banner")).ToContainTextAsync("You shared your passport with");
        }

        var decision = await Scene.DecisionAsync(site, requestId);
        Assert.True(decision["accepted"]!.GetValue<bool>(), decision.ToJsonString());
        Assert.Equal("hosted_wallet", decision["route"]!.GetValue<string>());
        Assert.Equal("signed_in", decision["hostedWallet"]!["consentMethod"]!.GetValue<string>());
    }

    private async Task<string> RequestStateAsync(Guid requestId)
    {
        using var verifier = await site.ApiAsync(TestUser.VerifierAtRxh);
        return (await verifier.GetFromJsonAsync<JsonObject>(new Uri($"api/presentation-requests/{requestId}", UriKind.Relative)))!["state"]!.GetValue<string>();
    }
}
