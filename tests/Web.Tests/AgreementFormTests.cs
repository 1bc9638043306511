extern alias HostAssembly;

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using HostAssembly::Passport.Host;
using static Microsoft.Playwright.Assertions;

namespace Passport.Web.Tests;

/// <summary>The agreement form states each requirement's conditions, for any number of roles, and the agreement page reads them back in words.</summary>
[Collection(SiteTests.Name)]
public sealed class AgreementFormTests(PassportSite site, Browser browser)
{
    [Fact]
    public async Task An_organisation_admin_creates_an_agreement_with_conditions_on_two_roles_and_reads_them_in_plain_english()
    {
        var title = $"Conditions {Guid.NewGuid().ToString("N")[..6]}";
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await site.SignInAsync(page, TestUser.AdminAtRxh, "/agreements/new");

        await page.GetByLabel("Title").FillAsync(title);
        await page.GetByLabel(Scene.HomeName).CheckAsync();
        await FillDateAsync(page, "First day of the agreement", "1", "4", "2026");
        await FillDateAsync(page, "Last day of the agreement", "31", "3", "2027");
        await page.GetByLabel("Longest deployment in days").FillAsync("60");

        await page.GetByLabel("Name of role 1").FillAsync("Registered nurse");
        var role1 = page.GetByRole(AriaRole.Group, new() { Name = "Role 1", Exact = true });
        await role1.GetByRole(AriaRole.Checkbox, new() { Name = "DBS check for role 1" }).CheckAsync();
        var dbs = page.GetByRole(AriaRole.Group, new() { Name = "Conditions on the DBS check for role 1" });
        await dbs.GetByRole(AriaRole.Group, new() { Name = "Level accepted" }).GetByLabel("Enhanced").CheckAsync();
        await dbs.GetByLabel("Adults' barred list checked").CheckAsync();
        await dbs.GetByLabel("Children's barred list checked").CheckAsync();
        await dbs.GetByText("Rule on the issued on").ClickAsync();
        await dbs.GetByLabel("Issued on must be").SelectOptionAsync("within");
        await dbs.GetByLabel("Issued on: within how many").FillAsync("3");
        await dbs.GetByLabel("Issued on: years, months or days", new() { Exact = true }).SelectOptionAsync("Y");
        await dbs.GetByLabel("Issued on: counted from").SelectOptionAsync("start");
        await dbs.GetByLabel("Issued on: unless").SelectOptionAsync(new SelectOptionValue { Label = "On the Update Service: yes" });

        await page.GetByRole(AriaRole.Button, new() { Name = "Add another role" }).ClickAsync();
        await Expect(page.GetByLabel("Name of role 2")).ToBeVisibleAsync();
        await Expect(dbs.GetByLabel("Issued on: within how many")).ToHaveValueAsync("3");
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await page.GetByLabel("Name of role 2").FillAsync("Healthcare assistant");
        var role2 = page.GetByRole(AriaRole.Group, new() { Name = "Role 2", Exact = true });
        await role2.GetByRole(AriaRole.Checkbox, new() { Name = "Statutory and mandatory training for role 2" }).CheckAsync();
        var training = page.GetByRole(AriaRole.Group, new() { Name = "Conditions on the statutory and mandatory training for role 2" });
        var subjects = training.GetByRole(AriaRole.Group, new() { Name = "CSTF subject accepted" });
        await subjects.GetByLabel("Fire safety").CheckAsync();
        await subjects.GetByLabel("Infection prevention control").CheckAsync();
        await subjects.GetByLabel("Each ticked one is needed").CheckAsync();
        await training.GetByText("Rule on the expires on").ClickAsync();
        await training.GetByLabel("Expires on must be").SelectOptionAsync("start");
        await Accessibility.AssertNoAxeViolationsAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Create agreement" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
        var main = page.GetByRole(AriaRole.Main);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Registered nurse" })).ToBeVisibleAsync();
        await Expect(main).ToContainTextAsync("the level is enhanced");
        await Expect(main).ToContainTextAsync("it says yes to adults' barred list checked and children's barred list checked");
        await Expect(main).ToContainTextAsync("either issued within 3 years of the deployment's first day, or it says yes to on the update service");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Healthcare assistant" })).ToBeVisibleAsync();
        await Expect(main).ToContainTextAsync("the cstf subject is fire safety; expires on or after the deployment's first day");
        await Expect(main).ToContainTextAsync("the cstf subject is infection prevention control; expires on or after the deployment's first day");
        await Accessibility.AssertNoAxeViolationsAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Change the agreement" }).ClickAsync();
        var again = page.GetByRole(AriaRole.Group, new() { Name = "Conditions on the statutory and mandatory training for role 2" });
        await Expect(again.GetByLabel("Fire safety")).ToBeCheckedAsync();
        await Expect(again.GetByLabel("Infection prevention control")).ToBeCheckedAsync();
        await Expect(again.GetByLabel("Each ticked one is needed")).ToBeCheckedAsync();
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Conditions on the DBS check for role 1" }).GetByLabel("Issued on: within how many")).ToHaveValueAsync("3");
    }

