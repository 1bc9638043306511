using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Passport.Web.Tests;

/// <summary>
/// axe (WCAG 2.2 AA) on every page each role reaches, with realistic data, at desktop width and at 320 px (where nothing
/// may scroll sideways), and the skip link as the first Tab stop. Each test visits all its pages and then fails listing
/// every page at fault, so one run shows the whole picture.
/// </summary>
[Collection(SiteTests.Name)]
public sealed class AccessibilityTests(PassportSite site, Browser browser)
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Data? _data;

    [Fact]
    public async Task Every_page_HR_reaches_passes_axe_at_desktop_width_and_at_320_pixels()
    {
        var d = await DataAsync();
        await AssertPagesAsync(TestUser.HrAtRhq,
            "/", "/staff", "/staff?search=Ada+Axe", "/staff/new", $"/staff/{d.StaffId}", $"/staff/{d.StaffId}/edit",
            $"/staff/{d.StaffId}/issue", $"/staff/{d.StaffId}/issue?type=dbs", $"/staff/{d.StaffId}/issue?type=training",
            $"/staff/{d.StaffId}/credentials/{d.CredentialId}", $"/staff/{d.StaffId}/offer",
            $"/staff/{d.StaffId}/offers/{d.OfferId}/letter", "/staff/replies", "/imports/new", $"/imports/{d.ImportId}", "/deployed",
            "/mutual-aid", "/mutual-aid/new");
    }

    [Fact]
    public async Task Every_page_an_organisation_administrator_reaches_passes_axe_at_desktop_width_and_at_320_pixels()
    {
        var d = await DataAsync();
        await AssertPagesAsync(TestUser.AdminAtRhq, "/", "/staff", $"/staff/{d.StaffId}", "/deployed");
        await AssertPagesAsync(TestUser.AdminAtRxh, "/", "/agreements", $"/agreements/{d.AgreementId}", $"/agreements/{d.AgreementId}/edit", "/check", "/deployments");
    }

    [Fact]
    public async Task Every_page_a_verifier_reaches_passes_axe_at_desktop_width_and_at_320_pixels()
    {
        var d = await DataAsync();
        await AssertPagesAsync(TestUser.VerifierAtRxh,
            "/", "/check", $"/check?agreement={d.AgreementId}", $"/check/{d.OpenRequestId}", $"/check/{d.DecidedRequestId}",
            $"/deployments/new?decision={d.DecisionId}", "/deployments", $"/deployments/{d.DeploymentId}", "/agreements", $"/agreements/{d.AgreementId}",
            "/hosting/mutual-aid", "/hosting/mutual-aid/new");
    }

    [Fact]
    public async Task Every_page_a_member_of_staff_reaches_passes_axe_at_desktop_width_and_at_320_pixels()
    {
        var d = await DataAsync();
        await AssertPagesAsync(d.Staff, "/", "/my-passport");
    }

    [Fact]
    public async Task Every_page_a_signed_out_person_reaches_passes_axe_at_desktop_width_and_at_320_pixels()
    {
        await AssertPagesAsync(null, "/", "/sign-in", "/access-denied", "/sign-out", "/error", "/not-found");
    }

    [Fact]
    public async Task A_missing_page_answers_not_found_with_a_page_in_words_that_passes_axe_while_the_api_keeps_its_problem_details()
    {
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await site.SignInAsync(page, TestUser.HrAtRhq, "/staff");
        foreach (var path in new[] { "/no-such-page", $"/staff/{Guid.NewGuid()}", $"/staff/{Guid.NewGuid()}/credentials/{Guid.NewGuid()}" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(404, response!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Go to the start page" })).ToBeVisibleAsync();
            await Accessibility.AssertNoAxeViolationsAsync(page);
        }

        using var api = await site.ApiAsync(TestUser.HrAtRhq);
        using var missing = await api.GetAsync(new Uri($"api/staff/{Guid.NewGuid()}", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_skip_link_is_the_first_tab_stop_and_takes_the_keyboard_to_the_main_content()
    {
        var d = await DataAsync();
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await site.SignInAsync(page, TestUser.HrAtRhq, $"/staff/{d.StaffId}");

        await page.Keyboard.PressAsync("Tab");
        var skip = page.GetByRole(AriaRole.Link, new() { Name = "Skip to main content" });
        await Assertions.Expect(skip).ToBeFocusedAsync();
        await Assertions.Expect(skip).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        var inMain = await page.EvaluateAsync<bool>("() => document.querySelector('main').contains(document.activeElement)");
        Assert.True(inMain, "After the skip link, the next Tab stop is not in the main content.");
    }

    [Fact]
    public async Task HR_offers_credentials_with_the_keyboard_alone()
    {
        var d = await DataAsync();
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await site.SignInAsync(page, TestUser.HrAtRhq, $"/staff/{d.StaffId}");

        var offer = page.GetByRole(AriaRole.Button, new() { Name = "Offer to their wallet" });
        for (var i = 0; i < 40 && !await offer.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
            await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(offer).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        var create = page.GetByRole(AriaRole.Button, new() { Name = "Create the offer" });
        for (var i = 0; i < 40 && !await create.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
            await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByText("Their code:")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_verifier_chooses_a_role_changes_a_date_and_asks_for_credentials_with_the_keyboard_alone()
    {
        var d = await DataAsync();
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await site.SignInAsync(page, TestUser.VerifierAtRxh, $"/check?agreement={d.AgreementId}");

        var nurse = page.GetByRole(AriaRole.Radio, new() { Name = "Registered nurse" });
        await TabToAsync(page, nurse);
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(nurse).ToBeCheckedAsync();
        var lastDay = page.GetByRole(AriaRole.Group, new() { Name = "Last day" }).GetByLabel("Day");
        await TabToAsync(page, lastDay);
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(Scene.Today.AddDays(20).Day.ToString(CultureInfo.InvariantCulture));
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(Scene.Today.AddDays(20).Month.ToString(CultureInfo.InvariantCulture));
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(Scene.Today.AddDays(20).Year.ToString(CultureInfo.InvariantCulture));
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Ask for their credentials" }));
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ask the person for their credentials" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync(Words.Date(Scene.Today.AddDays(20)));
    }

    /// <summary>Presses Tab until <paramref name="target"/> has the focus (at most 60 times), as a keyboard user would.</summary>
    private static async Task TabToAsync(IPage page, ILocator target)
    {
        for (var i = 0; i < 60 && !await target.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
            await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(target).ToBeFocusedAsync();
    }

    private async Task AssertPagesAsync(TestUser? user, params string[] paths)
    {
        var problems = new StringBuilder();
        foreach (var width in new[] { 1280, 320 })
        {
            var (context, page) = await browser.NewPageAsync(site.Url, width);
            await using var _ = context;
            if (user is not null)
                await site.SignInAsync(page, user, paths.First(p => p != "/"));
            foreach (var path in paths)
            {
                var response = await page.GotoAsync(path);
                if (response is null || response.Status >= 400)
                {
                    problems.AppendLine(CultureInfo.InvariantCulture, $"{path} at {width}px answered {response?.Status}");
                    continue;
                }
                var axe = await Accessibility.RunAxeAsync(page);
                foreach (var v in axe.Violations)
                    problems.AppendLine(CultureInfo.InvariantCulture, $"{path} at {width}px: {v.Id} ({v.Help}) at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}");
                if (width == 320)
                {
                    var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
                    if (scrollWidth > 320)
                        problems.AppendLine(CultureInfo.InvariantCulture, $"{path} at 320px scrolls sideways: {scrollWidth}px wide");
                }
            }
        }
        Assert.True(problems.Length == 0, $"As {user?.Name ?? "a signed-out person"}:\n{problems}");
    }

    private sealed record Data(Guid StaffId, TestUser Staff, Guid CredentialId, Guid OfferId, Guid ImportId, Guid AgreementId,
        Guid OpenRequestId, Guid DecidedRequestId, Guid DecisionId, Guid DeploymentId);

    /// <summary>A nurse with a passport, an offer, an import, a check waiting and one decided, and a deployment from it: made once for the class.</summary>
    private async Task<Data> DataAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _data ??= await MakeDataAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    private async Task<Data> MakeDataAsync()
    {
        var nurse = await Scene.NurseAsync(site, "Ada", "Axe");
        using var wallet = new TestWallet();
        var (offerLink, txCode) = await Scene.OfferAsync(site, nurse.Id);
        await wallet.ReceiveAsync(offerLink, txCode);
        var open = await Scene.PresentationRequestAsync(site, Scene.NurseRole);
        var decided = await Scene.PresentationRequestAsync(site, Scene.NurseRole);
        await wallet.PresentAsync(decided.RequestLink);
        var decision = await Scene.DecisionAsync(site, decided.Id);
        var decisionId = Guid.Parse(decision["id"]!.GetValue<string>());

        using var hr = await site.ApiAsync(TestUser.HrAtRhq);
        using var offerResponse = await hr.PostAsJsonAsync(new Uri($"api/staff/{nurse.Id}/offers", UriKind.Relative), new JsonObject());
        var offer = await ReadAsync(offerResponse);
        using var form = new MultipartFormDataContent();
        using var csv = new StringContent("record_type,source_ref,assignment_number\nstaff,axe-1,\ntraining,axe-2,00000000\n", Encoding.UTF8, "text/csv");
        form.Add(csv, "file", "staff.csv");
        using var importResponse = await hr.PostAsync(new Uri("api/imports", UriKind.Relative), form);
        var import = await ReadAsync(importResponse);

        using var verifier = await site.ApiAsync(TestUser.VerifierAtRxh);
        var agreements = await verifier.GetFromJsonAsync<JsonArray>(new Uri("api/agreements", UriKind.Relative));
        var agreementId = Guid.Parse(agreements!.First(a => a!["title"]!.GetValue<string>() == Scene.AgreementTitle)!["id"]!.GetValue<string>());
        using var deploymentResponse = await verifier.PostAsJsonAsync(new Uri("api/deployments", UriKind.Relative), new JsonObject
        {
            ["decisionId"] = decisionId.ToString(), ["homeOdsCode"] = Scene.HomeOds, ["staffId"] = nurse.Id.ToString(),
            ["hostSite"] = "Eastbrook General, Ward 9",
            ["start"] = Scene.Today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["end"] = Scene.Today.AddDays(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });
        var deployment = await ReadAsync(deploymentResponse);

        return new Data(nurse.Id, nurse.User, nurse.Credentials["dbs"][0], Id(offer), Id(import), agreementId,
            open.Id, decided.Id, decisionId, Id(deployment));
    }

    private static Guid Id(JsonObject o) => Guid.Parse(o["id"]!.GetValue<string>());

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? (JsonNode.Parse(text) as JsonObject)!
            : throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
    }
}
