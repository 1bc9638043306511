using System.Text.Json.Nodes;
using Passport.Credentials.SdJwt;

namespace Passport.Credentials.Tests.SdJwt;

public sealed class RoundTripTests
{
    [Fact]
    public async Task A_credential_issued_and_presented_with_every_disclosure_verifies()
    {
        var t = new TestIssuer();
        var issued = await t.IssueAsync();

        var result = await t.VerifyAsync(await t.PresentAsync(issued));

        Assert.True(result.IsValid, result.Error?.ToString());
        var c = result.Credential!;
        Assert.Equal("Amara", c.Claims["given_name"]!.GetValue<string>());
        Assert.Equal("1 Hospital Road", c.Claims["address"]!["street"]!.GetValue<string>());
        Assert.Equal(3, c.Claims["immunisations"]!.AsArray().Count);
        Assert.Equal(42, c.Status!.Index);
        Assert.True(c.KeyBound);
        Assert.True(c.HolderKey!.SameKeyAs(t.HolderKey.PublicJwk));
        Assert.False(c.Claims.ContainsKey("_sd"));
        Assert.False(c.Claims.ContainsKey("_sd_alg"));
    }

    [Fact]
    public async Task Only_the_selected_claims_are_revealed_with_their_parents()
    {
        var t = new TestIssuer();
        var issued = await t.IssueAsync();
        Assert.True(HeldCredential.TryParse(issued.Serialized, out var held, out _));

        var chosen = held.Select([ClaimPath.Of("address", "street"), ClaimPath.Of("immunisations", 1)]);
        var presentation = await held.PresentAsync(chosen, new KeyBindingRequest(TestIssuer.Audience, TestIssuer.Nonce, t.Time.GetUtcNow()), t.HolderKey, t.HolderKey.Reference, CancellationToken.None);
        var result = await t.VerifyAsync(presentation);

        Assert.True(result.IsValid, result.Error?.ToString());
        var claims = result.Credential!.Claims;
        Assert.Equal("1 Hospital Road", claims["address"]!["street"]!.GetValue<string>());
        Assert.Equal("SO16 6YD", claims["address"]!["postcode"]!.GetValue<string>());
        Assert.Equal(["mmr"], claims["immunisations"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.False(claims.ContainsKey("given_name"));
        Assert.Equal(3, chosen.Count);
    }

    [Fact]
    public async Task Issued_payload_hides_disclosable_claims_behind_sorted_digests()
    {
        var t = new TestIssuer();
        var issued = await t.IssueAsync(t.Request() with { Frame = DisclosureFrame.Parse(new JsonObject { ["_sd"] = new JsonArray("given_name", "family_name"), ["_sd_decoy"] = 3 }) });
        Assert.True(HeldCredential.TryParse(issued.Serialized, out var held, out _));

        var sd = held.Jwt.Payload["_sd"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Equal(5, sd.Count);
        Assert.Equal(sd.Order(StringComparer.Ordinal), sd);
        Assert.False(held.Jwt.Payload.ContainsKey("given_name"));
        Assert.Equal("sha-256", held.Jwt.Payload["_sd_alg"]!.GetValue<string>());
        Assert.Equal("dc+sd-jwt", held.Jwt.Type);
        Assert.Equal("issuer-key-1", held.Jwt.KeyId);
        Assert.All(issued.Disclosures, d => Assert.True(Passport.Credentials.Jose.Base64UrlStrict.TryDecode(d.Salt, out var salt) && salt.Length >= 16));
    }

    [Theory]
    [InlineData("{\"_sd\":[\"givenname\"]}")]
    [InlineData("{\"immunisations\":{\"_sd\":[7]}}")]
    [InlineData("{\"immunisations\":{\"_sd\":[\"first\"]}}")]
    [InlineData("{\"level\":{\"_sd\":[\"x\"]}}")]
    public async Task Issuing_refuses_a_frame_that_would_leave_a_claim_in_plain_view(string frame)
    {
        var t = new TestIssuer();
        var request = t.Request(frame: DisclosureFrame.Parse(JsonNode.Parse(frame)!.AsObject()));
        await Assert.ThrowsAsync<ArgumentException>(() => t.IssueAsync(request));
    }

    [Fact]
    public async Task Array_indexes_written_as_strings_in_a_frame_conceal_the_elements()
    {
        var t = new TestIssuer();
        var frame = DisclosureFrame.Parse(JsonNode.Parse("{\"immunisations\":{\"_sd\":[\"0\",\"2\"]}}")!.AsObject());
        var issued = await t.IssueAsync(t.Request(frame: frame));
        Assert.True(HeldCredential.TryParse(issued.Serialized, out var held, out _));

        Assert.Equal(2, issued.Disclosures.Count);
        Assert.Equal("mmr", held.Jwt.Payload["immunisations"]![1]!.GetValue<string>());
        Assert.NotNull(held.Jwt.Payload["immunisations"]![0]!["..."]);
        Assert.False(held.Claims.ContainsKey("_sd_alg"));
    }
}

