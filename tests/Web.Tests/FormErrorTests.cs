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
