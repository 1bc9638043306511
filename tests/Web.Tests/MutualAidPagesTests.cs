extern alias HostAssembly;

using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HostAssembly::Passport.Host;
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
            await hr.GetByRole(AriaRole.Button, new() { Name = "Ask staff to go to another organisation" }).ClickAsync();
            await ChooseAgreementAsync(hr, Scene.AgreementTitle);
            await Assertions.Expect(hr.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Ask staff to go to {Scene.HostName}");
            await hr.GetByLabel("Registered nurse").CheckAsync();
            await FillDateAsync(hr, "start", start);
            await FillDateAsync(hr, "end", start.AddDays(9));
            await hr.GetByLabel("Name or assignment number (optional)").FillAsync(assignment);
            await hr.GetByRole(AriaRole.Button, new() { Name = "Show these staff" }).ClickAsync();
            await hr.GetByLabel("Ayo Mutualaid").CheckAsync();
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

    [Fact]
    public async Task Hr_chooses_the_agreement_by_name_ticks_people_on_a_filtered_list_and_uploads_a_csv_with_errors_on_the_fields()
    {
        var suffix = Random.Shared.Next(10_000, 99_999).ToString(CultureInfo.InvariantCulture);
        var title = $"Winter pressures {suffix}";
        await AgreementAsync(title, hostMayRaise: false);
        await Scene.NurseAsync(site, "Ola", "Checklist" + suffix);
        var listed = await Scene.NurseAsync(site, "Ife", "Csvfile" + suffix);
        string listedAssignment;
        using (var hrApi = await site.ApiAsync(TestUser.HrAtRhq))
            listedAssignment = (await hrApi.GetFromJsonAsync<JsonObject>(new Uri($"api/staff/{listed.Id}", UriKind.Relative)))!["assignmentNumber"]!.GetValue<string>();

        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await site.SignInAsync(page, TestUser.HrAtRhq, "/mutual-aid/new");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Which agreement will they go under?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Assertions.Expect(page.Locator("#agreement-error")).ToContainTextAsync("Select the agreement they will go under");
        await Accessibility.AssertNoAxeViolationsAsync(page);
        await ChooseAgreementAsync(page, title);

        await Assertions.Expect(page.Locator(".nhsuk-caption-l")).ToHaveTextAsync(title);
        await Assertions.Expect(page.GetByLabel("Registered nurse")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Healthcare assistant")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("registered_nurse");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask them to consent" }).ClickAsync();
        await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Select the role they will work in");
        await Assertions.Expect(page.Locator("#role-error")).ToContainTextAsync("Select the role they will work in");
        await Assertions.Expect(page.Locator("#staff-error")).ToContainTextAsync("Select the people to ask, or upload a CSV file of their assignment numbers");
        await Accessibility.AssertNoAxeViolationsAsync(page);

        // Ticks survive filtering the list to find someone else.
        await page.GetByLabel("Registered nurse").CheckAsync();
        await page.GetByLabel("Name or assignment number (optional)").FillAsync("Ola Checklist" + suffix);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show these staff" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Ife Csvfile" + suffix)).ToHaveCountAsync(0);
        await page.GetByLabel("Ola Checklist" + suffix).CheckAsync();
        await page.GetByLabel("Name or assignment number (optional)").FillAsync("Ife Csvfile" + suffix);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show these staff" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Ola Checklist" + suffix)).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#staff-hint")).ToContainTextAsync("1 more already ticked under another filter");
        await Accessibility.AssertNoAxeViolationsAsync(page);

        var file = page.GetByLabel("CSV file of assignment numbers (optional)");
        await file.SetInputFilesAsync(new FilePayload { Name = "people.txt", MimeType = "text/plain", Buffer = "assignment_number\n1"u8.ToArray() });
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask them to consent" }).ClickAsync();
        await Assertions.Expect(page.Locator("#file-error")).ToContainTextAsync("The selected file must be a CSV");
        await file.SetInputFilesAsync(new FilePayload { Name = "people.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes("assignment_number\nNOBODY-" + suffix + "\n") });
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask them to consent" }).ClickAsync();
        await Assertions.Expect(page.Locator("#file-error")).ToContainTextAsync($"none of your staff has the assignment number NOBODY-{suffix}");
        await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("The file cannot be used");
        await Accessibility.AssertNoAxeViolationsAsync(page);

        await file.SetInputFilesAsync(new FilePayload { Name = "people.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes($"assignment_number\n{listedAssignment}\n") });
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask them to consent" }).ClickAsync();
        await Assertions.Expect(page.Locator(".nhsuk-notification-banner")).ToContainTextAsync("2 people have been asked to consent");
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Ola Checklist" + suffix })).ToContainTextAsync("Waiting for their consent");
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Ife Csvfile" + suffix })).ToContainTextAsync("Waiting for their consent");
    }

    [Fact]
    public async Task The_host_asks_for_someone_it_hosted_and_others_by_csv_under_an_agreement_that_allows_it_and_home_hr_sees_who_asked()
    {
        var suffix = Random.Shared.Next(10_000, 99_999).ToString(CultureInfo.InvariantCulture);
        var title = $"Host may ask {suffix}";
        await AgreementAsync(title, hostMayRaise: true);
        var nurse = await Scene.NurseAsync(site, "Kemi", "Hostasked" + suffix);
        var visitor = await Scene.NurseAsync(site, "Tunde", "Visited" + suffix);
        using (var wallet = new TestWallet())
        {
            var (offerLink, txCode) = await Scene.OfferAsync(site, visitor.Id);
            await wallet.ReceiveAsync(offerLink, txCode);
            var request = await Scene.PresentationRequestAsync(site, Scene.NurseRole);
            await wallet.PresentAsync(request.RequestLink);
            var decisionId = (await Scene.DecisionAsync(site, request.Id))["id"]!.GetValue<string>();
            await Scene.DeploymentAsync(site, Guid.Parse(decisionId), visitor.Id);
        }
        string assignment;
        using (var hrApi = await site.ApiAsync(TestUser.HrAtRhq))
            assignment = (await hrApi.GetFromJsonAsync<JsonObject>(new Uri($"api/staff/{nurse.Id}", UriKind.Relative)))!["assignmentNumber"]!.GetValue<string>();

        var (hostContext, host) = await browser.NewPageAsync(site.Url);
        await using (hostContext)
        {
            await site.SignInAsync(host, TestUser.VerifierAtRxh, "/hosting/mutual-aid");
            await host.GetByRole(AriaRole.Button, new() { Name = "Ask for staff" }).ClickAsync();
            await ChooseAgreementAsync(host, title, "Which agreement are you asking under?");
            await Assertions.Expect(host.Locator(".nhsuk-caption-l")).ToHaveTextAsync(title);
            await Assertions.Expect(host.Locator("main")).ToContainTextAsync($"You are asking {Scene.HomeName}");
            await Accessibility.AssertNoAxeViolationsAsync(host);
            await host.GetByRole(AriaRole.Button, new() { Name = "Ask for them" }).ClickAsync();
            await Assertions.Expect(host.Locator("#role-error")).ToContainTextAsync("Select the role they will work in");
            await Assertions.Expect(host.Locator(".nhsuk-error-summary")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("(?i)upload a CSV file"));
            await Accessibility.AssertNoAxeViolationsAsync(host);

            await host.GetByLabel("Registered nurse").CheckAsync();
            await host.GetByLabel("Tunde Visited" + suffix).CheckAsync();
            await host.GetByLabel("CSV file of assignment numbers (optional)").SetInputFilesAsync(new FilePayload
            {
                Name = "wanted.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes($"assignment_number\n{assignment}\n"),
            });
            await host.GetByRole(AriaRole.Button, new() { Name = "Ask for them" }).ClickAsync();
            await Assertions.Expect(host.Locator(".nhsuk-notification-banner")).ToContainTextAsync($"Your request has been sent to {Scene.HomeName}");
            var row = host.GetByRole(AriaRole.Row).Filter(new() { HasText = "Registered nurse" }).First;
            for (var i = 0; i < 60 && !(await row.InnerTextAsync()).Contains("2 people asked to consent", StringComparison.Ordinal); i++)
            {
                await Task.Delay(250);
                await host.ReloadAsync();
            }
            await Assertions.Expect(row).ToContainTextAsync("2 people asked to consent");
            await Accessibility.AssertNoAxeViolationsAsync(host);
        }

        var (hrContext, hr) = await browser.NewPageAsync(site.Url);
        await using (hrContext)
        {
            await site.SignInAsync(hr, TestUser.HrAtRhq, "/mutual-aid");
            await hr.GetByRole(AriaRole.Row).Filter(new() { HasText = "(the host)" }).First.GetByRole(AriaRole.Link, new() { Name = Scene.HostName }).ClickAsync();
            await Assertions.Expect(hr.Locator("main")).ToContainTextAsync($"{Scene.HostName} asked for these people");
            await Assertions.Expect(hr.GetByRole(AriaRole.Row).Filter(new() { HasText = "Kemi Hostasked" + suffix })).ToContainTextAsync("Waiting for their consent");
            await Assertions.Expect(hr.GetByRole(AriaRole.Row).Filter(new() { HasText = "Tunde Visited" + suffix })).ToContainTextAsync("Waiting for their consent");
            await Accessibility.AssertNoAxeViolationsAsync(hr);
        }
    }

    [Fact]
    public async Task Both_forms_that_ask_for_mutual_aid_keep_the_dates_within_the_agreements_period_and_maximum_length()
    {
        var suffix = Random.Shared.Next(10_000, 99_999).ToString(CultureInfo.InvariantCulture);
        var title = $"Terms kept {suffix}";
        await AgreementAsync(title, hostMayRaise: true);
        var first = Scene.Today.AddDays(1);

        var (hrContext, hr) = await browser.NewPageAsync(site.Url);
        await using (hrContext)
        {
            await site.SignInAsync(hr, TestUser.HrAtRhq, "/mutual-aid/new");
            await ChooseAgreementAsync(hr, title);
            await hr.GetByLabel("Registered nurse").CheckAsync();
            await FillDateAsync(hr, "start", first);
            await FillDateAsync(hr, "end", first.AddDays(99));
            await hr.GetByRole(AriaRole.Button, new() { Name = "Ask them to consent" }).ClickAsync();
            await Assertions.Expect(hr.Locator("#end-error")).ToContainTextAsync("The agreement allows at most 90 days; these dates are 100 days");
            await Assertions.Expect(hr.Locator(".nhsuk-error-summary a[href='#end-day']")).ToBeVisibleAsync();
        }

        var (hostContext, host) = await browser.NewPageAsync(site.Url);
        await using (hostContext)
        {
            await site.SignInAsync(host, TestUser.VerifierAtRxh, "/hosting/mutual-aid/new");
            await ChooseAgreementAsync(host, title, "Which agreement are you asking under?");
            await host.GetByLabel("Registered nurse").CheckAsync();
            await FillDateAsync(host, "start", Scene.Today.AddDays(-40));
            await FillDateAsync(host, "end", Scene.Today.AddDays(-35));
            await host.GetByRole(AriaRole.Button, new() { Name = "Ask for them" }).ClickAsync();
            await Assertions.Expect(host.Locator("#start-error")).ToContainTextAsync(
                $"The dates must be within the agreement, {Scene.Today.AddDays(-30).ToString("d MMMM yyyy", CultureInfo.InvariantCulture)} to");
            await Assertions.Expect(host.Locator(".nhsuk-error-summary a[href='#start-day']")).ToBeVisibleAsync();
        }
    }

    private async Task AgreementAsync(string title, bool hostMayRaise)
    {
        using var hrApi = await site.ApiAsync(TestUser.HrAtRhq);
        using var admin = await site.ApiAsync(TestUser.AdminAtRxh);
        var catalogue = (await hrApi.GetFromJsonAsync<JsonArray>(new Uri("api/catalogue", UriKind.Relative)))!.OfType<JsonObject>()
            .ToDictionary(t => t["type"]!.GetValue<string>(), t => t["vct"]!.GetValue<string>(), StringComparer.Ordinal);
        var agreement = DemoAgreement.Json(catalogue, Scene.Today);
        agreement["title"] = title;
        agreement["hostMayRaiseMutualAid"] = hostMayRaise;
        (await admin.PostAsJsonAsync(new Uri("api/agreements", UriKind.Relative), agreement)).EnsureSuccessStatusCode();
    }

    /// <summary>The agreement question appears when more than one agreement fits (other tests add some).</summary>
    private static async Task ChooseAgreementAsync(IPage page, string title, string question = "Which agreement will they go under?")
    {
        if (await page.GetByRole(AriaRole.Heading, new() { Name = question }).CountAsync() == 0)
            return;
        await page.GetByLabel(title, new() { Exact = true }).First.CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
    }

    private static async Task FillDateAsync(IPage page, string id, DateOnly day)
    {
        await page.Locator($"#{id}-day").FillAsync(day.Day.ToString(CultureInfo.InvariantCulture));
        await page.Locator($"#{id}-month").FillAsync(day.Month.ToString(CultureInfo.InvariantCulture));
        await page.Locator($"#{id}-year").FillAsync(day.Year.ToString(CultureInfo.InvariantCulture));
    }
}
