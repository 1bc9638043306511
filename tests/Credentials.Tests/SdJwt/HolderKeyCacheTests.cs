using System.Text.Json.Nodes;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;

namespace Passport.Credentials.Tests.SdJwt;

/// <summary>A holder-key cache shared by verifiers never accepts what a verifier without it refuses.</summary>
public sealed class HolderKeyCacheTests
{
    private readonly TestIssuer _t = new();

    private static PresentationPolicy Policy => PresentationPolicy.KeyBound(TestIssuer.Audience, TestIssuer.Nonce);

    private SdJwtVcVerifier Verifier(HolderKeyCache cache, IIssuerKeyResolver? resolver = null) => new(resolver ?? _t.Resolver(), _t.Time, holderKeys: cache);

    private static JsonObject Jwk(EcPublicJwk key, Action<JsonObject>? change = null)
    {
        var jwk = key.ToJson(includeKid: false);
        change?.Invoke(jwk);
        return jwk;
    }

    [Fact]
    public async Task Verifiers_that_share_a_cache_import_a_holder_key_once()
    {
        var cache = new HolderKeyCache(100);
        var presentation = await _t.PresentAsync(await _t.IssueAsync());

        var first = await Verifier(cache).VerifyAsync(presentation, Policy, CancellationToken.None);
        var second = await Verifier(cache).VerifyAsync(presentation, Policy, CancellationToken.None);

        Assert.True(first.IsValid, first.Error?.ToString());
        Assert.True(second.IsValid, second.Error?.ToString());
        Assert.Same(first.Credential!.HolderKey, second.Credential!.HolderKey);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task A_holder_key_no_cache_keeps_is_freed_after_the_verification_and_still_verifies_afterwards()
    {
        var presentation = await _t.PresentAsync(await _t.IssueAsync());

        var result = await Verifier(new HolderKeyCache(0)).VerifyAsync(presentation, Policy, CancellationToken.None);

        Assert.True(result.IsValid, result.Error?.ToString());
        var key = result.Credential!.HolderKey!;
        Assert.False(key.IsImported);
        var signature = (await _t.HolderKey.SignAsync(_t.HolderKey.Reference, "input"u8.ToArray(), CancellationToken.None)).Value;
        Assert.True(key.VerifyEs256("input"u8, signature));
    }

    [Fact]
    public async Task A_holder_key_the_cache_keeps_stays_imported_for_the_next_verification()
    {
        var cache = new HolderKeyCache(100);
        var presentation = await _t.PresentAsync(await _t.IssueAsync());

        var result = await Verifier(cache).VerifyAsync(presentation, Policy, CancellationToken.None);

        Assert.True(result.IsValid, result.Error?.ToString());
        Assert.True(result.Credential!.HolderKey!.IsImported);
    }

    [Theory]
    [InlineData("d", "private_key_in_jwk")]
    [InlineData("kty", "unsupported_key_type")]
    [InlineData("crv", "unsupported_key_type")]
    public void A_cached_key_is_not_taken_for_a_jwk_with_the_same_point_that_the_parser_refuses(string member, string code)
    {
        var cache = new HolderKeyCache(100);
        Assert.True(cache.TryGetOrParse(Jwk(_t.HolderKey.PublicJwk), out _, out _));

        var poisoned = Jwk(_t.HolderKey.PublicJwk, o => o[member] = member switch
        {
            "d" => Base64UrlStrict.Encode(new byte[32]),
            "kty" => "RSA",
            _ => "P-384",
        });

        Assert.False(cache.TryGetOrParse(poisoned, out _, out var error));
        Assert.Equal(code, error);
        Assert.False(EcPublicJwk.TryParse(poisoned, out _, out var uncached));
        Assert.Equal(uncached, error);
    }

    [Fact]
    public void A_point_off_the_curve_is_refused_every_time_and_never_kept()
    {
        var cache = new HolderKeyCache(100);
        var offCurve = Jwk(_t.HolderKey.PublicJwk, o => o["y"] = Base64UrlStrict.Encode(new byte[32]));

        Assert.False(cache.TryGetOrParse(offCurve, out _, out var first));
        Assert.False(cache.TryGetOrParse(offCurve, out _, out var second));

        Assert.Equal("key_not_on_curve", first);
        Assert.Equal("key_not_on_curve", second);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void A_cached_key_keeps_the_kid_of_the_jwk_presented_not_of_the_one_seen_first()
    {
        var cache = new HolderKeyCache(100);
        Assert.True(cache.TryGetOrParse(Jwk(_t.HolderKey.PublicJwk, o => o["kid"] = "first"), out _, out _));

        Assert.True(cache.TryGetOrParse(Jwk(_t.HolderKey.PublicJwk, o => o["kid"] = "second"), out var key, out _));
        Assert.True(cache.TryGetOrParse(Jwk(_t.HolderKey.PublicJwk), out var keyWithoutKid, out _));

        Assert.Equal("second", key.KeyId);
        Assert.Null(keyWithoutKid.KeyId);
    }

    [Fact]
    public void A_full_cache_is_emptied_and_keys_it_dropped_are_parsed_again()
    {
        var cache = new HolderKeyCache(2);
        var keys = Enumerable.Range(0, 5).Select(_ => EcdsaJwsSigner.Generate().PublicJwk).ToList();

        foreach (var k in keys)
            Assert.True(cache.TryGetOrParse(Jwk(k), out _, out _));

        Assert.InRange(cache.Count, 1, 2);
        foreach (var k in keys)
        {
            Assert.True(cache.TryGetOrParse(Jwk(k), out var again, out _));
            Assert.True(again.SameKeyAs(k));
        }
        Assert.InRange(cache.Count, 1, 2);
    }

    [Fact]
    public void A_cache_of_size_zero_keeps_nothing()
    {
        var cache = new HolderKeyCache(0);

        Assert.True(cache.TryGetOrParse(Jwk(_t.HolderKey.PublicJwk), out var first, out _));
        Assert.True(cache.TryGetOrParse(Jwk(_t.HolderKey.PublicJwk), out var second, out _));

        Assert.NotSame(first, second);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task A_holder_key_cached_for_a_trusted_issuer_does_not_make_another_issuers_credential_trusted()
    {
        var cache = new HolderKeyCache(100);
        Assert.True((await Verifier(cache).VerifyAsync(await _t.PresentAsync(await _t.IssueAsync()), Policy, CancellationToken.None)).IsValid);

        var nobodyTrusted = new StaticIssuerKeyResolver(new Dictionary<string, JsonWebKeySet>());
        var result = await Verifier(cache, nobodyTrusted).VerifyAsync(await _t.PresentAsync(await _t.IssueAsync()), Policy, CancellationToken.None);

        Assert.Equal(ErrorCodes.UntrustedIssuer, result.Error?.Code);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task A_credential_signed_by_another_key_is_refused_though_its_holder_key_is_cached()
    {
        var cache = new HolderKeyCache(100);
        Assert.True((await Verifier(cache).VerifyAsync(await _t.PresentAsync(await _t.IssueAsync()), Policy, CancellationToken.None)).IsValid);

        var (header, payload, disclosures) = Forge.Open(await _t.IssueAsync());
        var jwt = await Forge.SignAsync(header, payload, EcdsaJwsSigner.Generate(_t.IssuerKey.KeyId));
        var forged = await Forge.BindAsync(Forge.Join(jwt, disclosures), _t.HolderKey);
        var result = await Verifier(cache).VerifyAsync(forged, Policy, CancellationToken.None);

        Assert.Equal(ErrorCodes.InvalidSignature, result.Error?.Code);
    }

    [Fact]
    public async Task A_key_binding_jwt_signed_by_another_wallet_is_refused_though_the_bound_key_is_cached()
    {
        var cache = new HolderKeyCache(100);
        var issued = await _t.IssueAsync();
        Assert.True((await Verifier(cache).VerifyAsync(await _t.PresentAsync(issued), Policy, CancellationToken.None)).IsValid);

        var stolen = await Forge.BindAsync(Forge.Join(issued.IssuerJwt, issued.Disclosures.Select(d => d.Encoded)), EcdsaJwsSigner.Generate("thief"));
        var result = await Verifier(cache).VerifyAsync(stolen, Policy, CancellationToken.None);

        Assert.Equal(ErrorCodes.KeyBindingInvalidSignature, result.Error?.Code);
    }

    [Fact]
    public async Task Concurrent_verifications_of_many_holders_through_one_small_cache_all_verify_as_without_it()
    {
        var cache = new HolderKeyCache(3);
        var holders = Enumerable.Range(0, 12).Select(i => EcdsaJwsSigner.Generate($"holder-{i}")).ToList();
        var presentations = new List<(string Presentation, EcdsaJwsSigner Holder)>();
        foreach (var holder in holders)
        {
            var issued = await _t.IssueAsync(_t.Request() with { HolderKey = holder.PublicJwk });
            var sdJwt = Forge.Join(issued.IssuerJwt, issued.Disclosures.Select(d => d.Encoded));
            presentations.Add((await Forge.BindAsync(sdJwt, holder), holder));
            presentations.Add((await Forge.BindAsync(sdJwt, holders[(holders.IndexOf(holder) + 1) % holders.Count]), holder));
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(async () =>
        {
            var (presentation, holder) = presentations[i % presentations.Count];
            var result = await Verifier(cache).VerifyAsync(presentation, Policy, CancellationToken.None);
            return (Expected: i % 2 == 0, result, holder);
        })));

        foreach (var (expected, result, holder) in results)
        {
            Assert.Equal(expected, result.IsValid);
            if (expected)
                Assert.True(result.Credential!.HolderKey!.SameKeyAs(holder.PublicJwk));
            else
                Assert.Equal(ErrorCodes.KeyBindingInvalidSignature, result.Error?.Code);
        }
        Assert.InRange(cache.Count, 0, 3 + Environment.ProcessorCount);
    }
}
