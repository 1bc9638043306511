using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Passport.ServiceDefaults;
using static Passport.Journey.Tests.MutualAid;

namespace Passport.Journey.Tests;

/// <summary>
/// The receiving organisation raises a mutual-aid request itself, where its agreement allows it: by assignment number or
/// from people it hosted before. The home organisation asks each person to consent as usual and its HR sees who raised it.
/// </summary>
public sealed class MutualAidHostRaiseTests(TwoServices services) : IClassFixture<TwoServices>
{
    private readonly MutualAid _aid = new(services);

    [Fact]
    public async Task A_host_raises_a_request_by_assignment_number_and_later_for_someone_it_hosted_and_each_person_is_asked_to_consent()
    {
        var (home, host) = (NewOds("H"), NewOds("V"));
        await _aid.RegisterHomeAsync(home);
        var agreementId = await _aid.HostAgreesAsync(host, home, hostMayRaise: true);
        using var first = await _aid.PersonAsync(home);
        using var second = await _aid.PersonAsync(home);
        var hr = services.Issuer.As(home, PassportRoles.HrIssuer);
        var firstNumber = (await hr.GetFromJsonAsync<JsonObject>(Url($"/api/staff/{first.StaffId}")))!["assignmentNumber"]!.GetValue<string>();
        var secondNumber = (await hr.GetFromJsonAsync<JsonObject>(Url($"/api/staff/{second.StaffId}")))!["assignmentNumber"]!.GetValue<string>();
        var staffing = Staffing(host, "vera-vaughan");

        var raised = await Ok(await staffing.PostAsJsonAsync(Url("/api/mutual-aid"), new
        {
            agreementId, homeOdsCode = home, role = Role, start = Day(7), end = Day(20), csv = $"assignment_number\n{firstNumber}\n{secondNumber}\nNOBODY-1\n",
        }), HttpStatusCode.Accepted);
        Assert.Equal("sent", raised["state"]!.GetValue<string>());
        Assert.Equal(3, raised["named"]!.GetValue<int>());
        Assert.Equal("vera-vaughan", raised["raisedBy"]!.GetValue<string>());
        var requestId = raised["requestId"]!.GetValue<Guid>();

        JsonObject answered = [];
        await Eventually(async () =>
        {
            answered = await Ok(await staffing.GetAsync(Url($"/api/mutual-aid/{requestId}/raised")), HttpStatusCode.OK);
            return answered["state"]!.GetValue<string>() == "answered";
        }, "the home organisation to answer the host's request");
        Assert.Equal(2, answered["asked"]!.GetValue<int>());
        Assert.Equal(["NOBODY-1"], answered["notFound"]!.AsArray().Select(n => n!.GetValue<string>()));

        // Home's HR sees the request, who raised it, and each person waiting for consent.
        var view = await Ok(await hr.GetAsync(Url($"/api/mutual-aid-requests/{requestId}")), HttpStatusCode.OK);
        Assert.Equal(host, view["raisedByOdsCode"]!.GetValue<string>());
        Assert.Equal("vera-vaughan", view["raisedBy"]!.GetValue<string>());
        Assert.Equal(agreementId, view["agreementId"]!.GetValue<Guid>());
        Assert.All(view["members"]!.AsArray(), m => Assert.Equal("waiting_for_consent", m!["state"]!.GetValue<string>()));
        var members = MemberIds(view);
        Assert.Equal(new[] { first.StaffId, second.StaffId }.Order(), members.Keys.Order());
        var summary = (await hr.GetFromJsonAsync<JsonArray>(Url("/api/mutual-aid-requests")))!.Single(r => r!["id"]!.GetValue<Guid>() == requestId)!;
        Assert.Equal(host, summary["raisedByOdsCode"]!.GetValue<string>());
        var history = await hr.GetFromJsonAsync<JsonArray>(Url($"/api/staff/{first.StaffId}/history"));
        var asked = history!.Single(e => e!["action"]!.GetValue<string>() == "mutual_aid_requested")!;
        Assert.Equal("vera-vaughan", asked["actor"]!.GetValue<string>());
        Assert.Contains(host, asked["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        // Nobody is asked to present before consenting; the one who consents presents, is accepted and deployed as usual.
        var verifier = services.Verifier.As(host, PassportRoles.Verifier);
        Assert.Equal(HttpStatusCode.NotFound, (await verifier.GetAsync(Url($"/api/mutual-aid/{requestId}"))).StatusCode);
        await Ok(await _aid.Staff(home, first).PostAsync(Url($"/api/me/mutual-aid/{members[first.StaffId]}/consent"), null), HttpStatusCode.OK);
        await _aid.PresentAsync(first.Wallet, first.Held, await _aid.WalletLinkAsync(home, first, members[first.StaffId]));
        await Eventually(async () =>
        {
            var h = await Ok(await verifier.GetAsync(Url($"/api/mutual-aid/{requestId}")), HttpStatusCode.OK);
            return h["members"]!.AsArray().Any(m => m!["state"]!.GetValue<string>() == "accepted");
        }, "the host's decision on the consenting person");
        await Ok(await verifier.PostAsJsonAsync(Url($"/api/mutual-aid/{requestId}/start"), new { hostSite = "Ward 7" }), HttpStatusCode.Accepted);
        await Eventually(async () =>
        {
            var visitors = (await Ok(await staffing.GetAsync(Url($"/api/mutual-aid/visitors?homeOdsCode={home}")), HttpStatusCode.OK))["items"]!.AsArray();
            return visitors.Any(v => v!["staffId"]!.GetValue<Guid>() == first.StaffId);
        }, "the deployment to make the person a visitor the host can ask for again");

        // Someone it hosted can be asked for again by name, without their assignment number.
        var again = await Ok(await staffing.PostAsJsonAsync(Url("/api/mutual-aid"), new
        {
            agreementId, homeOdsCode = home, role = Role, start = Day(40), end = Day(50), staffIds = new[] { first.StaffId },
        }), HttpStatusCode.Accepted);
        var againId = again["requestId"]!.GetValue<Guid>();
        await Eventually(async () =>
        {
            var r = await hr.GetAsync(Url($"/api/mutual-aid-requests/{againId}"));
            return r.StatusCode == HttpStatusCode.OK
                && MemberIds(await Ok(r, HttpStatusCode.OK)).Keys.SequenceEqual([first.StaffId]);
        }, "home to ask the visitor again");
    }

    [Fact]
    public async Task A_host_cannot_raise_a_request_when_the_agreement_does_not_allow_it()
    {
        var (home, host) = (NewOds("H"), NewOds("V"));
        await _aid.RegisterHomeAsync(home);
        var agreementId = await _aid.HostAgreesAsync(host, home, hostMayRaise: false);
        using var person = await _aid.PersonAsync(home);
        var number = (await services.Issuer.As(home, PassportRoles.HrIssuer).GetFromJsonAsync<JsonObject>(Url($"/api/staff/{person.StaffId}")))!["assignmentNumber"]!.GetValue<string>();
        var staffing = Staffing(host, "vera-vaughan");

        var refused = await staffing.PostAsJsonAsync(Url("/api/mutual-aid"), new
        {
            agreementId, homeOdsCode = home, role = Role, start = Day(7), end = Day(20), csv = $"assignment_number\n{number}\n",
        });

        var body = await refused.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("host_may_not_raise", body!["code"]!.GetValue<string>());
        Assert.Contains("does not let your organisation ask for staff", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await staffing.GetFromJsonAsync<JsonArray>(Url("/api/mutual-aid/raised")))!);
        await Task.Delay(500);
        Assert.Empty((await services.Issuer.As(home, PassportRoles.HrIssuer).GetFromJsonAsync<JsonArray>(Url("/api/mutual-aid-requests")))!);
    }

    [Fact]
    public async Task Bad_input_from_the_host_is_refused_with_a_problem_naming_what_to_fix()
    {
        var (home, host) = (NewOds("H"), NewOds("V"));
        await _aid.RegisterHomeAsync(home);
        var agreementId = await _aid.HostAgreesAsync(host, home, hostMayRaise: true);
        var staffing = Staffing(host, "vera-vaughan");

        async Task Refused(object body, HttpStatusCode status, string code, string? field = null, HttpClient? client = null)
        {
            var response = await (client ?? staffing).PostAsJsonAsync(Url("/api/mutual-aid"), body);
            var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
            Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {problem}");
            Assert.Equal(code, problem!["code"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
            if (field is not null)
                Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        }

        const string Csv = "assignment_number\nA-1\n";
        await Refused(new { agreementId, homeOdsCode = home, role = Role, start = Day(7), end = Day(20) }, HttpStatusCode.BadRequest, "validation_failed", "staffIds");
        await Refused(new { agreementId, homeOdsCode = "nope", role = Role, start = Day(7), end = Day(20), csv = Csv }, HttpStatusCode.BadRequest, "validation_failed", "homeOdsCode");
        await Refused(new { agreementId, homeOdsCode = host, role = Role, start = Day(7), end = Day(20), csv = Csv }, HttpStatusCode.BadRequest, "validation_failed", "homeOdsCode");
        await Refused(new { agreementId, homeOdsCode = NewOds("X"), role = Role, start = Day(7), end = Day(20), csv = Csv }, HttpStatusCode.BadRequest, "validation_failed", "homeOdsCode");
        await Refused(new { agreementId, homeOdsCode = home, role = "porter", start = Day(7), end = Day(20), csv = Csv }, HttpStatusCode.BadRequest, "validation_failed", "role");
        await Refused(new { agreementId, homeOdsCode = home, role = Role, start = Day(20), end = Day(7), csv = Csv }, HttpStatusCode.BadRequest, "validation_failed", "end");
        await Refused(new { agreementId, homeOdsCode = home, role = Role, start = Day(7), end = Day(200), csv = Csv }, HttpStatusCode.BadRequest, "validation_failed", "end");
        await Refused(new { agreementId, homeOdsCode = home, role = Role, start = Day(7), end = Day(20), csv = "name\nAmara\n" }, HttpStatusCode.BadRequest, "validation_failed", "csv");
        await Refused(new { agreementId, homeOdsCode = home, role = Role, start = Day(7), end = Day(20), csv = "assignment_number\n\"A-\"1\"\n" }, HttpStatusCode.BadRequest, "validation_failed", "csv");
        await Refused(new { agreementId, homeOdsCode = home, role = Role, start = Day(7), end = Day(20), staffIds = new[] { Guid.NewGuid() } }, HttpStatusCode.BadRequest, "validation_failed", "staffIds");
        await Refused(new { agreementId = Guid.NewGuid(), homeOdsCode = home, role = Role, start = Day(7), end = Day(20), csv = Csv }, HttpStatusCode.NotFound, "agreement_not_found");
        // Another host cannot raise under this host's agreement.
        await Refused(new { agreementId, homeOdsCode = home, role = Role, start = Day(7), end = Day(20), csv = Csv }, HttpStatusCode.NotFound, "agreement_not_found",
            client: Staffing(NewOds("V"), "someone-else"));
        var hr = services.Verifier.As(host, PassportRoles.HrIssuer);
        Assert.Equal(HttpStatusCode.Forbidden, (await hr.PostAsJsonAsync(Url("/api/mutual-aid"), new { agreementId, homeOdsCode = home, role = Role, csv = Csv })).StatusCode);
        Assert.Empty((await staffing.GetFromJsonAsync<JsonArray>(Url("/api/mutual-aid/raised")))!);
        var missing = await staffing.GetAsync(Url($"/api/mutual-aid/{Guid.NewGuid()}/raised"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("aid_raise_not_found", (await missing.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
    }

    private HttpClient Staffing(string host, string subject)
    {
        var client = services.Verifier.As(host, PassportRoles.Verifier);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", services.Tokens.Mint(host, [PassportRoles.Verifier], null, subject));
        return client;
    }
}
