using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Passport.Web.Tests;

[Collection(SiteTests.Name)]
public sealed class AdminPagesTests(PassportSite site, Browser browser)
{
    [Fact]
    public async Task An_organisation_admin_renames_the_organisation_with_an_error_first_and_names_it_for_wallets()
    {
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await site.SignInAsync(page, TestUser.AdminAtRxh, "/agreements");

        // With every role's links the header has more than fits: the NHS.UK header moves the last ones under "More".
        var settings = page.GetByRole(AriaRole.Link, new() { Name = "Settings" });
        if (!await settings.IsVisibleAsync())
            await page.GetByRole(AriaRole.Button, new() { Name = "More" }).ClickAsync();
        await settings.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Organisation settings" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Organisation name")).ToHaveValueAsync(Scene.HostName);
        await Accessibility.AssertNoAxeViolationsAsync(page);

        await page.GetByLabel("Organisation name").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save organisation name" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Enter your organisation's name");
        await Expect(page.Locator("#organisationName-error")).ToContainTextAsync("Enter your organisation's name");
        await Accessibility.AssertNoAxeViolationsAsync(page);

        await page.GetByLabel("Organisation name").FillAsync(Scene.HostName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save organisation name" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your organisation's name was saved");

        await page.GetByLabel("Name people see in their wallet app").FillAsync("Eastbrook staffing team");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save wallet name" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The name people see in their wallet app was saved");
        await Expect(page.GetByLabel("Name people see in their wallet app")).ToHaveValueAsync("Eastbrook staffing team");
        await Accessibility.AssertNoAxeViolationsAsync(page);

        using var admin = await site.ApiAsync(TestUser.AdminAtRxh);
        var profile = await admin.GetFromJsonAsync<JsonObject>(new Uri("api/verifier-profile", UriKind.Relative));
        Assert.Equal("Eastbrook staffing team", profile!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_organisation_admin_rotates_the_signing_key_after_confirming_and_sees_both_keys_in_words()
    {
        using (var admin = await site.ApiAsync(TestUser.AdminAtRhq))
            (await admin.PostAsJsonAsync(new Uri("api/keys/rotate", UriKind.Relative), new { })).EnsureSuccessStatusCode();
        var (context, page) = await browser.NewPageAsync(site.Url, 320);
        await using var _ = context;
        await site.SignInAsync(page, TestUser.AdminAtRhq, "/settings");

        await page.GetByRole(AriaRole.Link, new() { Name = "Signing keys" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Signing keys" })).ToBeVisibleAsync();
        var rowsBefore = await page.Locator("tbody tr").CountAsync();
        await Expect(page.Locator("tbody tr").First).ToContainTextAsync("In use");
        await Accessibility.AssertNoAxeViolationsAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate the signing key" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Select yes if you want to rotate the signing key");
        await Accessibility.AssertNoAxeViolationsAsync(page);

        await page.GetByLabel("Yes, sign with a new key from now on").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("A new signing key is in use");
        await Expect(page.Locator("tbody tr")).ToHaveCountAsync(rowsBefore + 1);
        await Expect(page.Locator("tbody tr").First).ToContainTextAsync("In use");
        await Expect(page.Locator("tbody tr").Nth(1)).ToContainTextAsync("Retired, still checks what it signed");
        await Expect(page.Locator("tbody tr").Nth(1)).ToContainTextAsync(DateTime.UtcNow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("main")).Not.ToContainTextAsync("kid");
        await Accessibility.AssertNoAxeViolationsAsync(page);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 320"), "The keys page scrolls sideways at 320 px");
    }

    [Fact]
    public async Task Hr_gives_an_enrolment_code_and_the_member_of_staff_links_their_sign_in_with_it_after_an_error()
    {
        Guid staffId;
        using (var hr = await site.ApiAsync(TestUser.HrAtRhq))
        {
            using var created = await hr.PostAsJsonAsync(new Uri("api/staff", UriKind.Relative), new
            {
                givenName = "Ellis",
                familyName = "Enrol",
                dateOfBirth = "1990-02-03",
                assignmentNumber = Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            created.EnsureSuccessStatusCode();
            staffId = Guid.Parse((await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        }

        string code;
        var (hrContext, hrPage) = await browser.NewPageAsync(site.Url);
        await using (hrContext)
        {
            await site.SignInAsync(hrPage, TestUser.AdminAtRhq, $"/staff/{staffId}");
            await Expect(hrPage.Locator("main")).ToContainTextAsync("not linked to this record yet");
            await hrPage.GetByRole(AriaRole.Button, new() { Name = "Give them an enrolment code" }).ClickAsync();
            await Expect(hrPage.GetByRole(AriaRole.Heading, new() { Name = "Enrolment code" })).ToBeVisibleAsync();
            code = (await hrPage.Locator("#enrolment-code").InnerTextAsync()).Trim();
            Assert.Matches("^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$", code);
            await Accessibility.AssertNoAxeViolationsAsync(hrPage);
        }

        var person = new TestUser($"unlinked-{Guid.NewGuid():N}", "Ellis Enrol", Scene.HomeOds, ["staff"]);
        site.Provider.AddUser(person);
        var (context, page) = await browser.NewPageAsync(site.Url, 320);
        await using var _ = context;
        await site.SignInAsync(page, person, "/my-passport/link");
        await page.GetByRole(AriaRole.Link, new() { Name = "My passport" }).ClickAsync();
        await page.WaitForURLAsync(new Uri(site.Url, "my-passport/link").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Link your sign-in to your staff record" })).ToBeVisibleAsync();
        await Accessibility.AssertNoAxeViolationsAsync(page);

        await page.GetByLabel("Enrolment code").FillAsync("0000-0000-0000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Link my sign-in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This code is not known, was already used or has expired");
        await Expect(page.Locator("#code-error")).ToContainTextAsync("Ask HR for a new one");
        await Accessibility.AssertNoAxeViolationsAsync(page);

        await page.GetByLabel("Enrolment code").FillAsync(code.ToLowerInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Link my sign-in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My passport" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your sign-in is now linked to your staff record, Ellis Enrol");
        await Accessibility.AssertNoAxeViolationsAsync(page);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 320"), "My passport scrolls sideways at 320 px");
    }

    [Fact]
    public async Task An_organisation_admin_creates_an_agreement_with_a_field_error_first_changes_it_and_sees_who_changed_it()
    {
        var title = $"Winter cover {Guid.NewGuid().ToString("N")[..6]}";
        var (context, page) = await browser.NewPageAsync(site.Url, 320);
        await using var _ = context;
        await site.SignInAsync(page, TestUser.AdminAtRxh, "/agreements");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create an agreement" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create an agreement" })).ToBeVisibleAsync();
        await Accessibility.AssertNoAxeViolationsAsync(page);

        await page.GetByLabel("Title").FillAsync(title);
        await page.GetByLabel(Scene.HomeName).CheckAsync();
        var first = page.GetByRole(AriaRole.Group, new() { Name = "First day of the agreement" });
        await first.GetByLabel("Day").FillAsync("1");
        await first.GetByLabel("Month").FillAsync("4");
        await first.GetByLabel("Year").FillAsync("2026");
        var last = page.GetByRole(AriaRole.Group, new() { Name = "Last day of the agreement" });
        await last.GetByLabel("Day").FillAsync("31");
        await last.GetByLabel("Month").FillAsync("3");
        await last.GetByLabel("Year").FillAsync("2025");
        await page.GetByLabel("Longest deployment in days").FillAsync("30");
        await page.GetByLabel("Name of role 1").FillAsync("Registered nurse");
        await page.GetByRole(AriaRole.Group, new() { Name = "Role 1", Exact = true }).GetByRole(AriaRole.Checkbox).First.CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create agreement" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The last day of the agreement must be on or after its first day");
        await Expect(page.Locator("#endsOn-error")).ToContainTextAsync("must be on or after its first day");
        await Accessibility.AssertNoAxeViolationsAsync(page);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 320"), "The agreement form scrolls sideways at 320 px");

        await last.GetByLabel("Year").FillAsync("2027");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create agreement" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The agreement was created");
        await Expect(page.Locator("main")).ToContainTextAsync(Scene.HomeName);
        await Expect(page.Locator("main")).ToContainTextAsync("1 April 2026 to 31 March 2027");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Registered nurse" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Change the agreement" }).ClickAsync();
        await Expect(page.GetByLabel("Name of role 1")).ToHaveValueAsync("Registered nurse");
        await page.GetByLabel("Longest deployment in days").FillAsync("many");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Longest deployment must be a whole number of days from 1 to 3660");
        await Accessibility.AssertNoAxeViolationsAsync(page);
        await page.GetByLabel("Longest deployment in days").FillAsync("90");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your changes to the agreement were saved");
        await Expect(page.Locator("main")).ToContainTextAsync("90 days");
        var changes = page.Locator("table").Last;
        await Expect(changes.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(changes.Locator("tbody tr").First).ToContainTextAsync("Changed (version 2)");
        await Expect(changes.Locator("tbody tr").First).ToContainTextAsync("You (Owen Okafor)");
        await Expect(changes.Locator("tbody tr").Nth(1)).ToContainTextAsync("Created (version 1)");
        await Expect(page.Locator("main")).Not.ToContainTextAsync(TestUser.AdminAtRxh.Subject);
        await Accessibility.AssertNoAxeViolationsAsync(page);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 320"), "The agreement page scrolls sideways at 320 px");
    }
}
