using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Passport.Web.Tests;

[Collection(SiteTests.Name)]
public sealed class MutualAidPagesTests(PassportSite site, Browser browser)
{
    [Fact]
    public async Task Hr_asks_a_nurse_who_consents_and_presents_and_the_host_starts_the_deployment_all_in_the_browser()
    {
        var nurse = await Scene.NurseAsync(site, "Ayo", "Mutualaid");
        using var wallet = new TestWallet();
        var (offerLink, txCode) = await Scene.OfferAsync(site, nurse.Id);
        await wallet.ReceiveAsync(offerLink, txCode);
        string agreementId, assignment;
        using (var verifier = await site.ApiAsync(TestUser.VerifierAtRxh))
            agreementId = (await verifier.GetFromJsonAsync<JsonArray>(new Uri("api/agreements", UriKind.Relative)))!
                .First(a => a!["title"]!.GetValue<string>() == Scene.AgreementTitle)!["id"]!.GetValue<string>();
        using (var hrApi = await site.ApiAsync(TestUser.HrAtRhq))
            assignment = (await hrApi.GetFromJsonAsync<JsonObject>(new Uri($"api/staff/{nurse.Id}", UriKind.Relative)))!["assignmentNumber"]!.GetValue<string>();
        var start = Scene.Today.AddDays(2);

        var (hrContext, hr) = await browser.NewPageAsync(site.Url);
        await using (hrContext)
        {
            await site.SignInAsync(hr, TestUser.HrAtRhq, "/mutual-aid");
            await Accessibility.AssertNoAxeViolationsAsync(hr);
            await hr.GetByRole(AriaRole.Button, new() { Name = "Ask them to consent" }).ClickAsync();
            await Assertions.Expect(hr.Locator(".nhsuk-error-summary")).ToContainTextAsync("Select the organisation they would go to");
            await Assertions.Expect(hr.Locator("#staffGroup-error")).ToContainTextAsync("Enter a staff group, a job title or the assignment numbers");
            await Accessibility.AssertNoAxeViolationsAsync(hr);

            await hr.GetByLabel("Organisation they would go to").SelectOptionAsync(new SelectOptionValue { Label = Scene.HostName });
            await hr.GetByLabel("Agreement reference").FillAsync(agreementId);
            await hr.GetByLabel("Role").FillAsync(Scene.NurseRole);
            await FillDateAsync(hr, "start", start);
            await FillDateAsync(hr, "end", start.AddDays(9));
            await hr.GetByLabel("These people (optional)").FillAsync(assignment);
            await hr.GetByRole(AriaRole.Button, new() { Name = "Ask them to consent" }).ClickAsync();
            await Assertions.Expect(hr.Locator(".nhsuk-notification-banner")).ToContainTextAsync("1 person has been asked to consent");
            await Assertions.Expect(hr.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Mutual aid at {Scene.HostName}");
            await Assertions.Expect(hr.GetByRole(AriaRole.Row).Filter(new() { HasText = "Ayo Mutualaid" })).ToContainTextAsync("Waiting for their consent");
            await Accessibility.AssertNoAxeViolationsAsync(hr);
            var progress = hr.Url;

            var (staffContext, staff) = await browser.NewPageAsync(site.Url);
            await using (staffContext)
            {
                await site.SignInAsync(staff, nurse.User, "/my-passport");
                await staff.GetByRole(AriaRole.Link, new() { NameRegex = new("^" + System.Text.RegularExpressions.Regex.Escape(Scene.HostName)) }).ClickAsync();
                await Assertions.Expect(staff.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Mutual aid at {Scene.HostName}");
                await staff.GetByRole(AriaRole.Button, new() { Name = "Send my answer" }).ClickAsync();
                await Assertions.Expect(staff.Locator("#answer-error")).ToContainTextAsync("Select whether you agree to go");
                await Accessibility.AssertNoAxeViolationsAsync(staff);
                await staff.GetByLabel("Yes, I agree to go").CheckAsync();
                await staff.GetByRole(AriaRole.Button, new() { Name = "Send my answer" }).ClickAsync();
                await Assertions.Expect(staff.Locator(".nhsuk-notification-banner")).ToContainTextAsync("You agreed to go");

                var open = staff.GetByRole(AriaRole.Link, new() { Name = "Open in my wallet app" });
                for (var i = 0; i < 60 && await open.CountAsync() == 0; i++)
                {
                    await Task.Delay(250);
                    await staff.ReloadAsync();
                }
                await Accessibility.AssertNoAxeViolationsAsync(staff);
                await wallet.PresentAsync((await open.GetAttributeAsync("href"))!);
            }

            var (hostContext, host) = await browser.NewPageAsync(site.Url);
            await using (hostContext)
            {
                await site.SignInAsync(host, TestUser.VerifierAtRxh, "/hosting/mutual-aid");
                await Accessibility.AssertNoAxeViolationsAsync(host);
                await host.GetByRole(AriaRole.Row).Filter(new() { HasText = start.ToString("d MMMM yyyy", CultureInfo.InvariantCulture) })
                    .GetByRole(AriaRole.Link, new() { Name = Scene.HomeName }).First.ClickAsync();
                var row = host.GetByRole(AriaRole.Row).Filter(new() { HasText = "Ayo Mutualaid" });
                for (var i = 0; i < 60 && !(await row.CountAsync() == 1 && (await row.InnerTextAsync()).Contains("Accepted", StringComparison.Ordinal)); i++)
                {
                    await Task.Delay(250);
                    await host.ReloadAsync();
                }
                await Assertions.Expect(row).ToContainTextAsync("Accepted");
                await host.GetByRole(AriaRole.Button, new() { NameRegex = new("^Start 1 deployment") }).ClickAsync();
                await Assertions.Expect(host.Locator("#hostSite-error")).ToContainTextAsync("Enter the site they will work at");
                await Accessibility.AssertNoAxeViolationsAsync(host);
                await host.GetByLabel("Site they will work at").FillAsync("Eastbrook General");
                await host.GetByRole(AriaRole.Button, new() { NameRegex = new("^Start 1 deployment") }).ClickAsync();
                await Assertions.Expect(host.Locator(".nhsuk-notification-banner")).ToContainTextAsync("Starting 1 deployment at Eastbrook General");
            }

            for (var i = 0; i < 60; i++)
            {
                await hr.GotoAsync(progress);
                if ((await hr.GetByRole(AriaRole.Row).Filter(new() { HasText = "Ayo Mutualaid" }).InnerTextAsync()).Contains("Deployed", StringComparison.Ordinal))
                    break;
                await Task.Delay(250);
            }
            await Assertions.Expect(hr.GetByRole(AriaRole.Row).Filter(new() { HasText = "Ayo Mutualaid" })).ToContainTextAsync("Deployed");
        }
    }

    private static async Task FillDateAsync(IPage page, string id, DateOnly day)
    {
        await page.Locator($"#{id}-day").FillAsync(day.Day.ToString(CultureInfo.InvariantCulture));
        await page.Locator($"#{id}-month").FillAsync(day.Month.ToString(CultureInfo.InvariantCulture));
        await page.Locator($"#{id}-year").FillAsync(day.Year.ToString(CultureInfo.InvariantCulture));
    }
}
