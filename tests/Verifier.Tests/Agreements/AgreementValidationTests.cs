using System.Text.Json.Nodes;
using Passport.Verifier.Agreements;

namespace Passport.Verifier.Tests.Agreements;

public sealed class AgreementValidationTests
{
    private static Dictionary<string, string[]> Errors(Action<JsonObject> change, string own = "RXH")
    {
        var json = SampleAgreement.Json("RXH", "RHQ");
        change(json);
        var rules = AgreementValidation.Validate(SampleAgreement.Document(json), own, out var errors);
        Assert.Null(rules);
        return errors;
    }

    private static JsonObject Requirement(JsonObject json, int index) => (JsonObject)json["roles"]![0]!["requirements"]![index]!;

    private static JsonArray Conditions(JsonObject json, int index) => (JsonArray)Requirement(json, index)["conditions"]!;

    [Fact]
    public void The_sample_agreement_is_valid_and_keeps_its_terms()
    {
        var rules = SampleAgreement.Rules();

        Assert.Equal(["RXH", "RHQ"], rules.Parties);
        Assert.Equal(90, rules.MaxDeploymentDays);
        Assert.True(rules.HomeApprovalRequired);
        var role = Assert.Single(rules.Roles);
        Assert.Equal(["dbs", "right_to_work", "fire_safety", "registration", "occupational_health"], role.Requirements.Select(r => r.Id).ToArray());
        var within = Assert.IsType<AnyOf>(role.Requirements[0].Conditions[2]).Conditions.Cast<DateWithin>().ToList();
        Assert.Equal(new DatePeriod(3, PeriodUnit.Years), within[0].Period);
        Assert.Equal(DateAnchor.Today, within[1].Anchor);
    }

    [Fact]
    public void Every_bad_rule_is_named_by_where_it_is()
    {
        var errors = Errors(json =>
        {
            Conditions(json, 0)[0] = new JsonObject { ["claim"] = new JsonArray("level"), ["equals"] = "enhanced", ["date"] = new JsonArray("issued_on") };
            Conditions(json, 1)[0] = new JsonObject { ["date"] = new JsonArray("expires_on"), ["within"] = "3 years" };
            Conditions(json, 2)[1] = new JsonObject { ["date"] = new JsonArray("expires_on"), ["onOrAfter"] = "tomorrow" };
            Conditions(json, 3)[0] = new JsonObject { ["claim"] = new JsonArray("register") };
            Conditions(json, 4)[0] = new JsonObject { ["claim"] = new JsonArray("clearance"), ["oneOf"] = new JsonArray(new JsonObject()) };
        });

        Assert.Equal(
            [
                "roles[0].requirements[0].conditions[0]",
                "roles[0].requirements[1].conditions[0].within",
                "roles[0].requirements[2].conditions[1].onOrAfter",
                "roles[0].requirements[3].conditions[0]",
                "roles[0].requirements[4].conditions[0].oneOf[0]",
            ],
            errors.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Contains("claim and date", errors["roles[0].requirements[0].conditions[0]"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_nested_in_anyOf_is_named_by_its_full_path()
    {
        var errors = Errors(json => ((JsonArray)Conditions(json, 0)[2]!["anyOf"]!)[1] = new JsonObject { ["date"] = new JsonArray("update_service_checked_on"), ["within"] = "P30D", ["of"] = "yesterday" });

        Assert.Equal(["roles[0].requirements[0].conditions[2].anyOf[1].of"], errors.Keys.ToArray());
    }

    [Fact]
    public void An_anyOf_with_a_single_alternative_is_refused()
    {
        var errors = Errors(json => Conditions(json, 1)[0] = new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["claim"] = new JsonArray("basis"), ["equals"] = "visa" }) });

        Assert.Equal(["roles[0].requirements[1].conditions[0].anyOf"], errors.Keys.ToArray());
    }

    [Fact]
    public void Claim_paths_are_refused_when_empty_or_naming_registered_claims()
    {
        var errors = Errors(json =>
        {
            Conditions(json, 3)[0] = new JsonObject { ["claim"] = new JsonArray(), ["equals"] = "NMC" };
            Conditions(json, 3)[1] = new JsonObject { ["date"] = new JsonArray("exp"), ["onOrAfter"] = "end" };
        });

        Assert.Equal(["roles[0].requirements[3].conditions[0].claim", "roles[0].requirements[3].conditions[1].date"], errors.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Contains("registered claim", errors["roles[0].requirements[3].conditions[1].date"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_requirement_ids_and_a_bad_vct_are_refused()
    {
        var errors = Errors(json =>
        {
            Requirement(json, 1)["id"] = "dbs";
            Requirement(json, 2)["vct"] = "training";
        });

        Assert.Equal(["roles[0].requirements[1].id", "roles[0].requirements[2].vct"], errors.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void The_agreement_terms_are_checked()
    {
        var errors = Errors(json =>
        {
            json["title"] = "";
            json["parties"] = new JsonArray("RHQ", "rhq-lower");
            json["startsOn"] = "2030-01-01";
            json["endsOn"] = "2029-01-01";
            json["maxDeploymentDays"] = 0;
            json.Remove("homeApprovalRequired");
            json["roles"] = new JsonArray();
        });

        Assert.Equal(["endsOn", "homeApprovalRequired", "maxDeploymentDays", "parties", "parties[1]", "roles", "title"], errors.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Contains(errors["parties"], m => m.Contains("RXH", StringComparison.Ordinal));
    }

    [Fact]
    public void The_recording_organisation_must_be_a_party()
    {
        var errors = Errors(_ => { }, own: "RYJ");

        Assert.Equal(["parties"], errors.Keys.ToArray());
    }
}
