using System.Text;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;
using Passport.Verifier.Trust;

namespace Passport.Verifier.Tests.Trust;

public sealed class ClaimedStatusEntriesTests
{
    private const string List = "https://issuer.example/status/1";

    private static string Jwt(string payload) =>
        $"{Base64UrlStrict.Encode(Encoding.UTF8.GetBytes("{\"alg\":\"ES256\"}"))}.{Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(payload))}.c2ln~ZGlzYw~";

    [Fact]
    public void The_claimed_entry_is_read_from_the_issuer_jwt_alone()
    {
        Assert.True(ClaimedStatusEntries.TryRead(Jwt($"{{\"iss\":\"x\",\"status\":{{\"status_list\":{{\"idx\":42,\"uri\":\"{List}\"}}}}}}"), out var entry));
        Assert.Equal((List, 42L), entry);
    }

    [Theory]
    [InlineData("not a jwt")]
    [InlineData("a.b")]
    [InlineData("a.!!!.c~")]
    public void Something_that_is_not_a_jwt_claims_no_entry(string presentation) =>
        Assert.False(ClaimedStatusEntries.TryRead(presentation, out _));

    [Theory]
    [InlineData("{\"iss\":\"x\"}")]
    [InlineData("[1]")]
    [InlineData("{\"status\":{\"status_list\":{\"idx\":-1,\"uri\":\"u\"}}}")]
    [InlineData("{\"status\":{\"status_list\":{\"idx\":\"1\",\"uri\":\"u\"}}}")]
    [InlineData("{\"status\":{\"status_list\":{\"idx\":1,\"uri\":\"\"}}}")]
    [InlineData("{\"status\":{\"status_list\":{\"idx\":1}}")]
    [InlineData("{\"status\":{\"status_list\":{\"idx\":1,\"uri\":\"https://a\\u0000b\"}}}")]
    [InlineData("{\"status\":{\"status_list\":{\"idx\":1,\"uri\":\"https://a\\ud800b\"}}}")]
    [InlineData("{\"status\":{\"status_list\":{\"idx\":1,\"uri\":\"https://a b\"}}}")]
    public void A_payload_without_a_well_formed_status_list_entry_claims_none(string payload) =>
        Assert.False(ClaimedStatusEntries.TryRead(Jwt(payload), out _));

    [Fact]
    public void A_notice_read_for_the_cross_product_of_lists_and_indexes_counts_only_for_its_own_list_and_index()
    {
        // Claimed (list 1, 5) and (list 2, 7): the read asks for lists {1, 2} and indexes {5, 7}, so it also finds (1, 7) and (2, 5).
        const string other = "https://issuer.example/status/2";
        StatusNotice.NoticeRow[] rows = [new("RHQ", List, 7, 1), new("RHQ", other, 5, 2)];

        var found = StatusNotice.Match(rows, new OneIssuer(), [("issuer:RHQ", List, 5), ("issuer:RHQ", other, 7)]);

        Assert.Empty(found);
        Assert.Equal(1, StatusNotice.Match(rows, new OneIssuer(), [("issuer:RHQ", List, 7)])[("issuer:RHQ", List, 7)]);
    }

    private sealed class OneIssuer : ITrustedIssuers
    {
        public string? IssuerIdFor(string odsCode) => $"issuer:{odsCode}";

        public IIssuerKeyResolver ForParties(IEnumerable<string> odsCodes) => new StaticIssuerKeyResolver(new Dictionary<string, JsonWebKeySet>());
    }
}
