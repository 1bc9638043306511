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

    [Fact]
    public async Task HR_keeps_a_passport_for_someone_and_shares_it_for_them_with_their_consent_and_the_host_sees_the_route_and_consent()
    {
        var person = await Scene.HealthcareAssistantAsync(site, "Hetty", "Helped");
        var (requestId, link) = await Scene.PresentationRequestAsync(site, Scene.AssistantRole);
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using (context)
        {
            await site.SignInAsync(page, TestUser.HrAtRhq, $"/staff/{person.Id}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Keep it for them (no smartphone)" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Keep their passport for them" }).ClickAsync();
            await Assertions.Expect(page.Locator(".nhsuk-notification-banner")).ToContainTextAsync("Their passport is kept for them");
            await Assertions.Expect(page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "DBS" }).First).ToBeVisibleAsync();

            await page.GetByLabel("Request link").FillAsync(link);
            await page.GetByRole(AriaRole.Button, new() { Name = "Share their passport" }).ClickAsync();
            await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Select how they gave their consent");
            await Assertions.Expect(page.Locator("#consent-method-error")).ToContainTextAsync("Select how they gave their consent");
            await Assertions.Expect(page.Locator("#consent-given-error")).ToContainTextAsync("Enter the date they gave their consent");
            await Accessibility.AssertNoAxeViolationsAsync(page);
            Assert.Equal("open", await RequestStateAsync(requestId));

            var today = Scene.Today;
            await page.GetByLabel("By phone").CheckAsync();
            await page.GetByLabel("Day").FillAsync(today.Day.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.GetByLabel("Month").FillAsync(today.Month.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.GetByLabel("Year").FillAsync(today.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.GetByRole(AriaRole.Button, new() { Name = "Share their passport" }).ClickAsync();
            await Assertions.Expect(page.Locator(".nhsuk-notification-banner")).ToContainTextAsync("Their passport was shared with");
            await Assertions.Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("given by phone to their HR team");
            await Accessibility.AssertNoAxeViolationsAsync(page);

            // The passport's history says what happened in words: no holder key, no consent code, no ISO timestamp.
            await page.GotoAsync($"/staff/{person.Id}");
            var history = page.GetByRole(AriaRole.Table, new() { Name = "What happened to their passport, newest first" });
            await Assertions.Expect(history).ToContainTextAsync("Shared from the passport kept for them");
            await Assertions.Expect(history).ToContainTextAsync($"consent given by phone to their HR team on {Words.Date(today)}");
            await Assertions.Expect(history).ToContainTextAsync("Put in the passport kept for them");
            var text = await history.InnerTextAsync();
            Assert.DoesNotContain("holder key", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("consent phone", text, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}T", text);
        }

        var (hostContext, hostPage) = await browser.NewPageAsync(site.Url);
        await using (hostContext)
        {
            await site.SignInAsync(hostPage, TestUser.VerifierAtRxh, $"/check/{requestId}");
            await Assertions.Expect(hostPage.Locator(".nhsuk-inset-text")).ToContainTextAsync("given by phone to their HR team");
            await Assertions.Expect(hostPage.Locator(".nhsuk-inset-text")).ToContainTextAsync(Scene.HomeName);
        }
    }

    private async Task<string> RequestStateAsync(Guid requestId)
    {
        using var verifier = await site.ApiAsync(TestUser.VerifierAtRxh);
        return (await verifier.GetFromJsonAsync<JsonObject>(new Uri($"api/presentation-requests/{requestId}", UriKind.Relative)))!["state"]!.GetValue<string>();
    }
}
