using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;

namespace Passport.Credentials.Tests.SdJwt;

/// <summary>Every hostile or malformed presentation is refused with its own stable code.</summary>
public sealed class HostileInputTests
{
    private readonly TestIssuer _t = new();

    private async Task<string> ReissueAsync(Action<JsonObject, JsonObject> change, Func<List<string>, IEnumerable<string>>? disclosures = null, EcdsaJwsSigner? signer = null)
    {
        var (header, payload, list) = Forge.Open(await _t.IssueAsync());
        change(header, payload);
        var jwt = await Forge.SignAsync(header, payload, signer ?? _t.IssuerKey);
        return await Forge.BindAsync(Forge.Join(jwt, disclosures?.Invoke(list) ?? list, ""), _t.HolderKey);
    }

    private async Task AssertRefusedAsync(string presentation, string code, PresentationPolicy? policy = null)
    {
        var result = await _t.VerifyAsync(presentation, policy);
        Assert.False(result.IsValid, "The presentation was accepted.");
        Assert.Equal(code, result.Error!.Code);
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Message));
    }

    // ---- Algorithms and signatures -----------------------------------------------------------

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    [InlineData("nOnE")]
    public async Task Verify_rejects_an_unsigned_credential_whatever_the_case_of_none(string alg)
    {
        var (header, payload, list) = Forge.Open(await _t.IssueAsync());
        header["alg"] = alg;
        var jwt = Forge.B64(header) + "." + Forge.B64(payload) + ".";
        await AssertRefusedAsync(await Forge.BindAsync(Forge.Join(jwt, list), _t.HolderKey), ErrorCodes.AlgorithmNotAllowed);
    }

    [Fact]
    public async Task Verify_rejects_HS256_signed_with_the_public_key_as_secret()
    {
        var (header, payload, list) = Forge.Open(await _t.IssueAsync());
        header["alg"] = "HS256";
        var input = Forge.B64(header) + "." + Forge.B64(payload);
        var secret = Encoding.UTF8.GetBytes(_t.IssuerKey.PublicJwk.ToJson().ToJsonString());
        var mac = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input));
        var jwt = input + "." + Base64UrlStrict.Encode(mac);
        await AssertRefusedAsync(await Forge.BindAsync(Forge.Join(jwt, list), _t.HolderKey), ErrorCodes.AlgorithmNotAllowed);
    }

    [Theory]
    [InlineData("ES384")]
    [InlineData("ES512")]
    [InlineData("RS256")]
    [InlineData("PS256")]
    [InlineData("EdDSA")]
    public async Task Verify_rejects_an_algorithm_that_does_not_match_the_P256_key(string alg) =>
        await AssertRefusedAsync(await ReissueAsync((h, _) => h["alg"] = alg), ErrorCodes.AlgorithmNotAllowed);

    [Fact]
    public async Task Verify_rejects_an_all_zero_signature()
    {
        var (header, payload, list) = Forge.Open(await _t.IssueAsync());
        var jwt = Forge.B64(header) + "." + Forge.B64(payload) + "." + Base64UrlStrict.Encode(new byte[64]);
        await AssertRefusedAsync(await Forge.BindAsync(Forge.Join(jwt, list), _t.HolderKey), ErrorCodes.InvalidSignature);
    }

    [Fact]
    public async Task Verify_rejects_a_signature_whose_integers_are_out_of_range()
    {
        var (header, payload, list) = Forge.Open(await _t.IssueAsync());
        var ff = Enumerable.Repeat((byte)0xFF, 64).ToArray(); // r, s >= n
        var jwt = Forge.B64(header) + "." + Forge.B64(payload) + "." + Base64UrlStrict.Encode(ff);
        await AssertRefusedAsync(await Forge.BindAsync(Forge.Join(jwt, list), _t.HolderKey), ErrorCodes.InvalidSignature);
    }

    [Fact]
    public async Task Verify_rejects_a_DER_encoded_signature_even_when_it_is_mathematically_valid()
    {
        var issued = await _t.IssueAsync();
        var parts = issued.IssuerJwt.Split('.');
        Assert.True(Base64UrlStrict.TryDecode(parts[2], out var raw));
        var jwt = parts[0] + "." + parts[1] + "." + Base64UrlStrict.Encode(Forge.Der(raw));
        await AssertRefusedAsync(await Forge.BindAsync(Forge.Join(jwt, issued.Disclosures.Select(d => d.Encoded)), _t.HolderKey), ErrorCodes.MalformedSignature);
    }

    [Fact]
    public async Task Verify_rejects_a_credential_with_a_flipped_bit_in_the_header()
    {
        var issued = await _t.IssueAsync();
        var parts = issued.IssuerJwt.Split('.');
        // "dc+sd-jwt" -> "Dc+sd-jwt": still an accepted typ (media types ignore case), but no longer what was signed.
        var header = Forge.B64(Encoding.UTF8.GetString(Base64UrlStrict.TryDecode(parts[0], out var h) ? h : []).Replace("\"dc+sd-jwt\"", "\"Dc+sd-jwt\"", StringComparison.Ordinal));
        var jwt = header + "." + parts[1] + "." + parts[2];
        await AssertRefusedAsync(await Forge.BindAsync(Forge.Join(jwt, issued.Disclosures.Select(d => d.Encoded)), _t.HolderKey), ErrorCodes.InvalidSignature);
    }

    [Fact]
    public async Task Verify_rejects_a_credential_with_a_flipped_bit_in_the_payload()
    {
        var issued = await _t.IssueAsync();
        var parts = issued.IssuerJwt.Split('.');
        Assert.True(Base64UrlStrict.TryDecode(parts[1], out var p));
        var changed = Encoding.UTF8.GetString(p).Replace("vct/training", "vct/Training", StringComparison.Ordinal);
        var jwt = parts[0] + "." + Forge.B64(changed) + "." + parts[2];
        await AssertRefusedAsync(await Forge.BindAsync(Forge.Join(jwt, issued.Disclosures.Select(d => d.Encoded)), _t.HolderKey), ErrorCodes.InvalidSignature);
    }

    [Fact]
    public async Task Verify_rejects_a_credential_with_a_flipped_bit_in_the_signature()
    {
        var issued = await _t.IssueAsync();
        var parts = issued.IssuerJwt.Split('.');
        Assert.True(Base64UrlStrict.TryDecode(parts[2], out var sig));
        sig[10] ^= 0x01;
        var jwt = parts[0] + "." + parts[1] + "." + Base64UrlStrict.Encode(sig);
        await AssertRefusedAsync(await Forge.BindAsync(Forge.Join(jwt, issued.Disclosures.Select(d => d.Encoded)), _t.HolderKey), ErrorCodes.InvalidSignature);
    }

    [Fact]
    public async Task Verify_rejects_a_flipped_bit_in_a_disclosure()
    {
        var issued = await _t.IssueAsync();
        var list = issued.Disclosures.Select(d => d.Encoded).ToList();
        list[0] = Forge.B64(Encoding.UTF8.GetString(Base64UrlStrict.TryDecode(list[0], out var d) ? d : []).Replace("\"given_name\"", "\"Given_name\"", StringComparison.Ordinal));
        await AssertRefusedAsync(await Forge.BindAsync(Forge.Join(issued.IssuerJwt, list), _t.HolderKey), ErrorCodes.UnreferencedDisclosure);
    }

    [Fact]
    public async Task Verify_rejects_a_flipped_bit_in_the_key_binding_jwt()
    {
        var presentation = await _t.PresentAsync(await _t.IssueAsync());
        var kb = presentation[(presentation.LastIndexOf('~') + 1)..];
        var parts = kb.Split('.');
        Assert.True(Base64UrlStrict.TryDecode(parts[2], out var sig));
        sig[40] ^= 0x80;
        var tampered = presentation[..(presentation.LastIndexOf('~') + 1)] + parts[0] + "." + parts[1] + "." + Base64UrlStrict.Encode(sig);
        await AssertRefusedAsync(tampered, ErrorCodes.KeyBindingInvalidSignature);
    }

    // ---- Header and key resolution -------------------------------------------------------------

    [Theory]
    [InlineData("jwk")]
    [InlineData("jku")]
    [InlineData("x5u")]
    public async Task Verify_rejects_a_header_that_carries_its_own_key_or_key_location(string name) =>
        await AssertRefusedAsync(
            await ReissueAsync((h, _) => h[name] = name == "jwk" ? _t.IssuerKey.PublicJwk.ToJson() : "https://attacker.example/keys"),
            ErrorCodes.ForbiddenHeader);

    [Fact]
    public async Task Verify_rejects_a_credential_that_carries_a_certificate_chain() =>
        await AssertRefusedAsync(await ReissueAsync((h, _) => h["x5c"] = new JsonArray("MIIBszCCAVmgAwIBAgIU")), ErrorCodes.ForbiddenHeader);

    [Fact]
    public async Task Verify_rejects_a_credential_with_a_compressed_payload_header() =>
        await AssertRefusedAsync(await ReissueAsync((h, _) => h["zip"] = "DEF"), ErrorCodes.ForbiddenHeader);

    [Fact]
    public async Task Verify_rejects_an_unknown_critical_header_extension() =>
        await AssertRefusedAsync(await ReissueAsync((h, _) => { h["crit"] = new JsonArray("urn:example:unknown"); h["urn:example:unknown"] = true; }), ErrorCodes.UnsupportedCritical);

    [Fact]
    public async Task Verify_rejects_a_credential_without_a_kid() =>
        await AssertRefusedAsync(await ReissueAsync((h, _) => h.Remove("kid")), ErrorCodes.MissingKeyId);

    [Fact]
    public async Task Verify_rejects_an_unknown_kid() =>
        await AssertRefusedAsync(await ReissueAsync((h, _) => h["kid"] = "retired-or-invented"), ErrorCodes.UnknownKeyId);

    [Fact]
    public async Task Verify_rejects_a_credential_without_an_issuer() =>
        await AssertRefusedAsync(await ReissueAsync((_, p) => p.Remove("iss")), ErrorCodes.MissingIssuer);

    [Fact]
    public async Task Verify_rejects_an_issuer_that_is_not_trusted() =>
        await AssertRefusedAsync(await ReissueAsync((_, p) => p["iss"] = "https://rogue.example/issuers/XYZ"), ErrorCodes.UntrustedIssuer);

    [Fact]
    public async Task Verify_rejects_issuer_substitution_where_one_trusted_issuer_claims_to_be_another()
    {
        // Trust two issuers whose key ids coincide; a credential signed by A but naming B must fail on B's key.
        var other = EcdsaJwsSigner.Generate("issuer-key-1");
        var resolver = new StaticIssuerKeyResolver(new Dictionary<string, JsonWebKeySet>
        {
            [TestIssuer.IssuerId] = new([_t.IssuerKey.PublicJwk]),
            ["https://passport.example.nhs.uk/issuers/RXH"] = new([other.PublicJwk]),
        });
        var forged = await ReissueAsync((_, p) => p["iss"] = "https://passport.example.nhs.uk/issuers/RXH");
        var result = await _t.Verifier(resolver).VerifyAsync(forged, PresentationPolicy.KeyBound(TestIssuer.Audience, TestIssuer.Nonce), CancellationToken.None);
        Assert.Equal(ErrorCodes.InvalidSignature, result.Error?.Code);
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("kb+jwt")]
    [InlineData("statuslist+jwt")]
    [InlineData("vc+sd-jwt")]
    [InlineData("openid4vci-proof+jwt")]
    [InlineData("")]
    [InlineData(null)]
    public async Task Verify_rejects_every_wrong_typ_for_the_credential(string? typ) =>
        await AssertRefusedAsync(await ReissueAsync((h, _) => { if (typ is null) h.Remove("typ"); else h["typ"] = typ; }), ErrorCodes.InvalidType);

    [Theory]
    [InlineData("JWT")]
    [InlineData("dc+sd-jwt")]
    [InlineData("statuslist+jwt")]
    public async Task Verify_rejects_every_wrong_typ_for_the_key_binding_jwt(string typ)
    {
        var issued = await _t.IssueAsync();
        var presentation = await Forge.BindAsync(issued.Serialized, _t.HolderKey, typ: typ);
        await AssertRefusedAsync(presentation, ErrorCodes.InvalidType);
    }

    // ---- Structure and size ----------------------------------------------------------------------

    [Fact]
    public async Task Verify_rejects_duplicate_member_names_in_the_header()
    {
        var (_, payload, list) = Forge.Open(await _t.IssueAsync());
        var jwt = await Forge.SignAsync("{\"alg\":\"ES256\",\"typ\":\"dc+sd-jwt\",\"kid\":\"issuer-key-1\",\"kid\":\"other\"}", payload.ToJsonString(), _t.IssuerKey);
        await AssertRefusedAsync(await Forge.BindAsync(Forge.Join(jwt, list), _t.HolderKey), ErrorCodes.DuplicateMember);
    }

    [Fact]
    public async Task Verify_rejects_duplicate_member_names_in_the_payload()
    {
        var (header, payload, list) = Forge.Open(await _t.IssueAsync());
        var json = payload.ToJsonString();
        json = json[..^1] + ",\"iss\":\"https://rogue.example\"}";
        var jwt = await Forge.SignAsync(header.ToJsonString(), json, _t.IssuerKey);
        await AssertRefusedAsync(await Forge.BindAsync(Forge.Join(jwt, list), _t.HolderKey), ErrorCodes.DuplicateMember);
    }

    [Fact]
    public async Task Verify_rejects_duplicate_member_names_inside_a_disclosed_value()
    {
        var disclosure = Forge.B64("[\"c2FsdHNhbHRzYWx0c2FsdA\",\"address\",{\"street\":\"1 Road\",\"street\":\"2 Road\"}]");
        var presentation = await ReissueAsync((_, p) => p["_sd"]!.AsArray().Add(Disclosure.ComputeDigest(disclosure)), l => [.. l, disclosure]);
        await AssertRefusedAsync(presentation, ErrorCodes.DuplicateMember);
    }

    [Fact]
    public async Task Verify_rejects_the_JWS_JSON_serialization()
    {
        var issued = await _t.IssueAsync();
        var parts = issued.IssuerJwt.Split('.');
        var json = new JsonObject { ["protected"] = parts[0], ["payload"] = parts[1], ["signature"] = parts[2] }.ToJsonString();
        await AssertRefusedAsync(await Forge.BindAsync(Forge.Join(json, issued.Disclosures.Select(d => d.Encoded)), _t.HolderKey), ErrorCodes.JsonSerializationNotSupported);
    }

    [Fact]
    public async Task Verify_rejects_an_encrypted_JWT()
    {
        var jwe = Forge.B64("{\"alg\":\"ECDH-ES\",\"enc\":\"A256GCM\",\"typ\":\"dc+sd-jwt\"}") + ".." + Forge.B64("iv") + "." + Forge.B64("ciphertext") + "." + Forge.B64("tag");
        await AssertRefusedAsync(jwe + "~", ErrorCodes.JweNotSupported);
    }

    [Fact]
    public async Task Verify_rejects_an_oversized_presentation_before_decoding_it() =>
        await AssertRefusedAsync(new string('A', SdJwtLimits.Default.MaxTotalLength + 1) + "~", ErrorCodes.TooLarge);

    [Fact]
    public async Task Verify_rejects_an_oversized_disclosure()
    {
        var issued = await _t.IssueAsync();
        var huge = Forge.B64("[\"salt\",\"note\",\"" + new string('x', SdJwtLimits.Default.MaxPartLength) + "\"]");
        await AssertRefusedAsync(Forge.Join(issued.IssuerJwt, [huge]), ErrorCodes.TooLarge, PresentationPolicy.WithoutKeyBinding);
    }

    [Fact]
    public async Task Verify_rejects_too_many_disclosures()
    {
        var issued = await _t.IssueAsync();
        var many = Enumerable.Range(0, SdJwtLimits.Default.MaxDisclosures + 1).Select(i => Forge.B64($"[\"s{i}\",\"c{i}\",1]"));
        await AssertRefusedAsync(Forge.Join(issued.IssuerJwt, many), ErrorCodes.TooLarge, PresentationPolicy.WithoutKeyBinding);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-tilde-at-all")]
    [InlineData("a.b.c~~")]
    public async Task Verify_rejects_text_that_is_not_an_SD_JWT(string text) =>
        await AssertRefusedAsync(text, ErrorCodes.MalformedSdJwt, PresentationPolicy.WithoutKeyBinding);

    [Fact]
    public async Task Verify_rejects_a_padded_base64url_header()
    {
        var issued = await _t.IssueAsync();
        var parts = issued.IssuerJwt.Split('.');
        var padded = parts[0] + new string('=', (4 - (parts[0].Length % 4)) % 4 is 0 ? 4 : (4 - (parts[0].Length % 4)));
        await AssertRefusedAsync(padded + "." + parts[1] + "." + parts[2] + "~", ErrorCodes.MalformedJwt, PresentationPolicy.WithoutKeyBinding);
    }

    // ---- Validity --------------------------------------------------------------------------------

    [Fact]
    public async Task Verify_rejects_an_expired_credential()
    {
        var presentation = await _t.PresentAsync(await _t.IssueAsync(_t.Request() with { ExpiresAt = _t.Time.GetUtcNow().AddMinutes(10) }));
        _t.Time.Advance(TimeSpan.FromMinutes(12));
        await AssertRefusedAsync(presentation, ErrorCodes.Expired, PresentationPolicy.WithoutKeyBinding);
    }

    [Fact]
    public async Task Verify_accepts_a_credential_expired_within_the_clock_skew()
    {
        var issued = await _t.IssueAsync(_t.Request() with { ExpiresAt = _t.Time.GetUtcNow().AddMinutes(10) });
        _t.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(30));
        var presentation = await _t.PresentAsync(issued);
        Assert.True((await _t.VerifyAsync(presentation)).IsValid);
    }

    [Fact]
    public async Task Verify_rejects_a_credential_that_is_not_yet_valid() =>
        await AssertRefusedAsync(await _t.PresentAsync(await _t.IssueAsync(_t.Request() with { NotBefore = _t.Time.GetUtcNow().AddDays(2) })), ErrorCodes.NotYetValid);

    [Fact]
    public async Task Verify_rejects_a_credential_issued_in_the_future() =>
        await AssertRefusedAsync(await ReissueAsync((_, p) => p["iat"] = _t.Time.GetUtcNow().AddHours(1).ToUnixTimeSeconds()), ErrorCodes.IssuedInFuture);

    [Fact]
    public async Task Verify_rejects_a_credential_without_exp() =>
        await AssertRefusedAsync(await ReissueAsync((_, p) => p.Remove("exp")), ErrorCodes.MissingClaim);

    [Theory]
    [InlineData("exp")]
    [InlineData("nbf")]
    [InlineData("iss")]
    [InlineData("cnf")]
    [InlineData("vct")]
    [InlineData("status")]
    public async Task Verify_rejects_registered_claims_hidden_in_disclosures(string name)
    {
        var disclosure = Disclosure.Create(name, name is "cnf" or "status" ? new JsonObject { ["x"] = 1 } : JsonValue.Create(4102444800));
        var presentation = await ReissueAsync(
            (_, p) => { if (name is not ("iss" or "vct" or "exp")) p.Remove(name); p["_sd"]!.AsArray().Add(disclosure.Digest); },
            l => [.. l, disclosure.Encoded]);
        await AssertRefusedAsync(presentation, ErrorCodes.NonDisclosableClaim);
    }

    // ---- Disclosures ------------------------------------------------------------------------------

    [Fact]
    public async Task Verify_rejects_an_appended_disclosure_that_the_issuer_never_signed()
    {
        var issued = await _t.IssueAsync();
        var extra = Disclosure.Create("role", "Chief Executive");
        await AssertRefusedAsync(await Forge.BindAsync(Forge.Join(issued.IssuerJwt, [.. issued.Disclosures.Select(d => d.Encoded), extra.Encoded]), _t.HolderKey), ErrorCodes.UnreferencedDisclosure);
    }

    [Fact]
    public async Task Verify_rejects_a_disclosure_sent_twice()
    {
        var issued = await _t.IssueAsync();
        var list = issued.Disclosures.Select(d => d.Encoded).ToList();
        await AssertRefusedAsync(await Forge.BindAsync(Forge.Join(issued.IssuerJwt, [.. list, list[0]]), _t.HolderKey), ErrorCodes.DuplicateDisclosure);
    }

    [Fact]
    public async Task Verify_rejects_a_digest_that_appears_twice_in_the_credential() =>
        await AssertRefusedAsync(await ReissueAsync((_, p) => p["_sd"]!.AsArray().Add(p["_sd"]![0]!.GetValue<string>())), ErrorCodes.DuplicateDigest);

    [Theory]
    [InlineData("not base64url!")]
    [InlineData("e30")] // {}
    [InlineData("WyJvbmx5LXNhbHQiXQ")] // ["only-salt"]
    [InlineData("WyJzIiwibiIsMSwiZXh0cmEiXQ")] // ["s","n",1,"extra"]
    [InlineData("WzEsIm5hbWUiLCJ2YWx1ZSJd")] // [1,"name","value"]
    [InlineData("WyJzIiwxLCJ2YWx1ZSJd")] // ["s",1,"value"]
    [InlineData("WyJzIiwibiIsMQ")] // truncated JSON
    public async Task Verify_rejects_a_malformed_disclosure(string disclosure)
    {
        var issued = await _t.IssueAsync();
        await AssertRefusedAsync(Forge.Join(issued.IssuerJwt, [disclosure]), ErrorCodes.MalformedDisclosure, PresentationPolicy.WithoutKeyBinding);
    }

    [Fact]
    public async Task Verify_rejects_a_disclosed_claim_that_collides_with_a_plain_one()
    {
        var disclosure = Disclosure.Create("provider", "Somebody else");
        var presentation = await ReissueAsync((_, p) => { p["provider"] = "Plain"; p["_sd"]!.AsArray().Add(disclosure.Digest); }, l => [.. l.Where(x => !x.Equals(l[6], StringComparison.Ordinal)), disclosure.Encoded]);
        await AssertRefusedAsync(presentation, ErrorCodes.ClaimNameCollision);
    }

    [Theory]
    [InlineData("_sd")]
    [InlineData("...")]
    public async Task Verify_rejects_a_disclosure_that_uses_a_reserved_name(string name)
    {
        var encoded = Forge.B64(new JsonArray("c2FsdHNhbHRzYWx0c2FsdA", name, "x"));
        var presentation = await ReissueAsync((_, p) => p["_sd"]!.AsArray().Add(Disclosure.ComputeDigest(encoded)), l => [.. l, encoded]);
        await AssertRefusedAsync(presentation, ErrorCodes.ReservedClaimName);
    }

    [Fact]
    public async Task Verify_rejects_an_array_element_disclosure_referenced_as_an_object_member()
    {
        var element = Disclosure.Create(null, "smuggled");
        var presentation = await ReissueAsync((_, p) => p["_sd"]!.AsArray().Add(element.Digest), l => [.. l, element.Encoded]);
        await AssertRefusedAsync(presentation, ErrorCodes.DisclosureKindMismatch);
    }

    [Fact]
    public async Task Verify_rejects_an_object_member_disclosure_referenced_as_an_array_element()
    {
        var member = Disclosure.Create("smuggled", "value");
        var presentation = await ReissueAsync((_, p) => p["immunisations"]!.AsArray().Add(new JsonObject { ["..."] = member.Digest }), l => [.. l, member.Encoded]);
        await AssertRefusedAsync(presentation, ErrorCodes.DisclosureKindMismatch);
    }

    [Theory]
    [InlineData("sha-512")]
    [InlineData("md5")]
    [InlineData("SHA-256")]
    public async Task Verify_rejects_an_unknown_sd_alg(string alg) =>
        await AssertRefusedAsync(await ReissueAsync((_, p) => p["_sd_alg"] = alg), ErrorCodes.UnsupportedSdAlg);

    // ---- Holder key and key binding ---------------------------------------------------------------

    [Fact]
    public async Task Verify_rejects_a_presentation_whose_key_binding_was_stripped_when_it_is_required()
    {
        var issued = await _t.IssueAsync();
        await AssertRefusedAsync(issued.Serialized, ErrorCodes.KeyBindingRequired);
    }

    [Fact]
    public async Task Verify_accepts_a_presentation_without_key_binding_only_when_the_caller_says_so()
    {
        var issued = await _t.IssueAsync();
        Assert.True((await _t.VerifyAsync(issued.Serialized, PresentationPolicy.WithoutKeyBinding)).IsValid);
    }

    [Fact]
    public async Task Verify_rejects_a_key_binding_jwt_signed_by_another_key()
    {
        var issued = await _t.IssueAsync();
        await AssertRefusedAsync(await Forge.BindAsync(issued.Serialized, EcdsaJwsSigner.Generate("thief")), ErrorCodes.KeyBindingInvalidSignature);
    }

    [Fact]
    public async Task Verify_rejects_a_wrong_nonce() =>
        await AssertRefusedAsync(await _t.PresentAsync(await _t.IssueAsync(), nonce: "replayed-nonce-from-yesterday"), ErrorCodes.NonceMismatch);

    [Fact]
    public async Task Verify_rejects_a_presentation_made_for_another_verifier() =>
        await AssertRefusedAsync(await _t.PresentAsync(await _t.IssueAsync(), audience: "https://other-verifier.example"), ErrorCodes.AudienceMismatch);

    [Fact]
    public async Task Verify_rejects_an_aud_array_even_when_it_contains_this_verifier()
    {
        var issued = await _t.IssueAsync();
        var kb = new JsonObject
        {
            ["iat"] = _t.Time.GetUtcNow().ToUnixTimeSeconds(),
            ["aud"] = new JsonArray(TestIssuer.Audience, "https://other.example"),
            ["nonce"] = TestIssuer.Nonce,
            ["sd_hash"] = SdJwtVcVerifier.SdHash(issued.Serialized),
        };
        await AssertRefusedAsync(await Forge.BindAsync(issued.Serialized, _t.HolderKey, kb), ErrorCodes.AudienceMismatch);
    }

    [Fact]
    public async Task Verify_rejects_a_stale_key_binding_jwt() =>
        await AssertRefusedAsync(await _t.PresentAsync(await _t.IssueAsync(), iat: _t.Time.GetUtcNow().AddMinutes(-30)), ErrorCodes.KeyBindingStale);

    [Fact]
    public async Task Verify_rejects_a_key_binding_jwt_from_the_future() =>
        await AssertRefusedAsync(await _t.PresentAsync(await _t.IssueAsync(), iat: _t.Time.GetUtcNow().AddMinutes(10)), ErrorCodes.KeyBindingFuture);

    [Fact]
    public async Task Verify_rejects_a_presentation_whose_disclosures_changed_after_key_binding()
    {
        var presentation = await _t.PresentAsync(await _t.IssueAsync());
        // Drop one disclosure: everything left is genuine, but sd_hash covered the original set.
        var parts = presentation.Split('~');
        var shorter = string.Join('~', parts.Where((_, i) => i != 1));
        await AssertRefusedAsync(shorter, ErrorCodes.SdHashMismatch);
    }

    [Fact]
    public async Task Verify_rejects_a_holder_key_that_is_not_on_the_curve()
    {
        var offCurve = _t.HolderKey.PublicJwk.ToJson(includeKid: false);
        Assert.True(Base64UrlStrict.TryDecode(offCurve["y"]!.GetValue<string>(), out var y));
        y[31] ^= 0x01;
        offCurve["y"] = Base64UrlStrict.Encode(y);
        await AssertRefusedAsync(await ReissueAsync((_, p) => p["cnf"] = new JsonObject { ["jwk"] = offCurve }), ErrorCodes.InvalidConfirmationKey);
    }

    [Fact]
    public async Task Verify_rejects_a_key_binding_jwt_when_the_credential_binds_no_holder_key()
    {
        var presentation = await ReissueAsync((_, p) => p.Remove("cnf"));
        await AssertRefusedAsync(presentation, ErrorCodes.InvalidConfirmationKey);
    }

    [Fact]
    public async Task Verify_rejects_a_malformed_status_reference() =>
        await AssertRefusedAsync(await ReissueAsync((_, p) => p["status"] = new JsonObject { ["status_list"] = new JsonObject { ["idx"] = -1, ["uri"] = "x" } }), ErrorCodes.InvalidClaim);

    [Theory]
    [InlineData("AB")]
    [InlineData("e31")]
    public async Task Verify_rejects_a_signature_with_non_canonical_base64url(string signature)
    {
        var issued = await _t.IssueAsync();
        var parts = issued.IssuerJwt.Split('.');
        await AssertRefusedAsync(parts[0] + "." + parts[1] + "." + signature + "~", ErrorCodes.MalformedSignature, PresentationPolicy.WithoutKeyBinding);
    }
}
