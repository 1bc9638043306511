using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Passport.Verifier.Tests.Decisions;

namespace Passport.Verifier.Tests.Agreements;

public sealed class AgreementEndpointTests(VerifierApp app) : IClassFixture<VerifierApp>
{
    private static readonly Uri Agreements = new("/api/agreements", UriKind.Relative);

    private static Uri At(Guid id, string query = "") => new($"/api/agreements/{id}{query}", UriKind.Relative);

    private static async Task<JsonObject> CreateAsync(HttpClient client, string own, string home)
    {
        var response = await client.PostAsJsonAsync(Agreements, SampleAgreement.Json(own, home));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    [Fact]
    public async Task An_organisation_admin_records_an_agreement_as_version_1_and_a_verifier_reads_it_back()
    {
        var own = Ods.New();
        using var admin = app.ClientFor(own, "org_admin");
        using var client = app.ClientFor(own, "verifier");

        var created = await CreateAsync(admin, own, "RHQ");
        var id = created["id"]!.GetValue<Guid>();
        var read = await client.GetFromJsonAsync<JsonObject>(At(id));

        Assert.Equal(1, created["version"]!.GetValue<int>());
        Assert.Equal(own, read!["odsCode"]!.GetValue<string>());
        Assert.Equal(90, read["document"]!["maxDeploymentDays"]!.GetValue<int>());
        Assert.Equal("enhanced", read["document"]!["roles"]![0]!["requirements"]![0]!["conditions"]![0]!["equals"]!.GetValue<string>());
        var list = await client.GetFromJsonAsync<JsonArray>(Agreements);
        Assert.Equal(id, Assert.Single(list!)!["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task Changing_an_agreement_makes_a_new_version_and_keeps_the_old_one()
    {
        var own = Ods.New();
        using var client = app.ClientFor(own, "org_admin");
        var id = (await CreateAsync(client, own, "RHQ"))["id"]!.GetValue<Guid>();
        var changed = SampleAgreement.Json(own, "RHQ");
        changed["maxDeploymentDays"] = 30;

        var response = await client.PutAsJsonAsync(At(id), changed);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonObject>())!["version"]!.GetValue<int>());
        var current = await client.GetFromJsonAsync<JsonObject>(At(id));
        var first = await client.GetFromJsonAsync<JsonObject>(At(id, "?version=1"));
        Assert.Equal(30, current!["document"]!["maxDeploymentDays"]!.GetValue<int>());
        Assert.Equal(2, current["currentVersion"]!.GetValue<int>());
        Assert.Equal(90, first!["document"]!["maxDeploymentDays"]!.GetValue<int>());
        var missing = await client.GetAsync(At(id, "?version=3"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("agreement_version_not_found", (await missing.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_invalid_agreement_is_refused_naming_each_bad_rule_and_nothing_is_recorded()
    {
        var own = Ods.New();
        using var client = app.ClientFor(own, "org_admin");
        var json = SampleAgreement.Json(own, "RHQ");
        var conditions = json["roles"]![0]!["requirements"]![2]!["conditions"]!.AsArray();
        conditions[1] = new JsonObject { ["date"] = new JsonArray("expires_on"), ["within"] = "three years" };
        json["roles"]![0]!["requirements"]![4]!["vct"] = "not a uri";

        var response = await client.PostAsJsonAsync(Agreements, json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("validation_failed", problem["code"]!.GetValue<string>());
        Assert.Equal(["roles[0].requirements[2].conditions[1].within", "roles[0].requirements[4].vct"],
            problem["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal).ToArray());
        Assert.Empty((await client.GetFromJsonAsync<JsonArray>(Agreements))!);
    }

    [Fact]
    public async Task A_malformed_body_is_a_problem_not_a_server_error()
    {
        using var client = app.ClientFor(Ods.New(), "org_admin");
        using var content = new StringContent("{\"parties\": 7", System.Text.Encoding.UTF8, "application/json");

        var response = await client.PostAsync(Agreements, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("malformed_request", (await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_organisations_agreement_is_not_found_for_reading_or_changing()
    {
        var own = Ods.New();
        using var owner = app.ClientFor(own, "org_admin");
        var id = (await CreateAsync(owner, own, "RHQ"))["id"]!.GetValue<Guid>();
        var other = Ods.New();
        using var stranger = app.ClientFor(other, "org_admin");

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(At(id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PutAsJsonAsync(At(id), SampleAgreement.Json(other, "RHQ"))).StatusCode);
        Assert.Equal(1, (await owner.GetFromJsonAsync<JsonObject>(At(id)))!["currentVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_verifier_role_cannot_record_or_change_an_agreement()
    {
        var own = Ods.New();
        using var admin = app.ClientFor(own, "org_admin");
        using var verifier = app.ClientFor(own, "verifier");
        var id = (await CreateAsync(admin, own, "RHQ"))["id"]!.GetValue<Guid>();
        var widened = SampleAgreement.Json(own, "RHQ");
        widened["parties"]!.AsArray().Add("RXX");

        Assert.Equal(HttpStatusCode.Forbidden, (await verifier.PostAsJsonAsync(Agreements, SampleAgreement.Json(own, "RXX"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await verifier.PutAsJsonAsync(At(id), widened)).StatusCode);

        var current = await verifier.GetFromJsonAsync<JsonObject>(At(id));
        Assert.Equal(1, current!["currentVersion"]!.GetValue<int>());
        Assert.Single((await verifier.GetFromJsonAsync<JsonArray>(Agreements))!);
    }

    [Fact]
    public async Task Every_change_to_an_agreement_is_audited_with_who_when_before_and_after()
    {
        var own = Ods.New();
        using var admin = app.ClientFor(own, "org_admin", subject: "admin-alice");
        using var verifier = app.ClientFor(own, "verifier");
        var id = (await CreateAsync(admin, own, "RHQ"))["id"]!.GetValue<Guid>();
        var changed = SampleAgreement.Json(own, "RHQ");
        changed["maxDeploymentDays"] = 30;
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync(At(id), changed)).StatusCode);

        var audit = (await verifier.GetFromJsonAsync<JsonArray>(At(id, "/audit")))!;

        Assert.Equal(2, audit.Count);
        var (created, updated) = (audit[0]!, audit[1]!);
        Assert.Equal("created", created["action"]!.GetValue<string>());
        Assert.Equal(1, created["version"]!.GetValue<int>());
        Assert.Null(created["before"]);
        Assert.Equal(90, created["after"]!["maxDeploymentDays"]!.GetValue<int>());
        Assert.Equal("updated", updated["action"]!.GetValue<string>());
        Assert.Equal(2, updated["version"]!.GetValue<int>());
        Assert.Equal(90, updated["before"]!["maxDeploymentDays"]!.GetValue<int>());
        Assert.Equal(30, updated["after"]!["maxDeploymentDays"]!.GetValue<int>());
        Assert.All(audit, e => Assert.Contains("admin-alice", e!["actor"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.All(audit, e => Assert.True(e!["at"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddMinutes(-5)));
        using var stranger = app.ClientFor(Ods.New(), "org_admin");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(At(id, "/audit"))).StatusCode);
    }

    [Fact]
    public async Task Only_verifiers_and_organisation_admins_manage_agreements()
    {
        var own = Ods.New();
        using var hr = app.ClientFor(own, "hr_issuer");
        using var anonymous = app.Anonymous();

        Assert.Equal(HttpStatusCode.Forbidden, (await hr.PostAsJsonAsync(Agreements, SampleAgreement.Json(own, "RHQ"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(Agreements)).StatusCode);
    }
}
