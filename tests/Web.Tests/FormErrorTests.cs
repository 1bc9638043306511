using Microsoft.Playwright;

namespace Passport.Web.Tests;

/// <summary>Each form sent empty or wrong shows the NHS.UK error summary with a link to each field, and the message beside the field, in words.</summary>
[Collection(SiteTests.Name)]
public sealed class FormErrorTests(PassportSite site, Browser browser)
{
    [Fact]
    public async Task Adding_a_member_of_staff_with_nothing_filled_in_says_what_is_missing_in_the_summary_and_beside_each_field()
    {
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await site.SignInAsync(page, TestUser.HrAtRhq, "/staff/new");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add member of staff" }).ClickAsync();

        await AssertErrorsAsync(page, ("Given name", "givenName"), ("Family name", "familyName"), ("Assignment number", "assignmentNumber"));
    }

    [Fact]
    public async Task Withdrawing_a_credential_without_a_reason_asks_for_the_reason()
    {
        var nurse = await Scene.NurseAsync(site, "Fern", "Formerror");
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await site.SignInAsync(page, TestUser.HrAtRhq, $"/staff/{nurse.Id}/credentials/{nurse.Credentials["dbs"][0]}");

        await page.GetByRole(AriaRole.Radio, new() { Name = "Withdraw it" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        await AssertErrorsAsync(page, ("Select why you are withdrawing it", "reason"));
    }

    [Fact]
    public async Task An_agreement_whose_conditions_miss_a_period_or_name_no_role_says_which_field_and_creates_nothing()
    {
        var title = $"Bad conditions {Guid.NewGuid().ToString("N")[..6]}";
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await site.SignInAsync(page, TestUser.AdminAtRxh, "/agreements/new");

        await page.GetByLabel("Title").FillAsync(title);
        await page.GetByLabel(Scene.HomeName).CheckAsync();
        foreach (var (legend, year) in new[] { ("First day of the agreement", "2026"), ("Last day of the agreement", "2027") })
        {
            var date = page.GetByRole(AriaRole.Group, new() { Name = legend });
            await date.GetByLabel("Day").FillAsync("1");
            await date.GetByLabel("Month").FillAsync("4");
            await date.GetByLabel("Year").FillAsync(year);
        }
        await page.GetByLabel("Longest deployment in days").FillAsync("30");
        await page.GetByLabel("Name of role 1").FillAsync("Registered nurse");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "DBS check for role 1" }).CheckAsync();
        var dbs = page.GetByRole(AriaRole.Group, new() { Name = "Conditions on the DBS check for role 1" });
        await dbs.GetByText("Rule on the issued on").ClickAsync();
        await dbs.GetByLabel("Issued on must be").SelectOptionAsync("within");
        await dbs.GetByLabel("Issued on: within how many").FillAsync("three");
        await dbs.GetByLabel("Issued on: unless").SelectOptionAsync(new SelectOptionValue { Label = "Update Service last checked on is within the period below of today" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Add another role" }).ClickAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Right to work for role 2" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create agreement" }).ClickAsync();

        await AssertErrorsAsync(page,
            ("Enter how many years, months or days the DBS check's issued on date for the Registered nurse role must be within", "role-0-dbs-issued_on-amount"),
            ("Enter the name of role 2", "role-1-name"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create an agreement" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = "Conditions on the DBS check for role 1" }).GetByLabel("Issued on: within how many").FillAsync("3");
        await page.GetByLabel("Name of role 2").FillAsync("Healthcare assistant");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create agreement" }).ClickAsync();
        await AssertErrorsAsync(page, ("Enter how recent the alternative to the DBS check's issued on date for the Registered nurse role must be", "role-0-dbs-issued_on-unless-amount"));

        await page.GotoAsync("/agreements");
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).Not.ToContainTextAsync(title);
    }

    /// <summary>The summary (role alert, "There is a problem") links to each field by id, and the field's group shows a message; nothing reads like a code.</summary>
    private static async Task AssertErrorsAsync(IPage page, params (string Words, string FieldId)[] fields)
    {
        var summary = page.GetByRole(AriaRole.Alert).Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "There is a problem" }) });
        await Assertions.Expect(summary).ToBeVisibleAsync();
        Assert.StartsWith("Error: ", await page.TitleAsync(), StringComparison.Ordinal);
        foreach (var (words, fieldId) in fields)
        {
            var link = summary.GetByRole(AriaRole.Link, new() { Name = words, Exact = false });
            await Assertions.Expect(link).ToBeVisibleAsync();
            Assert.Equal($"#{fieldId}", await link.GetAttributeAsync("href"));
            var message = (await link.InnerTextAsync()).Trim();
            await Assertions.Expect(page.Locator($"#{fieldId}-error")).ToContainTextAsync(message);
            Assert.Equal(1, await page.Locator($"#{fieldId}").CountAsync());
        }
        var text = await page.GetByRole(AriaRole.Main).InnerTextAsync();
        Assert.DoesNotMatch("[0-9a-f]{8}-[0-9a-f]{4}-|Exception|validation_failed|invalid_|\\bat Passport\\.", text);
        await Accessibility.AssertNoAxeViolationsAsync(page);
    }
}
