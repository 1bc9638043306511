using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Passport.Web.Tests;

/// <summary>
/// The host's placement credential (licence to attend) in the browser: RXH's deployment page shows the offer to hand to the
/// person on arrival, the person's wallet adds it, and the person sees it on My passport.
/// </summary>
[Collection(SiteTests.Name)]
public sealed class PlacementPageTests(PassportSite site, Browser browser)
{
    [Fact]
    public async Task The_host_hands_the_placement_credential_to_the_wallet_that_presented_and_the_person_sees_it_on_my_passport()
    {
        var nurse = await Scene.NurseAsync(site, "Pia", "Placement");
        using var wallet = new TestWallet();
        var (offerLink, txCode) = await Scene.OfferAsync(site, nurse.Id);
        await wallet.ReceiveAsync(offerLink, txCode);
        var (requestId, requestLink) = await Scene.PresentationRequestAsync(site, Scene.NurseRole);
        await wallet.PresentAsync(requestLink);
        var decision = await Scene.DecisionAsync(site, requestId);
        Assert.True(decision["accepted"]!.GetValue<bool>(), decision.ToJsonString());
        Guid deploymentId;
        using (var verifier = await site.ApiAsync(TestUser.VerifierAtRxh))
        {
            using var created = await verifier.PostAsJsonAsync(new Uri("api/deployments", UriKind.Relative), new
            {
                decisionId = decision["id"]!.GetValue<Guid>(), homeOdsCode = Scene.HomeOds, staffId = nurse.Id, hostSite = "Eastbrook General, Ward 9",
                start = Scene.Today.AddDays(1), end = Scene.Today.AddDays(10),
            });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            deploymentId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        }

        // RXH's staffing team opens the deployment: the placement credential is offered, with a QR code, a link and a code.
        var (rxhContext, rxh) = await browser.NewPageAsync(site.Url);
        await using var _ = rxhContext;
        await site.SignInAsync(rxh, TestUser.VerifierAtRxh, $"/deployments/{deploymentId}");
        await ReloadUntilAsync(rxh, rxh.GetByText("Offered: waiting for their wallet to add it."));
        await Assertions.Expect(rxh.GetByRole(AriaRole.Heading, new() { Name = "Placement credential (licence to attend)" })).ToBeVisibleAsync();
        await Assertions.Expect(rxh.GetByRole(AriaRole.Img, new() { Name = "QR code of the placement credential offer for Pia Placement" })).ToBeVisibleAsync();
        await Accessibility.AssertNoAxeViolationsAsync(rxh);
        var codeHeading = await rxh.GetByText("Their code:").InnerTextAsync();
        var placementCode = codeHeading[(codeHeading.LastIndexOf(':') + 1)..].Trim();
        var placementLink = await rxh.GetByRole(AriaRole.Link, new() { Name = "Placement credential offer for Pia Placement" }).GetAttributeAsync("href");
        Assert.Matches("^[0-9]{6}$", placementCode);

        // On arrival the person's wallet (the one that presented) adds it.
        await wallet.ReceiveAsync(placementLink!, placementCode);
        Assert.Contains("placement", await wallet.ListAsync(), StringComparison.OrdinalIgnoreCase);
        // The command-line wallet tells the issuer it accepted the credential (OpenID4VCI notification).
        await ReloadUntilAsync(rxh, rxh.GetByText("Accepted in their wallet."));

        // The person sees where they are deployed, and their licence to attend, on My passport.
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var __ = context;
        await site.SignInAsync(page, nurse.User, "/my-passport");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Licence to attend {Scene.HostName}" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Eastbrook General, Ward 9").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Accepted in your wallet.").First).ToBeVisibleAsync();
        await Accessibility.AssertNoAxeViolationsAsync(page);
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
