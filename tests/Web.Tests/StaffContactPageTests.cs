using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Passport.Web.Tests;

[Collection(SiteTests.Name)]
public sealed class StaffContactPageTests(PassportSite site, Browser browser)
{
    [Fact]
    public async Task Hr_records_where_a_person_may_be_told_things_and_a_bad_address_is_named_in_the_summary_and_on_the_field()
    {
        using (var admin = await site.ApiAsync(new TestUser("admin-RHQ", "Admin", "RHQ", ["org_admin"])))
        {
            using var registered = await admin.PutAsJsonAsync(new Uri("api/organisation", UriKind.Relative), new { name = Scene.HomeName });
            Assert.True(registered.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK);
        }
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await site.SignInAsync(page, TestUser.HrAtRhq, "/staff");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add a member of staff" }).ClickAsync();
        await page.GetByLabel("Given name").FillAsync("Tomasz");
        await page.GetByLabel("Family name").FillAsync("Nowak");
        await page.GetByLabel("Day").FillAsync("2");
        await page.GetByLabel("Month").FillAsync("7");
        await page.GetByLabel("Year").FillAsync("1985");
        await page.GetByLabel("Assignment number").FillAsync($"M{Random.Shared.Next(1_000_000, 9_999_999)}");
        await page.GetByLabel("Email address (optional)").FillAsync("tomasz at northgate");
        await page.GetByLabel("Mobile phone number (optional)").FillAsync("12345");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add member of staff" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Enter an email address in the correct format");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Enter a mobile phone number");
        await Expect(page.Locator("#email-error")).ToContainTextAsync("Enter an email address in the correct format");
        await Accessibility.AssertNoAxeViolationsAsync(page);

        await page.GetByLabel("Email address (optional)").FillAsync("tomasz.nowak@northgate.nhs.uk");
        await page.GetByLabel("Mobile phone number (optional)").FillAsync("07700 900982");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add member of staff" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Tomasz Nowak", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("tomasz.nowak@northgate.nhs.uk");
        await Expect(page.Locator("main")).ToContainTextAsync("+447700900982");
        await Accessibility.AssertNoAxeViolationsAsync(page);
    }
}
