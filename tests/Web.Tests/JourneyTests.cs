using Microsoft.Playwright;

namespace Passport.Web.Tests;

/// <summary>
/// The issue's "Done when" journey in the browser, as the people themselves do it: HR at RHQ offers a nurse their
/// credentials, the command-line wallet is their phone, RXH checks them and deploys them, HR withdraws a credential and
/// RXH sees the flag. Only what a person sees is used to find things (roles, labels, text).
/// </summary>
[Collection(SiteTests.Name)]
public sealed class JourneyTests(PassportSite site, Browser browser)
{
    [Fact]
    public async Task HR_offers_a_nurse_their_credentials_RXH_checks_and_deploys_them_and_sees_the_flag_when_HR_withdraws_one()
    {
        var nurse = await Scene.NurseAsync(site, "Jade", "Journey");
        using var wallet = new TestWallet();

        // HR at RHQ: signs in through the provider, finds the nurse, offers them their credentials.
        var (hrContext, hr) = await browser.NewPageAsync(site.Url);
        await using var _ = hrContext;
        await hr.GotoAsync("/");
        await site.SignInAsync(hr, TestUser.HrAtRhq, "/staff");
        await Assertions.Expect(hr.GetByText(Scene.HomeName).First).ToBeVisibleAsync();
        await hr.GetByLabel("Search by name or assignment number").FillAsync("Jade Journey");
        await hr.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await hr.GetByRole(AriaRole.Link, new() { Name = "Jade Journey" }).ClickAsync();
        await Assertions.Expect(hr.GetByRole(AriaRole.Heading, new() { Name = "Jade Journey", Level = 1 })).ToBeVisibleAsync();
        await hr.GetByRole(AriaRole.Button, new() { Name = "Offer to their wallet" }).ClickAsync();
        await hr.GetByRole(AriaRole.Button, new() { Name = "Create the offer" }).ClickAsync();
        var codeHeading = await hr.GetByText("Their code:").InnerTextAsync();
        var txCode = codeHeading[(codeHeading.LastIndexOf(':') + 1)..].Trim();
        await hr.GetByText("Show the link as text, to copy").ClickAsync();
        var offerLink = (await hr.GetByText("openid-credential-offer://").InnerTextAsync()).Trim();
        Assert.Matches("^[0-9]{6}$", txCode);

        // The nurse's phone.
        await wallet.ReceiveAsync(offerLink, txCode);
        Assert.Contains("dbs", await wallet.ListAsync(), StringComparison.OrdinalIgnoreCase);

        // RXH's staffing team: checks the person against the agreement.
        var (rxhContext, rxh) = await browser.NewPageAsync(site.Url);
        await using var __ = rxhContext;
        await site.SignInAsync(rxh, TestUser.VerifierAtRxh, "/check");
        // With one agreement the page goes straight to it; with several it asks which first.
        var agreement = rxh.GetByRole(AriaRole.Radio, new() { Name = Scene.AgreementTitle });
        if (await agreement.CountAsync() > 0)
        {
            await agreement.CheckAsync();
            await rxh.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        }
        await Assertions.Expect(rxh.GetByText(Scene.AgreementTitle)).ToBeVisibleAsync();
        await rxh.GetByRole(AriaRole.Radio, new() { Name = "Registered nurse" }).CheckAsync();
        var start = Scene.Today.AddDays(1);
        var end = Scene.Today.AddDays(14);
        await FillDateAsync(rxh, "First day", start);
        await FillDateAsync(rxh, "Last day", end);
        await rxh.GetByRole(AriaRole.Button, new() { Name = "Ask for their credentials" }).ClickAsync();
        await Assertions.Expect(rxh.GetByRole(AriaRole.Heading, new() { Name = "Waiting for their answer" })).ToBeVisibleAsync();
        var requestLink = await rxh.GetByRole(AriaRole.Link, new() { Name = "open the request in the wallet app" }).GetAttributeAsync("href");
        Assert.StartsWith("openid4vp://", requestLink, StringComparison.Ordinal);
        var checkUrl = rxh.Url;
        await rxh.WaitForLoadStateAsync(LoadState.Load);
        await rxh.EvaluateAsync("() => { window.passportTestNoReload = true; }");

        await wallet.PresentAsync(requestLink!);

        // The decision appears by itself: the page polls, nobody reloads it.
        await Assertions.Expect(rxh.GetByRole(AriaRole.Heading, new() { Name = "They meet what the agreement needs" })).ToBeVisibleAsync();
        Assert.True(await rxh.EvaluateAsync<bool>("() => window.passportTestNoReload === true"), "The page was reloaded to show the decision.");
        Assert.Equal(checkUrl, rxh.Url);
        // The person and the issuing organisation by name (the request asks the identity credential for the names).
        await Assertions.Expect(rxh.GetByText($"Jade Journey, from {Scene.HomeName}").First).ToBeVisibleAsync();
        await Assertions.Expect(rxh.GetByText($"Shown: DBS check from {Scene.HomeName}")).ToBeVisibleAsync();
        await Assertions.Expect(rxh.GetByText("Met").First).ToBeVisibleAsync();

        // RXH starts a deployment from the accepted decision.
        await rxh.GetByRole(AriaRole.Button, new() { Name = "Start a deployment" }).ClickAsync();
        await rxh.GetByLabel("Where will they work?").FillAsync("Eastbrook General, Ward 7");
        await rxh.GetByRole(AriaRole.Button, new() { Name = "Start the deployment" }).ClickAsync();
        await Assertions.Expect(rxh.GetByRole(AriaRole.Heading, new() { Name = "Deployment at Eastbrook General, Ward 7" })).ToBeVisibleAsync();
        await Assertions.Expect(rxh.GetByText(Scene.HomeName).First).ToBeVisibleAsync();

        // HR withdraws one of the nurse's credentials, with a reason.
        await hr.GetByRole(AriaRole.Link, new() { Name = "Back to Jade Journey's passport" }).ClickAsync();
        await hr.GetByRole(AriaRole.Link, new() { Name = "DBS check" }).First.ClickAsync();
        await hr.GetByRole(AriaRole.Radio, new() { Name = "Withdraw it" }).CheckAsync();
        await hr.GetByRole(AriaRole.Radio, new() { Name = "No longer valid" }).CheckAsync();
        await hr.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Assertions.Expect(hr.GetByText("was withdrawn").First).ToBeVisibleAsync();
        await Assertions.Expect(hr.GetByText("Withdrawn").First).ToBeVisibleAsync();

        // RXH's dashboard shows (by home organisation, not name: the Verifier does not know deployed people's names) the flag at the top (the withdrawal travels over the bus).
        var flag = rxh.GetByRole(AriaRole.Region, new() { Name = "Important" }).GetByText("A credential was withdrawn");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await rxh.GotoAsync("/deployments");
            if (await flag.CountAsync() > 0)
                break;
            await Task.Delay(500);
        }
        while (DateTime.UtcNow < deadline);
        await Assertions.Expect(flag).ToBeVisibleAsync();
        await Assertions.Expect(rxh.GetByRole(AriaRole.Region, new() { Name = "Important" }).GetByRole(AriaRole.Link, new() { Name = $"Jade Journey ({Scene.HomeName}), started {start.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture)} at Eastbrook General, Ward 7" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_member_of_staff_signs_in_and_sees_their_passport_with_their_credentials_in_words()
    {
        var nurse = await Scene.NurseAsync(site, "Sami", "Staffjourney");
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;

        await site.SignInAsync(page, nurse.User, "/my-passport");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My passport", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText($"Sami Staffjourney, {Scene.HomeName}")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "DBS check" }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Valid").First).ToBeVisibleAsync();
        var text = await page.Locator("main").InnerTextAsync();
        Assert.DoesNotContain(nurse.Id.ToString(), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show my QR code" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Your code:")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code to add your credentials to your wallet app" })).ToBeVisibleAsync();
    }

    private static async Task FillDateAsync(IPage page, string legend, DateOnly date)
    {
        var group = page.GetByRole(AriaRole.Group, new() { Name = legend });
        await group.GetByLabel("Day").FillAsync(date.Day.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await group.GetByLabel("Month").FillAsync(date.Month.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await group.GetByLabel("Year").FillAsync(date.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
