using Microsoft.Playwright;

namespace Passport.Web.Tests;

[Collection(SiteTests.Name)]
public sealed class StaffReplyPageTests(PassportSite site, Browser browser)
{
    [Fact]
    public async Task A_member_of_staff_rejects_a_credential_with_a_reason_in_the_browser_and_hr_sees_it_on_the_replies_page()
    {
        var nurse = await Scene.NurseAsync(site, "Rhea", "Replies");
        await Scene.OfferAsync(site, nurse.Id);
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using (context)
        {
            await site.SignInAsync(page, nurse.User, "/my-passport");
            await page.GetByRole(AriaRole.Link, new() { NameRegex = new("^Accept or reject it") }).First.ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("credential right?");
            await Accessibility.AssertNoAxeViolationsAsync(page);

            await page.GetByRole(AriaRole.Button, new() { Name = "Send my answer" }).ClickAsync();
            await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Select whether it is right");
            await Assertions.Expect(page.Locator("#reply-error")).ToContainTextAsync("Select whether it is right");
            await page.GetByLabel("No, I reject it").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Send my answer" }).ClickAsync();
            await Assertions.Expect(page.Locator("#reason-error")).ToContainTextAsync("Select why you are rejecting it");
            await Accessibility.AssertNoAxeViolationsAsync(page);

            await page.GetByLabel("No, I reject it").CheckAsync();
            await page.GetByLabel("Something in it is wrong").CheckAsync();
            await page.GetByLabel("Tell your HR team more (optional)").FillAsync("My surname is misspelt");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send my answer" }).ClickAsync();

            await Assertions.Expect(page.Locator(".nhsuk-notification-banner")).ToContainTextAsync("Your HR team has your reason");
            Assert.EndsWith("/my-passport", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        }

        var (hrContext, hrPage) = await browser.NewPageAsync(site.Url);
        await using (hrContext)
        {
            await site.SignInAsync(hrPage, TestUser.HrAtRhq, "/staff/replies");
            var card = hrPage.Locator(".nhsuk-card").Filter(new() { HasText = "Rhea Replies" });
            await Assertions.Expect(card).ToContainTextAsync("My surname is misspelt");
        }
    }
}
