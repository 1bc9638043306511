using System.Net.Http.Json;
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

    [Fact]
    public async Task Editing_a_member_of_staff_with_no_given_name_and_an_impossible_birth_date_says_both_and_changes_nothing()
    {
        var nurse = await Scene.NurseAsync(site, "Esme", "Editerror");
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await site.SignInAsync(page, TestUser.HrAtRhq, $"/staff/{nurse.Id}/edit");

        await page.GetByLabel("Given name").FillAsync("");
        var birth = page.GetByRole(AriaRole.Group, new() { Name = "Date of birth" });
        await birth.GetByLabel("Day").FillAsync("31");
        await birth.GetByLabel("Month").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();

        await AssertErrorsAsync(page, ("Enter their given name", "givenName"), ("Their date of birth must be a real date", "dateOfBirth-day"));
        await Assertions.Expect(birth.GetByLabel("Day")).ToHaveValueAsync("31");
        await page.GotoAsync($"/staff/{nurse.Id}/edit");
        await Assertions.Expect(page.GetByLabel("Given name")).ToHaveValueAsync("Esme");
    }

    [Fact]
    public async Task Checking_a_person_with_a_date_missing_its_month_or_ending_before_it_starts_says_which_date_and_asks_nothing()
    {
        using var verifier = await site.ApiAsync(TestUser.VerifierAtRxh);
        var agreements = await verifier.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>(new Uri("api/agreements", UriKind.Relative));
        var agreementId = agreements!.First(a => a!["title"]!.GetValue<string>() == Scene.AgreementTitle)!["id"]!.GetValue<string>();
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await site.SignInAsync(page, TestUser.VerifierAtRxh, $"/check?agreement={agreementId}");

        await page.GetByLabel("Registered nurse").CheckAsync();
        var first = page.GetByRole(AriaRole.Group, new() { Name = "First day" });
        await first.GetByLabel("Month").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask for their credentials" }).ClickAsync();
        await AssertErrorsAsync(page, ("The first day must include a month", "start-month"));

        await first.GetByLabel("Day").FillAsync("10");
        await first.GetByLabel("Month").FillAsync("5");
        await first.GetByLabel("Year").FillAsync("2027");
        var last = page.GetByRole(AriaRole.Group, new() { Name = "Last day" });
        await last.GetByLabel("Day").FillAsync("9");
        await last.GetByLabel("Month").FillAsync("5");
        await last.GetByLabel("Year").FillAsync("2027");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask for their credentials" }).ClickAsync();
        await AssertErrorsAsync(page, ("The last day must be the same as or after the first day", "end-day"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ask the person for their credentials" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Starting_extending_and_ending_a_deployment_wrongly_says_what_to_fix_in_words()
    {
        var nurse = await Scene.NurseAsync(site, "Dora", "Deployerror");
        using var wallet = new TestWallet();
        var (offerLink, txCode) = await Scene.OfferAsync(site, nurse.Id);
        await wallet.ReceiveAsync(offerLink, txCode);
        var request = await Scene.PresentationRequestAsync(site, Scene.NurseRole);
        await wallet.PresentAsync(request.RequestLink);
        var decisionId = (await Scene.DecisionAsync(site, request.Id))["id"]!.GetValue<string>();
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await site.SignInAsync(page, TestUser.VerifierAtRxh, $"/deployments/new?decision={decisionId}");

        await page.GetByLabel("Where will they work?").FillAsync("");
        var last = page.GetByRole(AriaRole.Group, new() { Name = "Last day" });
        await last.GetByLabel("Year").FillAsync("2020");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start the deployment" }).ClickAsync();
        await AssertErrorsAsync(page, ("Enter where they will work", "site"), ("The last day must be the same as or after the first day", "end-day"));

        var deploymentId = await Scene.DeploymentAsync(site, Guid.Parse(decisionId), nurse.Id);
        await page.GotoAsync($"/deployments/{deploymentId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Extend the deployment" }).ClickAsync();
        await AssertErrorsAsync(page, ("Enter the new last day", "newEnd-day"));
        var newEnd = page.GetByRole(AriaRole.Group, new() { Name = "New last day" });
        await newEnd.GetByLabel("Day").FillAsync("1");
        await newEnd.GetByLabel("Month").FillAsync("1");
        await newEnd.GetByLabel("Year").FillAsync("2020");
        await page.GetByRole(AriaRole.Button, new() { Name = "Extend the deployment" }).ClickAsync();
        await AssertErrorsAsync(page, ("The new last day must be after", "newEnd-day"));

        var stale = await context.NewPageAsync();
        await stale.GotoAsync($"/deployments/{deploymentId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "End the deployment", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("ended");
        await stale.GetByRole(AriaRole.Button, new() { Name = "End the deployment", Exact = true }).ClickAsync();
        var summary = stale.GetByRole(AriaRole.Alert).Filter(new() { Has = stale.GetByRole(AriaRole.Heading, new() { Name = "There is a problem" }) });
        await Assertions.Expect(summary).ToBeVisibleAsync();
        Assert.DoesNotMatch("[0-9a-f]{8}-[0-9a-f]{4}-|Exception|_ended|invalid_|not_active|\\bat Passport\\.", await stale.GetByRole(AriaRole.Main).InnerTextAsync());
        await Accessibility.AssertNoAxeViolationsAsync(stale);
    }

    [Fact]
    public async Task Uploading_no_file_a_file_that_is_not_a_csv_or_an_empty_csv_says_what_is_wrong_with_the_file()
    {
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await site.SignInAsync(page, TestUser.HrAtRhq, "/imports/new");

        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and import" }).ClickAsync();
        await AssertErrorsAsync(page, ("Select a CSV file", "file"));

        await page.GetByLabel("CSV file").SetInputFilesAsync(new FilePayload { Name = "staff.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.7"u8.ToArray() });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and import" }).ClickAsync();
        await AssertErrorsAsync(page, ("The selected file must be a CSV", "file"));

        await page.GetByLabel("CSV file").SetInputFilesAsync(new FilePayload { Name = "staff.csv", MimeType = "text/csv", Buffer = [] });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and import" }).ClickAsync();
        await AssertErrorsAsync(page, ("The selected file is empty", "file"));
    }

    [Fact]
    public async Task Declining_a_deployment_without_a_reason_asks_for_the_reason_and_leaves_it_waiting()
    {
        var title = $"Approval needed {Guid.NewGuid().ToString("N")[..6]}";
        await Scene.AgreementNeedingApprovalAsync(site, title);
        var nurse = await Scene.NurseAsync(site, "Della", "Declineerror");
        using var wallet = new TestWallet();
        var (offerLink, txCode) = await Scene.OfferAsync(site, nurse.Id);
        await wallet.ReceiveAsync(offerLink, txCode);
        var request = await Scene.PresentationRequestAsync(site, Scene.NurseRole, title);
        await wallet.PresentAsync(request.RequestLink);
        var decisionId = (await Scene.DecisionAsync(site, request.Id))["id"]!.GetValue<string>();
        var deploymentId = await Scene.DeploymentAsync(site, Guid.Parse(decisionId), nurse.Id);
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await site.SignInAsync(page, TestUser.HrAtRhq, "/deployed");

        await page.GetByRole(AriaRole.Button, new() { Name = "Decline the deployment of Della Declineerror" }).ClickAsync();

        await AssertErrorsAsync(page, ("Enter why you are declining it", $"reason-{deploymentId:N}"));
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve the deployment of Della Declineerror" })).ToBeVisibleAsync();
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
            // A date input has one message for its three boxes; the summary links to the box at fault.
            var errorId = System.Text.RegularExpressions.Regex.Replace(fieldId, "-(day|month|year)$", "") + "-error";
            await Assertions.Expect(page.Locator($"#{errorId}")).ToContainTextAsync(message);
            Assert.Equal(1, await page.Locator($"#{fieldId}").CountAsync());
        }
        var text = await page.GetByRole(AriaRole.Main).InnerTextAsync();
        Assert.DoesNotMatch("[0-9a-f]{8}-[0-9a-f]{4}-|Exception|validation_failed|invalid_|\\bat Passport\\.", text);
        await Accessibility.AssertNoAxeViolationsAsync(page);
    }
}
