using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Passport.Web.Tests;

/// <summary>
/// A licence to attend offered to a hosted wallet (the person presented through it) is collected into it from a page: by HR on the
/// person's page, or by the person on their own hosted-wallet page, with a banner in words either way.
/// </summary>
[Collection(SiteTests.Name)]
public sealed class HostedPlacementPageTests(PassportSite site, Browser browser)
{
    [Fact]
    public async Task HR_collects_a_licence_to_attend_into_the_kept_passport_and_a_second_try_says_it_is_already_there()
    {
        var (person, deploymentId) = await DeployedThroughHostedWalletAsync("Hana", "Collecthr");
        var button = $"Collect the licence to attend {Scene.HostName}";

        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await site.SignInAsync(page, TestUser.HrAtRhq, $"/staff/{person.Id}");
        await ReloadUntilAsync(page, page.GetByRole(AriaRole.Button, new() { Name = button }));
        await Accessibility.AssertNoAxeViolationsAsync(page);
        var stale = await context.NewPageAsync();
        await stale.GotoAsync($"{site.Url}staff/{person.Id}");

        await page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();

        await Assertions.Expect(page.Locator(".nhsuk-notification-banner")).ToContainTextAsync($"The licence to attend {Scene.HostName} is in the passport you keep for them");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = button })).ToHaveCountAsync(0);
        await Accessibility.AssertNoAxeViolationsAsync(page);
        using (var hr = await site.ApiAsync(TestUser.HrAtRhq))
        {
            var wallet = (await hr.GetFromJsonAsync<JsonObject>(new Uri($"api/staff/{person.Id}/hosted-wallet", UriKind.Relative)))!;
            Assert.Contains(wallet["credentials"]!.AsArray(), c => c!["type"]!.GetValue<string>() == "placement");
        }

        await stale.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
        var summary = stale.GetByRole(AriaRole.Alert).Filter(new() { Has = stale.GetByRole(AriaRole.Heading, new() { Name = "There is a problem" }) });
        await Assertions.Expect(summary).ToContainTextAsync($"The licence to attend {Scene.HostName} is already in the passport you keep for them");
        Assert.DoesNotMatch("[0-9a-f]{8}-[0-9a-f]{4}-|placement_|Exception", await stale.GetByRole(AriaRole.Main).InnerTextAsync());
        await Accessibility.AssertNoAxeViolationsAsync(stale);
    }

    [Fact]
    public async Task The_person_collects_their_licence_to_attend_on_their_own_hosted_wallet_page()
    {
        var (person, _) = await DeployedThroughHostedWalletAsync("Hari", "Collectself");
        var button = $"Collect my licence to attend {Scene.HostName}";

        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await site.SignInAsync(page, person.User, "/my-passport");
        await ReloadUntilAsync(page, page.GetByRole(AriaRole.Link, new() { Name = $"Collect your licence to attend {Scene.HostName}" }));
        await page.GetByRole(AriaRole.Link, new() { Name = $"Collect your licence to attend {Scene.HostName}" }).ClickAsync();
        await Accessibility.AssertNoAxeViolationsAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();

        await Assertions.Expect(page.Locator(".nhsuk-notification-banner")).ToContainTextAsync(
            $"Your licence to attend {Scene.HostName} is in the passport your organisation keeps for you");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = button })).ToHaveCountAsync(0);
        await Accessibility.AssertNoAxeViolationsAsync(page);
    }

    /// <summary>A healthcare assistant whose kept passport HR presented to RXH with their consent, and the deployment RXH then started.</summary>
    private async Task<(StaffMember Person, Guid DeploymentId)> DeployedThroughHostedWalletAsync(string givenName, string familyName)
    {
        var person = await HostedWalletTests.HostedAsync(site, givenName, familyName);
        var (requestId, link) = await Scene.PresentationRequestAsync(site, Scene.AssistantRole);
        using (var hr = await site.ApiAsync(TestUser.HrAtRhq))
        {
            using var presented = await hr.PostAsJsonAsync($"api/staff/{person.Id}/hosted-wallet/presentations",
                new JsonObject { ["requestLink"] = link, ["consentMethod"] = "in_person", ["consentGivenAt"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O") });
            Assert.Equal(HttpStatusCode.Created, presented.StatusCode);
        }
        var decision = await Scene.DecisionAsync(site, requestId);
        Assert.True(decision["accepted"]!.GetValue<bool>(), decision.ToJsonString());
        return (person, await Scene.DeploymentAsync(site, decision["id"]!.GetValue<Guid>(), person.Id));
    }

    private static async Task ReloadUntilAsync(IPage page, ILocator locator)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await locator.CountAsync() == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            await page.ReloadAsync();
        }
        await Assertions.Expect(locator.First).ToBeVisibleAsync();
    }
}
