using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Passport.Contracts;
using Passport.Messaging;
using Passport.ServiceDefaults;
using static Passport.Issuer.Tests.Import.Importing;
using static Passport.Issuer.Tests.Staff.Api;

namespace Passport.Issuer.Tests.Import;

public sealed class ImportTests : IClassFixture<IssuerApp>
{
    private const int MaxFileBytes = 64 * 1024;
    private readonly IssuerApp app;

    public ImportTests(IssuerApp app)
    {
        this.app = app;
        app.Settings["Issuer:Import:MaxFileBytes"] = MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        app.Settings["Issuer:Import:PollInterval"] = "00:00:00.100";
    }

    private static readonly (int, string)[] ExampleErrors =
    [
        (9, "subject"), (10, "assignment_number"), (11, "check_type"), (12, "certificate_number"), (12, "issued_on"), (13, "source_ref"),
        (14, "source_ref"), (15, "date_of_birth"), (16, "references_received"), (19, "certificate_number"),
    ];

    [Fact]
    public async Task Import_of_a_csv_with_good_and_bad_rows_issues_the_good_rows_and_reports_each_bad_one_by_line_field_and_reason()
    {
        var ods = await NewOrganisationAsync(app);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer, subject: "hr-importer");

        var response = await PostFileAsync(hr, ExampleFile(), "esr-export.csv");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await JsonAsync(response);
        Assert.Equal(("queued", 17, "esr-export.csv"), ((string?)accepted["state"], Count(accepted, "totalRows"), (string?)accepted["fileName"]));
        var job = await FinishedAsync(hr, Guid.Parse((string)accepted["id"]!));
        Assert.Equal("completed", (string?)job["state"]);
        Assert.Equal((17, 6, 2, 0, 0, 9), (Count(job, "processedRows"), Count(job, "issued"), Count(job, "staffCreated"), Count(job, "staffUpdated"), Count(job, "unchanged"), Count(job, "failed")));
        Assert.Equal(ExampleErrors, ErrorsOf(job));
        var reasons = job["errors"]!.AsArray().ToDictionary(e => ((int)e!["line"]!, (string)e["field"]!), e => (string)e!["reason"]!);
        Assert.Contains("fire_safety", reasons[(9, "subject")], StringComparison.Ordinal);
        Assert.Contains("Line 4 already has this source_ref", reasons[(14, "source_ref")], StringComparison.Ordinal);
        Assert.Contains("not used on training rows", reasons[(19, "certificate_number")], StringComparison.Ordinal);

