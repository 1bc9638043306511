using System.Net;
using System.Net.Http.Json;
using Passport.ServiceDefaults;
using static Passport.Issuer.Tests.Staff.Api;

namespace Passport.Issuer.Tests.Staff;

/// <summary>A staff record is linked to the member of staff's sign-in identity by a one-time code HR issues and they redeem.</summary>
public sealed class EnrolmentTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    private async Task<string> EnrolmentCodeAsync(string ods, Guid staffId)
    {
        var response = await app.ClientFor(ods, PassportRoles.HrIssuer).PostAsync(Url($"/api/staff/{staffId}/enrolment-code"), null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)(await JsonAsync(response))["code"]!;
    }

    private Task<HttpResponseMessage> RedeemAsync(string ods, string subject, string code) =>
        app.ClientFor(ods, PassportRoles.Staff, subject: subject).PostAsJsonAsync(Url("/api/me/enrolment"), new { code });

    [Fact]
    public async Task A_token_that_only_names_the_staff_id_of_a_record_with_no_linked_sign_in_is_refused()
    {
        var ods = await NewOrganisationAsync(app);
        var staffId = await NewStaffAsync(app, ods);

        var response = await app.ClientFor(ods, PassportRoles.Staff, staffId).GetAsync(Url("/api/me/passport"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("staff_not_linked", (await ProblemAsync(response)).Code);
    }

    [Fact]
    public async Task A_member_of_staff_redeems_the_code_hr_gave_them_once_and_then_reads_their_own_passport_by_their_sign_in()
    {
        var ods = await NewOrganisationAsync(app);
        var staffId = await NewStaffAsync(app, ods);
        var code = await EnrolmentCodeAsync(ods, staffId);
        var subject = $"idp-{Guid.NewGuid():N}";

        var redeemed = await RedeemAsync(ods, subject, code.ToLowerInvariant());

        Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
        Assert.Equal(staffId.ToString(), (string?)(await JsonAsync(redeemed))["staffId"]);
        var passport = await app.ClientFor(ods, PassportRoles.Staff, subject: subject).GetAsync(Url("/api/me/passport"));
        Assert.Equal(HttpStatusCode.OK, passport.StatusCode);
        Assert.Equal(staffId.ToString(), (string?)(await JsonAsync(passport))["staffId"]);
        Assert.Equal(subject, (string?)(await JsonAsync(await app.ClientFor(ods, PassportRoles.HrIssuer).GetAsync(Url($"/api/staff/{staffId}"))))["subject"]);
        var again = await RedeemAsync(ods, $"idp-{Guid.NewGuid():N}", code);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("invalid_enrolment_code", (await ProblemAsync(again)).Code);
        var otherRecord = await app.ClientFor(ods, PassportRoles.Staff, await NewStaffAsync(app, ods), subject).GetAsync(Url("/api/me/passport"));
        Assert.Equal(HttpStatusCode.Forbidden, otherRecord.StatusCode);
    }

    [Fact]
    public async Task A_code_is_refused_from_another_organisation_and_a_sign_in_links_to_one_record_only()
    {
        var ods = await NewOrganisationAsync(app);
        var other = await NewOrganisationAsync(app);
        var first = await NewStaffAsync(app, ods);
        var second = await NewStaffAsync(app, ods);
        var subject = $"idp-{Guid.NewGuid():N}";
        var code = await EnrolmentCodeAsync(ods, second);

        var elsewhere = await RedeemAsync(other, subject, code);
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(ods, subject, await EnrolmentCodeAsync(ods, first))).StatusCode);
        var twice = await RedeemAsync(ods, subject, code);

        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal("sign_in_already_linked", (await ProblemAsync(twice)).Code);
        Assert.Null((string?)(await JsonAsync(await app.ClientFor(ods, PassportRoles.HrIssuer).GetAsync(Url($"/api/staff/{second}"))))["subject"]);
    }

    [Fact]
    public async Task Only_hr_issues_a_code_and_only_a_member_of_staff_redeems_one()
    {
        var ods = await NewOrganisationAsync(app);
        var staffId = await NewStaffAsync(app, ods);
        var code = await EnrolmentCodeAsync(ods, staffId);

        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(ods, PassportRoles.Staff, subject: "s").PostAsync(Url($"/api/staff/{staffId}/enrolment-code"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(ods, PassportRoles.HrIssuer).PostAsJsonAsync(Url("/api/me/enrolment"), new { code })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.ClientFor(await NewOrganisationAsync(app), PassportRoles.HrIssuer).PostAsync(Url($"/api/staff/{staffId}/enrolment-code"), null)).StatusCode);
        var empty = await app.ClientFor(ods, PassportRoles.Staff, subject: "s").PostAsJsonAsync(Url("/api/me/enrolment"), new { code = "" });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }
}
