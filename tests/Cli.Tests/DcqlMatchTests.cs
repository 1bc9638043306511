using System.Text.Json.Nodes;
using Passport.Cli.Wallet;

namespace Passport.Cli.Tests;

public sealed class DcqlMatchTests
{
    private static JsonObject Query(bool nameOptional) => new()
    {
        ["credentials"] = new JsonArray(
            new JsonObject { ["id"] = "dbs", ["format"] = "dc+sd-jwt", ["meta"] = new JsonObject { ["vct_values"] = new JsonArray("https://x.test/vct/dbs") } },
            new JsonObject { ["id"] = "person_name", ["format"] = "dc+sd-jwt", ["meta"] = new JsonObject { ["vct_values"] = new JsonArray("https://x.test/vct/identity") } }),
        ["credential_sets"] = new JsonArray(
            new JsonObject { ["options"] = new JsonArray(new JsonArray("dbs")) },
            new JsonObject { ["options"] = new JsonArray(new JsonArray("person_name")), ["required"] = !nameOptional }),
    };

    [Fact]
    public void A_query_only_an_optional_credential_set_names_is_not_reported_as_unanswered()
    {
        var (answers, unanswered) = DcqlMatch.Match(Query(nameOptional: true), [], DateTimeOffset.UtcNow);

        Assert.Empty(answers);
        Assert.Equal(["dbs"], unanswered);
    }

    [Fact]
    public void A_query_a_required_credential_set_names_is_reported_as_unanswered()
    {
        var (_, unanswered) = DcqlMatch.Match(Query(nameOptional: false), [], DateTimeOffset.UtcNow);

        Assert.Equal(["dbs", "person_name"], unanswered);
    }

    [Fact]
    public void A_claim_path_the_wallet_cannot_follow_is_refused_with_a_sentence()
    {
        var query = new JsonObject
        {
            ["credentials"] = new JsonArray(new JsonObject
            {
                ["id"] = "dbs", ["format"] = "dc+sd-jwt", ["meta"] = new JsonObject { ["vct_values"] = new JsonArray("https://x.test/vct/dbs") },
                ["claims"] = new JsonArray(new JsonObject { ["path"] = new JsonArray(new JsonObject { ["not"] = "a name" }) }),
            }),
        };

        var refused = Assert.Throws<Passport.Cli.Api.CommandFailedException>(() => DcqlMatch.Match(query, [], DateTimeOffset.UtcNow));

        Assert.Contains("DCQL claim query", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_at_a_path_are_shown_as_json_and_several_as_a_list()
    {
        var claims = new JsonObject { ["level"] = "enhanced", ["barred_lists"] = new JsonArray("adults", "children") };

        Assert.Equal("\"enhanced\"", DcqlMatch.Values(claims, new Passport.Credentials.SdJwt.ClaimPath(["level"])));
        Assert.Equal("[\"adults\", \"children\"]", DcqlMatch.Values(claims, new Passport.Credentials.SdJwt.ClaimPath(["barred_lists", null])));
    }
}
