using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;

namespace Passport.Credentials.Tests.SdJwt;

/// <summary>
/// The verifier reads the common presentation without the strict parsers' documents and applies the disclosures to the
/// payload itself. The input classes it now reads differently (escaped member names, duplicates through escapes, depth,
/// numbers, digests inside registered claims) are verified here as they always were.
/// </summary>
public sealed class InPlaceVerificationTests
{
    private readonly TestIssuer _t = new();

    private async Task<string> ResignAsync(Func<string, string> changePayloadText, Func<string, string>? changeHeaderText = null)
    {
        var (header, payload, list) = Forge.Open(await _t.IssueAsync());
        var jwt = await Forge.SignAsync((changeHeaderText ?? (h => h))(header.ToJsonString()), changePayloadText(payload.ToJsonString()), _t.IssuerKey);
        return await Forge.BindAsync(Forge.Join(jwt, list), _t.HolderKey);
    }

    private async Task<string> BindWithTextAsync(string sdJwt, Func<string, string> changeKbPayloadText)
    {
        var payload = new JsonObject { ["iat"] = _t.Time.GetUtcNow().ToUnixTimeSeconds(), ["aud"] = TestIssuer.Audience, ["nonce"] = TestIssuer.Nonce, ["sd_hash"] = SdJwtVcVerifier.SdHash(sdJwt) };
        return sdJwt + await Forge.SignAsync("""{"alg":"ES256","typ":"kb+jwt"}""", changeKbPayloadText(payload.ToJsonString()), _t.HolderKey);
    }

    private async Task AssertRefusedAsync(string presentation, string code)
    {
        var result = await _t.VerifyAsync(presentation);
        Assert.False(result.IsValid, "The presentation was accepted.");
        Assert.Equal(code, result.Error!.Code);
    }

    [Fact]
    public async Task Verify_reads_escaped_member_names_in_the_payload_and_the_kb_jwt_as_the_plain_names()
    {
        var plain = await _t.VerifyAsync(await _t.PresentAsync(await _t.IssueAsync()));
        var escaped = await ResignAsync(p => p.Replace("\"_sd\":", "\"_s\\u0064\":", StringComparison.Ordinal).Replace("\"iss\":", "\"i\\u0073s\":", StringComparison.Ordinal));
        var sdJwt = escaped[..(escaped.LastIndexOf('~') + 1)];
        var result = await _t.VerifyAsync(await BindWithTextAsync(sdJwt, p => p.Replace("\"nonce\":", "\"n\\u006fnce\":", StringComparison.Ordinal)));
        Assert.True(result.IsValid, result.Error?.ToString());
        // Another issuance, so other salts and another order of the disclosed claims: the same claims all the same.
        Assert.True(JsonNode.DeepEquals(plain.Credential!.Claims, result.Credential!.Claims), result.Credential.Claims.ToJsonString());
    }

    [Fact]
    public async Task Verify_rejects_a_payload_member_repeated_through_an_escape() =>
        await AssertRefusedAsync(await ResignAsync(p => p.Replace("\"iss\":", "\"i\\u0073s\":\"https://other.example\",\"iss\":", StringComparison.Ordinal)), ErrorCodes.DuplicateMember);

    [Fact]
    public async Task Verify_rejects_a_header_member_repeated_through_an_escape() =>
        await AssertRefusedAsync(await ResignAsync(p => p, h => h.Replace("\"kid\":", "\"al\\u0067\":\"none\",\"kid\":", StringComparison.Ordinal)), ErrorCodes.DuplicateMember);

    [Fact]
    public async Task Verify_rejects_a_kb_jwt_member_repeated_through_an_escape()
    {
        var sdJwt = (await _t.IssueAsync()).Serialized;
        await AssertRefusedAsync(await BindWithTextAsync(sdJwt, p => p.Replace("\"nonce\":", "\"nonc\\u0065\":\"other\",\"nonce\":", StringComparison.Ordinal)), ErrorCodes.DuplicateMember);
    }

    [Fact]
    public async Task Verify_rejects_a_kb_jwt_member_repeated_plainly()
    {
        var sdJwt = (await _t.IssueAsync()).Serialized;
        await AssertRefusedAsync(await BindWithTextAsync(sdJwt, p => p.Replace("\"nonce\":", "\"nonce\":\"other\",\"nonce\":", StringComparison.Ordinal)), ErrorCodes.DuplicateMember);
    }

    [Fact]
    public async Task Verify_rejects_a_payload_nested_deeper_than_the_limit() =>
        await AssertRefusedAsync(await ResignAsync(p => p[..^1] + ",\"deep\":" + new string('[', 32) + new string(']', 32) + "}"), ErrorCodes.MalformedJwt);

    [Fact]
    public async Task Verify_accepts_a_payload_nested_to_the_limit()
    {
        var result = await _t.VerifyAsync(await ResignAsync(p => p[..^1] + ",\"deep\":" + new string('[', 31) + new string(']', 31) + "}"));
        Assert.True(result.IsValid, result.Error?.ToString());
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("\"1795338000\"")]
    [InlineData("null")]
    public async Task Verify_rejects_an_exp_that_is_not_a_numeric_date(string exp) =>
        await AssertRefusedAsync(await ResignAsync(p => SetMember(p, "exp", exp)), ErrorCodes.InvalidClaim);