    [Fact]
    public async Task Saving_the_demo_agreement_through_the_form_unchanged_keeps_every_requirement_and_condition()
    {
        using var admin = await site.ApiAsync(TestUser.AdminAtRxh);
        using var hr = await site.ApiAsync(TestUser.HrAtRhq);
        var catalogue = await hr.GetFromJsonAsync<JsonArray>(new Uri("api/catalogue", UriKind.Relative)) ?? [];
        var vcts = catalogue.OfType<JsonObject>().ToDictionary(t => t["type"]!.GetValue<string>(), t => t["vct"]!.GetValue<string>(), StringComparer.Ordinal);
        var document = DemoAgreement.Json(vcts, Scene.Today);
        document["title"] = $"Round trip {Guid.NewGuid().ToString("N")[..6]}";
        document["hostMayRaiseMutualAid"] = true;
        var created = await (await admin.PostAsJsonAsync(new Uri("api/agreements", UriKind.Relative), document)).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<JsonObject>();
        var id = created!["id"]!.GetValue<string>();

        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;
        await site.SignInAsync(page, TestUser.AdminAtRxh, $"/agreements/{id}/edit");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Conditions on the DBS check for role 1" }).GetByLabel("Issued on: for another date as the alternative, within how many")).ToHaveValueAsync("30");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "May your organisation ask for the home organisation's staff in mutual aid?" }).GetByLabel("Yes")).ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your changes to the agreement were saved");
        await Expect(page.GetByText("The receiving organisation may ask for named staff")).ToBeVisibleAsync();

        var saved = await admin.GetFromJsonAsync<JsonObject>(new Uri($"api/agreements/{id}", UriKind.Relative));
        Assert.Equal(2, saved!["version"]!.GetValue<int>());
        // A save through the form once dropped this flag, which the form did not know.
        Assert.True(saved["document"]!["hostMayRaiseMutualAid"]!.GetValue<bool>());
        var roles = WithoutNulls(saved["document"]!["roles"]);
        Assert.True(JsonNode.DeepEquals(document["roles"], roles), $"The roles changed on a save without changes:\n{document["roles"]!.ToJsonString()}\n{roles!.ToJsonString()}");
    }

    /// <summary>The API writes a condition's absent members as null.</summary>
    private static JsonNode? WithoutNulls(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, WithoutNulls(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(WithoutNulls)]),
        null => null,
        _ => node.DeepClone(),
    };

    private static async Task FillDateAsync(IPage page, string legend, string day, string month, string year)
    {
        var group = page.GetByRole(AriaRole.Group, new() { Name = legend });
        await group.GetByLabel("Day").FillAsync(day);
        await group.GetByLabel("Month").FillAsync(month);
        await group.GetByLabel("Year").FillAsync(year);
    }
}
