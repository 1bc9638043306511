using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Passport.Web.Tests;

[Collection(SiteTests.Name)]
public sealed class PersonNamePageTests(PassportSite site, Browser browser) : IDisposable
{
    private readonly TestWallet _wallet = new();

    [Fact]
    public async Task The_receiving_organisation_sees_the_persons_name_on_the_decision_and_on_the_deployment()
    {
        var nurse = await Scene.NurseAsync(site, "Nina", "Named");
        var (offerLink, txCode) = await Scene.OfferAsync(site, nurse.Id);
        await _wallet.ReceiveAsync(offerLink, txCode);
        var (requestId, requestLink) = await Scene.PresentationRequestAsync(site, Scene.NurseRole);
        await _wallet.PresentAsync(requestLink);
        var decision = await Scene.DecisionAsync(site, requestId);
        Assert.Equal(("Nina", "Named"), ((string?)decision["givenName"], (string?)decision["familyName"]));

        var (context, page) = await browser.NewPageAsync(site.Url);
        await using (context)
        {
            await site.SignInAsync(page, TestUser.VerifierAtRxh, $"/check/{requestId}");
            await Assertions.Expect(page.Locator(".nhsuk-panel")).ToContainTextAsync($"Nina Named, from {Scene.HomeName}");

            using var verifier = await site.ApiAsync(TestUser.VerifierAtRxh);
            using var started = await verifier.PostAsJsonAsync(new Uri("api/deployments", UriKind.Relative), new JsonObject
            {
                ["decisionId"] = (string)decision["id"]!, ["homeOdsCode"] = Scene.HomeOds, ["staffId"] = nurse.Id.ToString(),
                ["hostSite"] = "Ward 7", ["start"] = (string)decision["start"]!, ["end"] = (string)decision["end"]!,
            });
            var deployment = (await started.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.True(started.IsSuccessStatusCode, deployment.ToJsonString());
            Assert.Equal("Nina", (string?)deployment["givenName"]);

            await page.GotoAsync(new Uri(site.Url, "/deployments").ToString());
            await Assertions.Expect(page.GetByText($"Nina Named ({Scene.HomeName})").First).ToBeVisibleAsync();
            await Accessibility.AssertNoAxeViolationsAsync(page);
        }
    }

    public void Dispose() => _wallet.Dispose();
}
