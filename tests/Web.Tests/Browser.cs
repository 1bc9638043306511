using Microsoft.Playwright;

namespace Passport.Web.Tests;

/// <summary>
/// One headless Chromium for a whole test collection (starting one costs seconds on a small machine). Debian's
/// Chromium, not Playwright's download, which is not reachable here: <c>tests/run.sh</c> installs it. Each test takes a
/// context of its own, so cookies and storage never cross from one test to another.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    /// <summary>Where Debian's package puts Chromium; <c>PASSPORT_TEST_CHROMIUM</c> names another.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("PASSPORT_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Instance => _browser ?? throw new InvalidOperationException("The browser has not started yet.");

    public async Task InitializeAsync()
    {
        // A missing browser is a broken setup, not a reason to skip: a skipped browser test proves nothing.
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Chromium is not at {ExecutablePath}. Run the tests with `bash tests/run.sh`, "
                + "which installs it, or `apt-get install -y chromium`. Never `playwright install`: its download is not reachable.");
        }
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath, Headless = true });
    }

    /// <summary>
    /// A new browser context (its own cookies, as a new person at another computer) whose relative navigations resolve
    /// against <paramref name="baseUrl"/>. <paramref name="width"/> 320 checks the narrow-screen layout WCAG 2.2 asks for.
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(Uri? baseUrl = null, int width = 1280)
    {
        var context = await Instance.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl?.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            Locale = "en-GB",
            TimezoneId = "Europe/London",
            // The site under test serves https with a certificate made for the run (see PassportSite).
            IgnoreHTTPSErrors = true,
        });
        // Generous: the whole suite shares 2 cores, and a busy machine is not a failing page.
        context.SetDefaultTimeout(30_000);
        // Expect(...) assertions have their own timeout (5 s by default): as generous, for the same reason.
        Assertions.SetDefaultExpectTimeout(30_000);
        return context;
    }

    /// <summary>A page in a context of its own; disposing the context closes it.</summary>
    public async Task<(IBrowserContext Context, IPage Page)> NewPageAsync(Uri? baseUrl = null, int width = 1280)
    {
        var context = await NewContextAsync(baseUrl, width);
        return (context, await context.NewPageAsync());
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
