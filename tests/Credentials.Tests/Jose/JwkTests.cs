using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using Passport.Credentials.Jose;
using JsonWebKeySet = Passport.Credentials.Jose.JsonWebKeySet;

namespace Passport.Credentials.Tests.Jose;

public sealed class JwkTests
{
    [Fact]
    public void Thumbprint_matches_an_independent_RFC_7638_implementation()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ours = EcPublicJwk.FromECDsa(key);
        var theirs = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(key));

        Assert.Equal(Base64UrlEncoder.Encode(theirs.ComputeJwkThumbprint()), ours.Thumbprint());
    }

    [Fact]
    public void Thumbprint_ignores_kid_and_member_order()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jwk = EcPublicJwk.FromECDsa(key);
        var reordered = new JsonObject { ["y"] = jwk.Y, ["kid"] = "anything", ["x"] = jwk.X, ["crv"] = "P-256", ["kty"] = "EC" };

        Assert.True(EcPublicJwk.TryParse(reordered, out var parsed, out _));
        Assert.Equal(jwk.Thumbprint(), parsed.Thumbprint());
    }

    [Fact]
    public async Task A_jwk_round_trips_and_verifies_what_its_private_key_signed()
    {
        var signer = EcdsaJwsSigner.Generate("k1");
        Assert.True(EcPublicJwk.TryParse(JsonNode.Parse(signer.PublicJwk.ToJson().ToJsonString()), out var parsed, out _));
        var data = Encoding.ASCII.GetBytes("header.payload");
        var sig = await signer.SignAsync(signer.Reference, data, CancellationToken.None);

        Assert.Equal("k1", parsed.KeyId);
        Assert.True(parsed.VerifyEs256(data, sig.Value));
        Assert.False(parsed.VerifyEs256(data, sig.Value.AsSpan(0, 63)));
    }

    [Theory]
    [InlineData("{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}", "unsupported_key_type")]
    [InlineData("{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"AA\",\"y\":\"AA\"}", "unsupported_key_type")]
    [InlineData("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}", "invalid_jwk")]
    [InlineData("[1,2]", "invalid_jwk")]
    public void A_jwk_that_is_not_a_P256_public_key_is_refused(string json, string code)
    {
        Assert.False(EcPublicJwk.TryParse(JsonNode.Parse(json), out _, out var error));
        Assert.Equal(code, error);
    }

    [Fact]
    public void A_jwk_carrying_a_private_key_is_refused()
    {
        var json = EcdsaJwsSigner.Generate().PublicJwk.ToJson();
        json["d"] = "AAAA";
        Assert.False(EcPublicJwk.TryParse(json, out _, out var error));
        Assert.Equal("private_key_in_jwk", error);
    }

    [Fact]
    public void A_jwks_keeps_P256_keys_finds_them_by_kid_and_ignores_other_key_types()
    {
        var a = EcdsaJwsSigner.Generate("a").PublicJwk;
        var b = EcdsaJwsSigner.Generate("b").PublicJwk;
        var json = new JsonObject { ["keys"] = new JsonArray(a.ToJson(), new JsonObject { ["kty"] = "RSA", ["kid"] = "r", ["n"] = "AQAB", ["e"] = "AQAB" }, b.ToJson()) };

        Assert.True(JsonWebKeySet.TryParse(Encoding.UTF8.GetBytes(json.ToJsonString()), out var set));
        Assert.Equal(2, set.Keys.Count);
        Assert.True(set.Find("b")!.SameKeyAs(b));
        Assert.Null(set.Find("r"));
        Assert.Null(set.Find("B"));
    }

    [Fact]
    public void A_jwks_with_two_keys_under_one_kid_is_refused()
    {
        var a = EcdsaJwsSigner.Generate("same").PublicJwk;
        var b = EcdsaJwsSigner.Generate("same").PublicJwk;
        var json = new JsonObject { ["keys"] = new JsonArray(a.ToJson(), b.ToJson()) };

        Assert.False(JsonWebKeySet.TryParse(Encoding.UTF8.GetBytes(json.ToJsonString()), out _));
    }

    [Fact]
    public void The_on_curve_check_accepts_every_real_key_and_refuses_points_off_the_curve()
    {
        for (var i = 0; i < 50; i++)
        {
            var json = EcdsaJwsSigner.Generate().PublicJwk.ToJson();
            Assert.True(EcPublicJwk.TryParse(json, out _, out var error), error);
            Assert.True(Base64UrlStrict.TryDecode(json["x"]!.GetValue<string>(), out var x));
            x[^1] ^= 0x04;
            json["x"] = Base64UrlStrict.Encode(x);
            Assert.False(EcPublicJwk.TryParse(json, out _, out error));
            Assert.Equal("key_not_on_curve", error);
        }
    }

    [Fact]
    public void A_coordinate_not_reduced_modulo_p_is_refused()
    {
        var json = EcdsaJwsSigner.Generate().PublicJwk.ToJson();
        json["x"] = Base64UrlStrict.Encode(Enumerable.Repeat((byte)0xFF, 32).ToArray());
        Assert.False(EcPublicJwk.TryParse(json, out _, out var error));
        Assert.Equal("key_not_on_curve", error);
    }
}

