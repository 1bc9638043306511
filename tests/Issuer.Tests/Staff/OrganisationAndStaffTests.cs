using System.Net;
using System.Net.Http.Json;
using System.Text;
using Passport.ServiceDefaults;
using static Passport.Issuer.Tests.Staff.Api;

namespace Passport.Issuer.Tests.Staff;

public sealed class OrganisationAndStaffTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    [Fact]
    public async Task An_organisation_admin_registers_the_organisation_and_HR_reads_it_with_its_issuer_identifier()
    {
        var ods = Seed.NewOds();
        var admin = app.ClientFor(ods, PassportRoles.OrganisationAdmin);

        var created = await admin.PutAsJsonAsync(Url("/api/organisation"), new { name = "Northern Care Trust" });
        var renamed = await admin.PutAsJsonAsync(Url("/api/organisation"), new { name = "Northern Care NHS Trust" });
        var read = await app.ClientFor(ods, PassportRoles.HrIssuer).GetAsync(Url("/api/organisation"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var body = await JsonAsync(read);
        Assert.Equal(ods, (string?)body["odsCode"]);
        Assert.Equal("Northern Care NHS Trust", (string?)body["name"]);
        Assert.Equal($"{IssuerApp.PublicBaseUrl}issuers/{ods}", (string?)body["issuerId"]);
    }

    [Fact]
    public async Task Only_an_organisation_admin_registers_the_organisation()
    {
        var ods = Seed.NewOds();

        var asHr = await app.ClientFor(ods, PassportRoles.HrIssuer).PutAsJsonAsync(Url("/api/organisation"), new { name = "Trust" });
        var anonymous = await app.Anonymous().PutAsJsonAsync(Url("/api/organisation"), new { name = "Trust" });
        var unnamed = await app.ClientFor(ods, PassportRoles.OrganisationAdmin).PutAsJsonAsync(Url("/api/organisation"), new { name = " " });
        var unregistered = await app.ClientFor(ods, PassportRoles.HrIssuer).GetAsync(Url("/api/organisation"));

        Assert.Equal(HttpStatusCode.Forbidden, asHr.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unnamed.StatusCode);
        Assert.Equal(["name"], (await ProblemAsync(unnamed)).Fields);
        Assert.Equal(HttpStatusCode.Conflict, unregistered.StatusCode);
        Assert.Equal("organisation_not_registered", (await ProblemAsync(unregistered)).Code);
    }

    [Fact]
    public async Task Any_signed_in_caller_reads_every_organisation_by_name_with_its_issuer_identifier()
    {
        var ods = Seed.NewOds();
        Assert.Equal(HttpStatusCode.Created, (await app.ClientFor(ods, PassportRoles.OrganisationAdmin).PutAsJsonAsync(Url("/api/organisation"), new { name = "Westmoor Care Trust" })).StatusCode);

        var asVerifier = await app.ClientFor(Seed.NewOds(), PassportRoles.Verifier).GetAsync(Url("/api/organisations"));
        var anonymous = await app.Anonymous().GetAsync(Url("/api/organisations"));

        Assert.Equal(HttpStatusCode.OK, asVerifier.StatusCode);
        var organisations = await asVerifier.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonArray>() ?? [];
        var ours = Assert.Single(organisations, o => (string?)o!["odsCode"] == ods);
        Assert.Equal("Westmoor Care Trust", (string?)ours!["name"]);
        Assert.Equal($"{IssuerApp.PublicBaseUrl}issuers/{ods}", (string?)ours["issuerId"]);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Staff_cannot_be_added_before_the_organisation_is_registered()
    {
        var ods = Seed.NewOds();

        var response = await app.ClientFor(ods, PassportRoles.HrIssuer).PostAsJsonAsync(Url("/api/staff"), StaffBody());

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("organisation_not_registered", (await ProblemAsync(response)).Code);
    }

    [Fact]
    public async Task Hr_adds_reads_and_corrects_a_member_of_staff()
    {
        var ods = await NewOrganisationAsync(app);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        var assignment = NewAssignment();

        var created = await hr.PostAsJsonAsync(Url("/api/staff"), StaffBody(assignment));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (string)(await JsonAsync(created))["id"]!;
        Assert.Equal($"/api/staff/{id}", created.Headers.Location?.ToString());

        var updated = await hr.PutAsJsonAsync(Url($"/api/staff/{id}"), new
        {
            givenName = "Amara", familyName = "Okafor-Smith", dateOfBirth = "1990-04-02", assignmentNumber = assignment, jobTitle = "Sister",
        });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);

        var read = await JsonAsync(await hr.GetAsync(Url($"/api/staff/{id}")));
        Assert.Equal("Okafor-Smith", (string?)read["familyName"]);
        Assert.Equal("1990-04-02", (string?)read["dateOfBirth"]);
        Assert.Equal("Sister", (string?)read["jobTitle"]);
        Assert.Null(read["staffGroup"]);
        Assert.Equal("12A3456B", (string?)read["registrations"]![0]!["number"]);
    }

    [Fact]
    public async Task Adding_staff_with_bad_fields_names_each_one_and_adds_nothing()
    {
        var ods = await NewOrganisationAsync(app);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer);

        var response = await hr.PostAsJsonAsync(Url("/api/staff"), new
        {
            familyName = "Okafor",
            dateOfBirth = "1990-02-30",
            assignmentNumber = "12 34",
            registrations = new object[]
            {
                new { register = "NMC", number = "1234567" },
                new { register = "GMC", number = "12A3456B" },
                new { register = "HCPC", number = "12345" },
                new { register = "ABC", number = "1" },
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, fields) = await ProblemAsync(response);
        Assert.Equal("validation_failed", code);
        Assert.Equal(
            ["assignmentNumber", "dateOfBirth", "givenName", "registrations[0].number", "registrations[1].number", "registrations[2].number", "registrations[3].register"],
            fields);
        Assert.Equal(0, await app.WithDbAsync(db => Task.FromResult(db.Staff.Count(s => s.OdsCode == ods))));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        var ods = await NewOrganisationAsync(app);

        var response = await app.ClientFor(ods, PassportRoles.HrIssuer).PostAsync(Url("/api/staff"),
            new StringContent("{\"givenName\": \"Amara\",", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("malformed_request", (await ProblemAsync(response)).Code);
    }

    [Fact]
    public async Task An_empty_body_is_a_400_problem()
    {
        var ods = await NewOrganisationAsync(app);

        var response = await app.ClientFor(ods, PassportRoles.HrIssuer).PostAsync(Url("/api/staff"), new StringContent("", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("malformed_request", (await ProblemAsync(response)).Code);
    }

    [Fact]
    public async Task A_second_staff_record_with_the_same_assignment_number_is_a_conflict()
    {
        var ods = await NewOrganisationAsync(app);
        var assignment = NewAssignment();
        await NewStaffAsync(app, ods, StaffBody(assignment));

        var again = await app.ClientFor(ods, PassportRoles.HrIssuer).PostAsJsonAsync(Url("/api/staff"), StaffBody(assignment, given: "Other"));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("duplicate_assignment_number", (await ProblemAsync(again)).Code);
    }

    [Fact]
    public async Task Hr_cannot_read_or_change_another_organisations_staff()
    {
        var home = await NewOrganisationAsync(app);
        var other = await NewOrganisationAsync(app);
        var id = await NewStaffAsync(app, home);
        var intruder = app.ClientFor(other, PassportRoles.HrIssuer);

        var responses = new[]
        {
            await intruder.GetAsync(Url($"/api/staff/{id}")),
            await intruder.PutAsJsonAsync(Url($"/api/staff/{id}"), StaffBody()),
            await intruder.PutAsJsonAsync(Url($"/api/staff/{id}/registrations"), new { registrations = Array.Empty<object>() }),
            await intruder.GetAsync(Url($"/api/staff/{id}/credentials")),
            await intruder.GetAsync(Url($"/api/staff/{id}/history")),
        };

        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("staff_not_found", (await ProblemAsync(response)).Code);
        }
        var search = await JsonAsync(await intruder.GetAsync(Url("/api/staff?search=Okafor")));
        Assert.Equal(0, (int)search["total"]!);
        var unchanged = await JsonAsync(await app.ClientFor(home, PassportRoles.HrIssuer).GetAsync(Url($"/api/staff/{id}")));
        Assert.Single(unchanged["registrations"]!.AsArray());
    }

    [Fact]
    public async Task Staff_endpoints_need_a_token_and_an_hr_role()
    {
        var ods = await NewOrganisationAsync(app);
        var id = await NewStaffAsync(app, ods);

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync(Url($"/api/staff/{id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync(Url("/api/staff"), StaffBody())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(ods, PassportRoles.Verifier).GetAsync(Url($"/api/staff/{id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(ods, PassportRoles.Staff, staffId: id).GetAsync(Url($"/api/staff/{id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(ods, PassportRoles.Staff, staffId: id).GetAsync(Url("/api/staff"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.ClientFor(ods, PassportRoles.OrganisationAdmin).GetAsync(Url($"/api/staff/{id}"))).StatusCode);
    }

    [Fact]
    public async Task Search_finds_staff_by_name_or_assignment_number_a_page_at_a_time()
    {
        var ods = await NewOrganisationAsync(app);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        var assignment = NewAssignment();
        await NewStaffAsync(app, ods, StaffBody(assignment, given: "Priya", family: "Zelinski"));
        await NewStaffAsync(app, ods, StaffBody(given: "Tom", family: "Zelinski"));
        await NewStaffAsync(app, ods, StaffBody(given: "Ola", family: "Nowak"));

        var byName = await JsonAsync(await hr.GetAsync(Url("/api/staff?search=zelin&pageSize=1")));
        var byFullName = await JsonAsync(await hr.GetAsync(Url("/api/staff?search=priya%20zelinski")));
        var byAssignment = await JsonAsync(await hr.GetAsync(Url($"/api/staff?search={assignment}")));
        var everyone = await JsonAsync(await hr.GetAsync(Url("/api/staff")));
        var badPage = await hr.GetAsync(Url("/api/staff?page=0&pageSize=1000"));

        Assert.Equal(2, (int)byName["total"]!);
        Assert.Single(byName["items"]!.AsArray());
        Assert.Equal("Priya", (string?)byFullName["items"]![0]!["givenName"]);
        Assert.Equal(1, (int)byFullName["total"]!);
        Assert.Equal("Priya", (string?)byAssignment["items"]![0]!["givenName"]);
        Assert.Equal(3, (int)everyone["total"]!);
        Assert.Equal(["page", "pageSize"], (await ProblemAsync(badPage)).Fields);
        Assert.Equal("malformed_request", (await ProblemAsync(await hr.GetAsync(Url("/api/staff?pageSize=ten")))).Code);
    }

    [Fact]
    public async Task Registrations_are_replaced_and_each_number_is_checked_against_its_register()
    {
        var ods = await NewOrganisationAsync(app);
        var id = await NewStaffAsync(app, ods);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer);

        var replaced = await hr.PutAsJsonAsync(Url($"/api/staff/{id}/registrations"), new
        {
            registrations = new[] { new { register = "GMC", number = "1234567", status = "registered" }, new { register = "HCPC", number = "PA12345", status = "registered" } },
        });
        var bad = await hr.PutAsJsonAsync(Url($"/api/staff/{id}/registrations"), new
        {
            registrations = new[] { new { register = "NMC", number = "12a3456b", status = "pending" } },
        });

        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var registers = (await JsonAsync(await hr.GetAsync(Url($"/api/staff/{id}"))))["registrations"]!.AsArray().Select(r => (string?)r!["register"]);
        Assert.Equal(["GMC", "HCPC"], registers);
        Assert.Equal(["registrations[0].number", "registrations[0].status"], (await ProblemAsync(bad)).Fields);
    }
}
