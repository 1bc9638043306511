using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Passport.Issuer.Tests.Catalogue;
using Passport.ServiceDefaults;
using static Passport.Issuer.Tests.Credentials.Issuing;
using static Passport.Issuer.Tests.Staff.Api;

namespace Passport.Issuer.Tests.Audit;

public sealed class HistoryTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    [Fact]
    public async Task The_member_of_staff_and_their_hr_team_read_the_passports_history_with_who_when_and_why()
    {
        var ods = await NewOrganisationAsync(app);
        var subject = $"login-{Guid.NewGuid():N}";
        var staffId = await NewStaffAsync(app, ods, StaffBody(subject: subject));
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer, subject: "hr-sam");
        var issued = await JsonAsync(await IssueAsync(hr, staffId, "dbs", Samples.Claims("dbs"), reason: "Pre-employment check"));
        var reissued = await JsonAsync(await hr.PostAsJsonAsync(Url($"/api/credentials/{issued["id"]}/reissue"), new { reason = "Certificate number corrected" }));

        var forHr = await hr.GetAsync(Url($"/api/staff/{staffId}/history"));
        var forStaff = await app.ClientFor(ods, PassportRoles.Staff, staffId, subject).GetAsync(Url("/api/me/history"));

        Assert.Equal(HttpStatusCode.OK, forHr.StatusCode);
        Assert.Equal(HttpStatusCode.OK, forStaff.StatusCode);
        var history = JsonNode.Parse(await forHr.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(await forStaff.Content.ReadAsStringAsync(), await forHr.Content.ReadAsStringAsync());
        Assert.Equal(
            [
                ("withdrawn", (string?)issued["id"], $"superseded by {reissued["id"]}"),
                ("reissued", (string?)reissued["id"], "Certificate number corrected"),
                ("issued", (string?)issued["id"], "Pre-employment check"),
            ],
            history.Select(h => ((string?)h!["action"], (string?)h["credentialId"], (string?)h["reason"])));
        Assert.All(history, h =>
        {
            Assert.Equal("hr-sam", (string?)h!["actor"]);
            Assert.True(DateTimeOffset.Parse((string)h["at"]!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(-5));
        });
    }

    [Fact]
    public async Task The_organisations_audit_trail_is_its_own_paged_and_bounded_in_time()
    {
        var ods = await NewOrganisationAsync(app);
        var other = await NewOrganisationAsync(app);
        var staffId = await NewStaffAsync(app, ods);
        var otherStaff = await NewStaffAsync(app, other);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        await IssueAsync(hr, staffId, "training", Samples.Claims("training"));
        await IssueAsync(hr, staffId, "competency", Samples.Claims("competency"));
        await IssueAsync(app.ClientFor(other, PassportRoles.HrIssuer), otherStaff, "training", Samples.Claims("training"));

        var page = await JsonAsync(await hr.GetAsync(Url("/api/audit?pageSize=1")));
        var all = await JsonAsync(await hr.GetAsync(Url("/api/audit")));
        var future = await JsonAsync(await hr.GetAsync(Url($"/api/audit?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}")));
        var backwards = await hr.GetAsync(Url("/api/audit?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z"));

        Assert.Equal((2, 1), ((int)page["total"]!, page["items"]!.AsArray().Count));
        Assert.All(all["items"]!.AsArray(), e => Assert.Equal(staffId.ToString(), (string?)e!["staffId"]));
        Assert.Equal(0, (int)future["total"]!);
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Equal(["to"], (await ProblemAsync(backwards)).Fields);
    }

    [Fact]
    public async Task History_is_for_the_organisations_hr_and_the_member_of_staff_only()
    {
        var ods = await NewOrganisationAsync(app);
        var other = await NewOrganisationAsync(app);
        var staffId = await NewStaffAsync(app, ods);
        var otherStaff = await NewStaffAsync(app, other);

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync(Url("/api/audit"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync(Url("/api/me/history"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync(Url($"/api/staff/{staffId}/history"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(ods, PassportRoles.Staff, staffId).GetAsync(Url("/api/audit"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(ods, PassportRoles.Staff, staffId).GetAsync(Url($"/api/staff/{staffId}/history"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(ods, PassportRoles.Verifier).GetAsync(Url("/api/audit"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(ods, PassportRoles.HrIssuer).GetAsync(Url("/api/me/history"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.ClientFor(other, PassportRoles.HrIssuer).GetAsync(Url($"/api/staff/{staffId}/history"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(ods, PassportRoles.Staff, otherStaff).GetAsync(Url("/api/me/history"))).StatusCode);
    }
}
