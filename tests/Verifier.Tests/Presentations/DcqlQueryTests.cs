using System.Text.Json.Nodes;
using Passport.Verifier.Presentations;
using Passport.Verifier.Tests.Agreements;

namespace Passport.Verifier.Tests.Presentations;

public sealed class DcqlQueryTests
{
    private static readonly JsonObject Query = DcqlQuery.For(SampleAgreement.Rules().FindRole(SampleAgreement.Role)!);

    private static JsonObject Credential(string id) => Query["credentials"]!.AsArray().Cast<JsonObject>().Single(c => (string)c["id"]! == id);

    private static string[] Paths(JsonObject credential) =>
        [.. credential["claims"]!.AsArray().Select(c => string.Join('.', c!["path"]!.AsArray().Select(s => s!.ToString())))];

    [Fact]
    public void One_credential_query_per_requirement_for_its_vct_in_sd_jwt_vc_format()
    {
        var credentials = Query["credentials"]!.AsArray().Cast<JsonObject>().Where(c => (string)c["id"]! != DcqlQuery.PersonQueryId).ToList();

        Assert.Equal(["dbs", "right_to_work", "fire_safety", "registration", "occupational_health"], credentials.Select(c => (string)c["id"]!).ToArray());
        Assert.All(credentials, c => Assert.Equal("dc+sd-jwt", (string)c["format"]!));
        Assert.Equal(SampleAgreement.Vct("dbs"), (string)Credential("dbs")["meta"]!["vct_values"]![0]!);
    }

    [Fact]
    public void The_persons_names_are_asked_for_from_the_identity_credential_and_only_optionally()
    {
        var person = Credential(DcqlQuery.PersonQueryId);

        Assert.Equal(SampleAgreement.Vct("identity"), (string)person["meta"]!["vct_values"]![0]!);
        Assert.Equal(["given_name", "family_name"], Paths(person));
        var sets = Query["credential_sets"]!.AsArray();
        Assert.Equal("[[\"dbs\",\"right_to_work\",\"fire_safety\",\"registration\",\"occupational_health\"]]", sets[0]!["options"]!.ToJsonString());
        Assert.Null(sets[0]!["required"]);
        Assert.Equal("[[\"person_name\"]]", sets[1]!["options"]!.ToJsonString());
        Assert.False((bool)sets[1]!["required"]!);
    }

    [Fact]
    public void Only_the_claims_the_rules_read_are_requested()
    {
        Assert.Equal(["level", "barred_list_adults", "barred_list_children", "issued_on", "update_service_checked_on"], Paths(Credential("dbs")));
        Assert.Equal(["clearance"], Paths(Credential("occupational_health")));
        Assert.DoesNotContain("immunisations", Query.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("certificate_number", Query.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Values_the_rules_fix_are_sent_so_the_wallet_picks_the_right_credential()
    {
        var fire = Credential("fire_safety")["claims"]!.AsArray();
        Assert.Equal("[\"fire_safety\"]", fire[0]!["values"]!.ToJsonString());
        Assert.Null(fire[1]!["values"]);
        Assert.Equal("[true]", Credential("dbs")["claims"]![1]!["values"]!.ToJsonString());
        Assert.Equal("[\"cleared\",\"cleared_with_adjustments\"]", Credential("occupational_health")["claims"]![0]!["values"]!.ToJsonString());
    }

    [Fact]
    public void Alternatives_become_claim_sets_preferring_all_claims()
    {
        Assert.Equal("[[\"c0\",\"c1\",\"c2\",\"c3\",\"c4\"],[\"c0\",\"c1\",\"c2\",\"c3\"],[\"c0\",\"c1\",\"c2\",\"c4\"]]", Credential("dbs")["claim_sets"]!.ToJsonString());
        Assert.Equal("[[\"c0\",\"c1\"],[\"c0\"],[\"c1\"]]", Credential("right_to_work")["claim_sets"]!.ToJsonString());
        Assert.Null(Credential("registration")["claim_sets"]);
    }
}