    [Theory]
    [InlineData("1.8e9")]
    [InlineData("1800000000.75")]
    [InlineData("12345678901234567890")]
    public async Task Verify_accepts_an_exp_written_with_a_fraction_an_exponent_or_beyond_a_long(string exp)
    {
        var result = await _t.VerifyAsync(await ResignAsync(p => SetMember(p, "exp", exp)));
        Assert.True(result.IsValid, result.Error?.ToString());
        Assert.Equal(exp.StartsWith("123", StringComparison.Ordinal) ? DateTimeOffset.FromUnixTimeSeconds(253402300799) : DateTimeOffset.FromUnixTimeSeconds(1800000000), result.Credential!.ExpiresAt);
    }

    [Fact]
    public async Task Verify_checks_cnf_as_signed_when_a_disclosure_inside_it_would_supply_the_jwk()
    {
        var jwk = Disclosure.Create("jwk", _t.HolderKey.PublicJwk.ToJson(includeKid: false));
        var (header, payload, list) = Forge.Open(await _t.IssueAsync());
        payload["cnf"] = new JsonObject { ["_sd"] = new JsonArray(jwk.Digest) };
        var jwt = await Forge.SignAsync(header, payload, _t.IssuerKey);
        await AssertRefusedAsync(await Forge.BindAsync(Forge.Join(jwt, [.. list, jwk.Encoded]), _t.HolderKey), ErrorCodes.InvalidConfirmationKey);
    }

    [Fact]
    public async Task Verify_checks_iat_as_signed_not_a_disclosed_claim_of_the_same_name()
    {
        var iat = Disclosure.Create("iat", JsonValue.Create(4102444800));
        var (header, payload, list) = Forge.Open(await _t.IssueAsync());
        payload.Remove("iat");
        payload["_sd"]!.AsArray().Add(iat.Digest);
        var jwt = await Forge.SignAsync(header, payload, _t.IssuerKey);
        var result = await _t.VerifyAsync(await Forge.BindAsync(Forge.Join(jwt, [.. list, iat.Encoded]), _t.HolderKey));
        Assert.True(result.IsValid, result.Error?.ToString());
        Assert.Null(result.Credential!.IssuedAt);
        Assert.Equal(4102444800, result.Credential.Claims["iat"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_walk_in_place_gives_the_claims_and_errors_of_the_copying_walk_and_leaves_nested_values_as_they_were()
    {
        var issued = await _t.IssueAsync();
        var random = new Random(14);
        var (_, payload, _) = Forge.Open(issued);
        for (var i = 0; i < 200; i++)
        {
            var byDigest = issued.Disclosures.Where(_ => random.Next(3) > 0).ToDictionary(d => d.Digest, StringComparer.Ordinal);
            var source = payload.DeepClone().AsObject();
            if (i % 10 == 9)
                source["_sd"]!.AsArray().Add(source["_sd"]![0]!.GetValue<string>());
            var copying = new DisclosureWalker(byDigest, recordPaths: false);
            var expected = copying.ProcessObject(source, topLevel: true);

            var target = payload.DeepClone().AsObject();
            if (i % 10 == 9)
                target["_sd"]!.AsArray().Add(target["_sd"]![0]!.GetValue<string>());
            var nested = target.Where(m => m.Value is JsonObject or JsonArray).Select(m => (Node: m.Value!, Text: m.Value!.ToJsonString())).ToList();
            var inPlace = new DisclosureWalker(byDigest, recordPaths: false);
            var actual = inPlace.ProcessInPlace(target);

            Assert.Equal(copying.Error?.Code, inPlace.Error?.Code);
            Assert.Equal(expected?.ToJsonString(), actual?.ToJsonString());
            Assert.Equal(copying.UsedCount, inPlace.UsedCount);
            Assert.All(nested, n => Assert.Equal(n.Text, n.Node.ToJsonString()));
        }
    }

    [Fact]
    public void A_key_imported_at_once_is_refused_exactly_when_the_managed_check_refuses_it()
    {
        var p = BigInteger.Parse("0ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        static byte[] Bytes(BigInteger v) => v.ToByteArray(isUnsigned: true, isBigEndian: true) is var b && b.Length < 32 ? [.. new byte[32 - b.Length], .. b] : v.ToByteArray(isUnsigned: true, isBigEndian: true);
        var cases = new List<(byte[] X, byte[] Y)>();
        for (var i = 0; i < 20; i++)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var q = key.ExportParameters(false).Q;
            var y = new BigInteger(q.Y, isUnsigned: true, isBigEndian: true);
            cases.Add((q.X!, q.Y!));
            cases.Add((q.X!, Bytes(p - y)));
            cases.Add((q.X!, Bytes(y + p) is { Length: 32 } reduced ? reduced : Bytes(p)));
            var flipped = (byte[])q.Y!.Clone();
            flipped[i % 32] ^= 0x40;
            cases.Add((q.X!, flipped));
            cases.Add((RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32)));
        }
        cases.Add((Bytes(p), Bytes(p)));
        cases.Add((Enumerable.Repeat((byte)0xff, 32).ToArray(), new byte[32]));
        cases.Add((new byte[32], new byte[32]));
        foreach (var (x, y) in cases)
        {
            var jwk = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64UrlStrict.Encode(x), ["y"] = Base64UrlStrict.Encode(y) };
            var managed = EcPublicJwk.TryParse(jwk, importNow: false, out _, out var managedError);
            var imported = EcPublicJwk.TryParse(jwk, importNow: true, out _, out var importError);
            Assert.Equal(managed, imported);
            Assert.Equal(managedError, importError);
        }
        Assert.Contains(cases, c => EcPublicJwk.TryParse(new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64UrlStrict.Encode(c.X), ["y"] = Base64UrlStrict.Encode(c.Y) }, out _, out _));
    }

    private static string SetMember(string json, string name, string value)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove(name);
        return node.ToJsonString()[..^1] + $",\"{name}\":{value}}}";
    }
}
