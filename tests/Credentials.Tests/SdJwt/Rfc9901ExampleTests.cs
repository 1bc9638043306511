using System.Text.Json.Nodes;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;

namespace Passport.Credentials.Tests.SdJwt;

/// <summary>The worked example of RFC 9901 §5.1: its disclosures, their digests and the claims they reconstruct.</summary>
public sealed class Rfc9901ExampleTests
{
    // (disclosure exactly as printed in the RFC, its SHA-256 digest as printed, claim name or null, value)
    public static TheoryData<string, string, string?, string> Disclosures => new()
    {
        { "WyIyR0xDNDJzS1F2ZUNmR2ZyeU5STjl3IiwgImdpdmVuX25hbWUiLCAiSm9obiJd", "jsu9yVulwQQlhFlM_3JlzMaSFzglhQG0DpfayQwLUK4", "given_name", "\"John\"" },
        { "WyJlbHVWNU9nM2dTTklJOEVZbnN4QV9BIiwgImZhbWlseV9uYW1lIiwgIkRvZSJd", "TGf4oLbgwd5JQaHyKVQZU9UdGE0w5rtDsrZzfUaomLo", "family_name", "\"Doe\"" },
        { "WyI2SWo3dE0tYTVpVlBHYm9TNXRtdlZBIiwgImVtYWlsIiwgImpvaG5kb2VAZXhhbXBsZS5jb20iXQ", "JzYjH4svliH0R3PyEMfeZu6Jt69u5qehZo7F7EPYlSE", "email", "\"johndoe@example.com\"" },
        { "WyJlSThaV205UW5LUHBOUGVOZW5IZGhRIiwgInBob25lX251bWJlciIsICIrMS0yMDItNTU1LTAxMDEiXQ", "PorFbpKuVu6xymJagvkFsFXAbRoc2JGlAUA2BA4o7cI", "phone_number", "\"+1-202-555-0101\"" },
        { "WyJRZ19PNjR6cUF4ZTQxMmExMDhpcm9BIiwgInBob25lX251bWJlcl92ZXJpZmllZCIsIHRydWVd", "XQ_3kPKt1XyX7KANkqVR6yZ2Va5NrPIvPYbyMvRKBMM", "phone_number_verified", "true" },
        { "WyJBSngtMDk1VlBycFR0TjRRTU9xUk9BIiwgImFkZHJlc3MiLCB7InN0cmVldF9hZGRyZXNzIjogIjEyMyBNYWluIFN0IiwgImxvY2FsaXR5IjogIkFueXRvd24iLCAicmVnaW9uIjogIkFueXN0YXRlIiwgImNvdW50cnkiOiAiVVMifV0", "XzFrzwscM6Gn6CJDc6vVK8BkMnfG8vOSKfpPIZdAfdE", "address", "{\"street_address\":\"123 Main St\",\"locality\":\"Anytown\",\"region\":\"Anystate\",\"country\":\"US\"}" },
        { "WyJQYzMzSk0yTGNoY1VfbEhnZ3ZfdWZRIiwgImJpcnRoZGF0ZSIsICIxOTQwLTAxLTAxIl0", "gbOsI4Edq2x2Kw-w5wPEzakob9hV1cRD0ATN3oQL9JM", "birthdate", "\"1940-01-01\"" },
        { "WyJHMDJOU3JRZmpGWFE3SW8wOXN5YWpBIiwgInVwZGF0ZWRfYXQiLCAxNTcwMDAwMDAwXQ", "CrQe7S5kqBAHt-nMYXgc6bdt2SH5aTY1sU_M-PgkjPI", "updated_at", "1570000000" },
        { "WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgIlVTIl0", "pFndjkZ_VCzmyTa6UjlZo3dh-ko8aIKQc9DlGzhaVYo", null, "\"US\"" },
        { "WyJuUHVvUW5rUkZxM0JJZUFtN0FuWEZBIiwgIkRFIl0", "7Cf6JkPudry3lcbwHgeZ8khAv1U1OSlerP0VkBJrWZ0", null, "\"DE\"" },
    };

    [Theory]
    [MemberData(nameof(Disclosures))]
    public void Each_disclosure_of_the_worked_example_hashes_to_the_printed_digest(string encoded, string digest, string? name, string valueJson)
    {
        Assert.Equal(digest, Disclosure.ComputeDigest(encoded));
        Assert.True(Disclosure.TryParse(encoded, out var disclosure, out var error), error?.ToString());
        Assert.Equal(digest, disclosure.Digest);
        Assert.Equal(name, disclosure.Name);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(valueJson), disclosure.Value));
    }

    [Fact]
    public void The_worked_example_payload_with_all_disclosures_reconstructs_the_original_claims()
    {
        var rows = Disclosures.Select(r => ((string)r[0], (string)r[1], (string?)r[2])).ToList();
        var payload = new JsonObject
        {
            ["_sd"] = new JsonArray([.. rows.Where(r => r.Item3 is not null).Select(r => (JsonNode)r.Item2).OrderBy(n => n!.GetValue<string>(), StringComparer.Ordinal)]),
            ["iss"] = "https://issuer.example.com",
            ["iat"] = 1683000000,
            ["exp"] = 1883000000,
            ["sub"] = "user_42",
            ["nationalities"] = new JsonArray(
                new JsonObject { ["..."] = "pFndjkZ_VCzmyTa6UjlZo3dh-ko8aIKQc9DlGzhaVYo" },
                new JsonObject { ["..."] = "7Cf6JkPudry3lcbwHgeZ8khAv1U1OSlerP0VkBJrWZ0" }),
            ["_sd_alg"] = "sha-256",
        };
        var jwt = Forge.B64("{\"alg\":\"ES256\",\"typ\":\"example+sd-jwt\"}") + "." + Forge.B64(payload) + "." + Base64UrlStrict.Encode(new byte[64]);

        Assert.True(HeldCredential.TryParse(Forge.Join(jwt, rows.Select(r => r.Item1)), out var held, out var error), error?.ToString());

        Assert.Equal("John", held.Claims["given_name"]!.GetValue<string>());
        Assert.Equal("Anytown", held.Claims["address"]!["locality"]!.GetValue<string>());
        Assert.Equal(["US", "DE"], held.Claims["nationalities"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.True(held.Claims["phone_number_verified"]!.GetValue<bool>());
        Assert.False(held.Claims.ContainsKey("_sd"));
        Assert.Equal(["nationalities", 1], held.PathOf(held.Disclosures.Single(d => d.Digest == "7Cf6JkPudry3lcbwHgeZ8khAv1U1OSlerP0VkBJrWZ0")));
    }

    [Fact]
    public void Disclosures_we_create_round_trip_and_hash_over_their_own_encoding()
    {
        var created = Disclosure.Create("2GLC42sKQveCfGfryNRN9w", "given_name", "John");
        Assert.True(Disclosure.TryParse(created.Encoded, out var parsed, out _));
        Assert.Equal(created.Digest, parsed.Digest);
        Assert.Equal("John", parsed.Value!.GetValue<string>());
        // Our serialisation is compact, the RFC's has spaces: different strings, so different digests, both valid.
        Assert.NotEqual("jsu9yVulwQQlhFlM_3JlzMaSFzglhQG0DpfayQwLUK4", created.Digest);
    }
}