        var credentials = await app.WithDbAsync(db => db.Credentials.AsNoTracking().Where(c => c.OdsCode == ods).ToListAsync());
        Assert.Equal(
            ["DBS-7001", "LMS-5001", "LMS-5002", "LMS-5005", "OH-9001", "RTW-8001"],
            credentials.Select(c => c.SourceReference!).Order(StringComparer.Ordinal));
        var staff = await app.WithDbAsync(db => db.Staff.AsNoTracking().Where(s => s.OdsCode == ods).OrderBy(s => s.AssignmentNumber).ToListAsync());
        Assert.Equal(["10012345-1", "10012346-1"], staff.Select(s => s.AssignmentNumber));
        Assert.Equal("Physiotherapist, Emergency Department", staff[1].JobTitle);
        var resus = credentials.Single(c => c.SourceReference == "LMS-5002");
        Assert.Equal(staff[1].Id, resus.StaffId);
        Assert.Equal("Resuscitation Council \"UK\", London", (string?)JsonNode.Parse(resus.Claims)!["provider"]);
        Assert.Equal("Trust Learning\nCentre", (string?)JsonNode.Parse(credentials.Single(c => c.SourceReference == "LMS-5005").Claims)!["provider"]);
        Assert.Equal(2, JsonNode.Parse(credentials.Single(c => c.SourceReference == "OH-9001").Claims)!["immunisations"]!.AsArray().Count);
        Assert.Equal(6, await IssuedEventsAsync(ods));
        var audit = await app.WithDbAsync(db => db.Audit.AsNoTracking().SingleAsync(a => a.CredentialId == resus.Id));
        Assert.Equal(("hr-importer", "Imported from esr-export.csv, line 5"), (audit.Actor, audit.Reason));
    }

    [Fact]
    public async Task Importing_the_same_file_again_changes_nothing()
    {
        var ods = await NewOrganisationAsync(app);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        var file = ExampleFile();
        var first = await FinishedAsync(hr, await StartAsync(hr, file));
        var credentialsBefore = await app.WithDbAsync(db => db.Credentials.AsNoTracking().Where(c => c.OdsCode == ods).OrderBy(c => c.Id).Select(c => c.Id).ToListAsync());
        var staffBefore = await app.WithDbAsync(db => db.Staff.AsNoTracking().Where(s => s.OdsCode == ods).CountAsync());

        var second = await FinishedAsync(hr, await StartAsync(hr, file));

        Assert.Equal(6, Count(first, "issued"));
        Assert.Equal(("completed", 17, 0, 0, 0, 8, 9), ((string?)second["state"], Count(second, "processedRows"), Count(second, "issued"), Count(second, "staffCreated"),
            Count(second, "staffUpdated"), Count(second, "unchanged"), Count(second, "failed")));
        Assert.Equal(ErrorsOf(first), ErrorsOf(second));
        Assert.Equal(credentialsBefore, await app.WithDbAsync(db => db.Credentials.AsNoTracking().Where(c => c.OdsCode == ods).OrderBy(c => c.Id).Select(c => c.Id).ToListAsync()));
        Assert.Equal(staffBefore, await app.WithDbAsync(db => db.Staff.AsNoTracking().Where(s => s.OdsCode == ods).CountAsync()));
        Assert.Equal(6, await IssuedEventsAsync(ods));
    }

    [Fact]
    public async Task A_staff_row_with_new_details_corrects_the_staff_record()
    {
        var ods = await NewOrganisationAsync(app);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        const string header = "record_type,source_ref,assignment_number,given_name,family_name,date_of_birth,job_title\r\n";
        await FinishedAsync(hr, await StartAsync(hr, header + "staff,P-1,20000001-1,Amara,Okafor,1990-04-01,Staff Nurse\r\n"));

        var job = await FinishedAsync(hr, await StartAsync(hr, header + "staff,P-1,20000001-1,Amara,Okafor-Smith,1990-04-01,Charge Nurse\r\n"));

        Assert.Equal((1, 0, 0), (Count(job, "staffUpdated"), Count(job, "staffCreated"), Count(job, "unchanged")));
        var staff = await app.WithDbAsync(db => db.Staff.AsNoTracking().SingleAsync(s => s.OdsCode == ods));
        Assert.Equal(("Okafor-Smith", "Charge Nurse"), (staff.FamilyName, staff.JobTitle));
    }

    [Fact]
    public async Task A_file_with_an_unterminated_quote_is_refused_with_its_line_and_no_job_is_made()
    {
        var ods = await NewOrganisationAsync(app);
        const string csv = "record_type,source_ref,assignment_number,given_name\r\nstaff,P-1,20000001-1,Amara\r\nstaff,P-2,20000002-1,\"Jo\r\nstaff,P-3,20000003-1,Sam\r\n";

        var response = await PostCsvAsync(app.ClientFor(ods, PassportRoles.HrIssuer), csv);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unterminated_quote", (await ProblemAsync(response)).Code);
        var problem = await JsonAsync(response);
        Assert.Equal(3, (int)problem["line"]!);
        Assert.StartsWith("Line 3:", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.False(await app.WithDbAsync(db => db.ImportJobs.AnyAsync(j => j.OdsCode == ods)));
    }

    [Fact]
    public async Task A_header_with_unknown_or_missing_columns_is_refused_naming_each_one()
    {
        var ods = await NewOrganisationAsync(app);

        var response = await PostCsvAsync(app.ClientFor(ods, PassportRoles.HrIssuer), "record_type,assignment_number,favourite_colour,subject,subject\r\ntraining,1-1,blue,fire_safety,fire_safety\r\n");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, fields) = await ProblemAsync(response);
        Assert.Equal("invalid_header", code);
        Assert.Equal(["favourite_colour", "source_ref", "subject"], fields);
    }

    [Theory]
    [InlineData("")]
    [InlineData("record_type,source_ref,assignment_number\r\n")]
    public async Task A_file_without_data_rows_is_refused(string csv)
    {
        var ods = await NewOrganisationAsync(app);

        var response = await PostCsvAsync(app.ClientFor(ods, PassportRoles.HrIssuer), csv);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(csv.Length == 0 ? "empty_file" : "no_rows", (await ProblemAsync(response)).Code);
    }

    [Fact]
    public async Task An_oversized_upload_is_refused_with_413_as_a_file_or_as_a_body()
    {
        var ods = await NewOrganisationAsync(app);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        var csv = new StringBuilder("record_type,source_ref,assignment_number,given_name\r\n");
        for (var i = 0; csv.Length <= MaxFileBytes; i++)
            csv.Append("staff,P-").Append(i).Append(",3000").Append(i).Append("-1,Amara\r\n");

        foreach (var response in new[] { await PostCsvAsync(hr, csv.ToString()), await PostFileAsync(hr, csv.ToString()) })
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("file_too_large", (await ProblemAsync(response)).Code);
        }
        Assert.False(await app.WithDbAsync(db => db.ImportJobs.AnyAsync(j => j.OdsCode == ods)));
    }

    [Fact]
    public async Task A_body_that_is_neither_csv_nor_a_form_is_refused_with_415()
    {
        var ods = await NewOrganisationAsync(app);

        var response = await app.ClientFor(ods, PassportRoles.HrIssuer).PostAsync(Url("/api/imports"), new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("unsupported_media_type", (await ProblemAsync(response)).Code);
    }

    [Fact]
    public async Task Imports_are_for_hr_of_the_organisation_only()
    {
        var ods = await NewOrganisationAsync(app);
        var other = await NewOrganisationAsync(app);
        var id = await StartAsync(app.ClientFor(ods, PassportRoles.HrIssuer), ExampleFile());

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostCsvAsync(app.Anonymous(), ExampleFile())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync(Url($"/api/imports/{id}"))).StatusCode);
        foreach (var role in new[] { PassportRoles.Staff, PassportRoles.Verifier })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await PostCsvAsync(app.ClientFor(ods, role), ExampleFile())).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(ods, role).GetAsync(Url($"/api/imports/{id}"))).StatusCode);
        }
        var otherHr = app.ClientFor(other, PassportRoles.HrIssuer);
        foreach (var path in new[] { $"/api/imports/{id}", $"/api/imports/{id}/errors" })
        {
            var response = await otherHr.GetAsync(Url(path));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("import_not_found", (await ProblemAsync(response)).Code);
        }
        await FinishedAsync(app.ClientFor(ods, PassportRoles.HrIssuer), id);
        Assert.Equal(0, await app.WithDbAsync(db => db.Credentials.CountAsync(c => c.OdsCode == other)));
    }

    [Fact]
    public async Task An_organisation_that_is_not_registered_cannot_import()
    {
        var response = await PostCsvAsync(app.ClientFor(Seed.NewOds(), PassportRoles.HrIssuer), ExampleFile());

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("organisation_not_registered", (await ProblemAsync(response)).Code);
    }

    [Fact]
    public async Task Row_errors_are_listed_a_page_at_a_time_in_file_order()
    {
        var ods = await NewOrganisationAsync(app);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        var id = await StartAsync(hr, ExampleFile());
        await FinishedAsync(hr, id);

        var pages = new List<(int, string)>();
        for (var page = 1; page <= 3; page++)
        {
            var body = await JsonAsync(await hr.GetAsync(Url($"/api/imports/{id}/errors?page={page}&pageSize=4")));
            Assert.Equal(ExampleErrors.Length, (int)body["total"]!);
            pages.AddRange(body["items"]!.AsArray().Select(e => ((int)e!["line"]!, (string)e["field"]!)));
        }

        Assert.Equal(ExampleErrors, pages.Order());
        var bad = await hr.GetAsync(Url($"/api/imports/{id}/errors?pageSize=5000"));
        var (code, fields) = await ProblemAsync(bad);
        Assert.Equal("validation_failed", code);
        Assert.Equal(["pageSize"], fields);
    }

    private Task<int> IssuedEventsAsync(string ods) =>
        app.WithDbAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.MessageType == typeof(CredentialIssued).FullName && m.Body.Contains("\"IssuerOdsCode\":\"" + ods + "\"")));
}
