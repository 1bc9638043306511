using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Passport.Web.Tests;

[Collection(SiteTests.Name)]
public sealed class HrPagesTests(PassportSite site, Browser browser)
{
    private async Task RegisterAsync(string ods, string name)
    {
        using var admin = await site.ApiAsync(new TestUser($"admin-{ods}", "Admin", ods, ["org_admin"]));
        using var response = await admin.PutAsJsonAsync(new Uri("api/organisation", UriKind.Relative), new { name });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"Registering {ods} answered {response.StatusCode}");
    }

    [Fact]
    public async Task Hr_signs_in_adds_a_member_of_staff_issues_a_credential_with_field_errors_first_and_offers_it()
    {
        await RegisterAsync("RHQ", Scene.HomeName);
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;

        await site.SignInAsync(page, TestUser.HrAtRhq, "/staff");
        await Expect(page.GetByRole(AriaRole.Banner)).ToContainTextAsync("Northgate Hospitals NHS Trust");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Staff", Exact = true })).ToBeVisibleAsync();
        await Accessibility.AssertNoAxeViolationsAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Add a member of staff" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add member of staff" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Enter their given name");
        await Expect(page.Locator(".nhsuk-error-message").First).ToContainTextAsync("Enter their given name");
        await Accessibility.AssertNoAxeViolationsAsync(page);

        var assignment = $"W{Random.Shared.Next(1_000_000, 9_999_999)}";
        await page.GetByLabel("Given name").FillAsync("Priya");
        await page.GetByLabel("Family name").FillAsync("Shah");
        await page.GetByLabel("Day").FillAsync("4");
        await page.GetByLabel("Month").FillAsync("11");
        await page.GetByLabel("Year").FillAsync("1988");
        await page.GetByLabel("Assignment number").FillAsync(assignment);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add member of staff" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Priya Shah", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("4 November 1988");
        await Accessibility.AssertNoAxeViolationsAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Issue a credential" }).ClickAsync();
        await page.GetByLabel("Statutory and mandatory training").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Accessibility.AssertNoAxeViolationsAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Issue credential" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Select cstf subject");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Enter completed on");
        await Accessibility.AssertNoAxeViolationsAsync(page);

        await page.GetByLabel("CSTF subject").SelectOptionAsync(new SelectOptionValue { Label = "Fire safety" });
        var completed = page.GetByRole(AriaRole.Group, new() { Name = "Completed on" });
        var day = DateTime.UtcNow.AddDays(-10);
        await completed.GetByLabel("Day").FillAsync(day.Day.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await completed.GetByLabel("Month").FillAsync(day.Month.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await completed.GetByLabel("Year").FillAsync(day.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Issue credential" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Statutory and mandatory training was issued to Priya Shah");
        await Expect(page.Locator("main")).ToContainTextAsync("CSTF subject: Fire safety");
        await Expect(page.Locator("main .nhsuk-tag").First).ToHaveTextAsync("Valid");

        await page.GetByRole(AriaRole.Button, new() { Name = "Offer to their wallet" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the offer" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code of the offer for Priya Shah" })).ToBeVisibleAsync();
        await Expect(page.Locator("main")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("Their code: [0-9]{6}"));
        await Accessibility.AssertNoAxeViolationsAsync(page);
    }

    [Theory]
    [InlineData("/", "Staff passport")]
    [InlineData("/sign-in", "Sign in")]
    public async Task A_page_anyone_can_open_has_no_accessibility_violations_at_320_pixels_wide(string path, string heading)
    {
        var (context, page) = await browser.NewPageAsync(site.Url, width: 320);
        await using var _ = context;

        await page.GotoAsync(path.TrimStart('/'));

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
        Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), $"{path} scrolls sideways at 320 px");
        await Accessibility.AssertNoAxeViolationsAsync(page);
    }

    [Fact]
    public async Task The_pages_send_a_content_security_policy_without_inline_script_and_refuse_framing()
    {
        using var http = site.PagesClient();

        using var response = await http.GetAsync(new Uri("sign-in", UriKind.Relative));

        var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
