namespace Passport.Web.Tests;

[Collection(BrowserTests.Name)]
public sealed class AccessibilityHelperTests(Browser browser)
{
    private static string Page(string body) => $"""
        <!DOCTYPE html>
        <html lang="en"><head><title>A test page</title></head>
        <body><main><h1>A test page</h1>{body}</main></body></html>
        """;

    [Fact]
    public async Task Axe_passes_a_page_without_violations()
    {
        var (context, page) = await browser.NewPageAsync();
        await using var _ = context;
        await page.SetContentAsync(Page("<p>Nothing wrong here.</p>"));

        await Accessibility.AssertNoAxeViolationsAsync(page);
    }

    [Fact]
    public async Task Axe_fails_a_page_with_an_image_without_alternative_text_and_says_which_element()
    {
        var (context, page) = await browser.NewPageAsync();
        await using var _ = context;
        await page.SetContentAsync(Page("""<img src="data:," id="unlabelled">"""));

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => Accessibility.AssertNoAxeViolationsAsync(page));

        Assert.Contains("image-alt", failure.Message, StringComparison.Ordinal);
        Assert.Contains("#unlabelled", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Axe_checks_only_the_WCAG_2_2_AA_rules()
    {
        var (context, page) = await browser.NewPageAsync();
        await using var _ = context;
        // A page without landmarks breaks axe's best-practice "region" rule, which is not a WCAG success criterion.
        await page.SetContentAsync("""<!DOCTYPE html><html lang="en"><head><title>No landmarks</title></head><body><p>Text</p></body></html>""");

        var result = await Accessibility.RunAxeAsync(page);

        Assert.DoesNotContain(result.Violations, v => v.Id == "region");
        Assert.NotEmpty(result.Passes);
    }
}
