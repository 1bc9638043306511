using System.Text.Json.Nodes;
using Passport.Credentials.Jose;

namespace Passport.Issuer.Offers;

/// <summary>A key proof that passed every check except the nonce, which is spent only when the whole request is good.</summary>
internal sealed record CheckedKeyProof(EcPublicJwk HolderKey, string Nonce);

/// <summary>
/// Checks a <c>jwt</c> key proof (OpenID4VCI 1.0 Appendix F.1) as an ordered list of small checks; the first failure is
/// the answer. Only ES256 with the holder's public key in the <c>jwk</c> header is accepted.
/// </summary>
internal static class KeyProof
{
    public const string Type = "openid4vci-proof+jwt";
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    /// <summary>A proof older than this cannot hold a live nonce anyway.</summary>
    public static readonly TimeSpan MaxAge = OfferSecrets.NonceLifetime + ClockSkew;

    public static bool TryCheck(string jwt, string credentialIssuer, DateTimeOffset now, out CheckedKeyProof proof, out string problem)
    {
        proof = null!;
        if (!CompactJws.TryParse(jwt, out var jws, out var error, "key proof"))
            return Fail(out problem, error!.Message);
        if (jws.Type != Type)
            return Fail(out problem, $"The key proof's typ must be '{Type}'.");
        if (jws.Algorithm != "ES256")
            return Fail(out problem, "The key proof must be signed with ES256.");
        foreach (var other in (string[])["kid", "x5c", "trust_chain", "key_attestation"])
        {
            if (jws.Header.ContainsKey(other))
                return Fail(out problem, $"Identify the holder key with the 'jwk' header only; '{other}' is not supported.");
        }
        if (!jws.Header.TryGetPropertyValue("jwk", out var jwkNode) || jwkNode is null)
            return Fail(out problem, "The key proof needs the holder's public key in the 'jwk' header.");
        if (!EcPublicJwk.TryParse(jwkNode, out var holderKey, out var jwkError))
        {
            return Fail(out problem, jwkError switch
            {
                "private_key_in_jwk" => "The 'jwk' header contains a private key; send only the public key.",
                "unsupported_key_type" => "The holder key must be an EC P-256 key.",
                _ => "The 'jwk' header is not a valid P-256 public key.",
            });
        }
        if (!jws.VerifyWith(holderKey))
            return Fail(out problem, "The key proof's signature does not verify with the key in its 'jwk' header.");
        if (!AudienceIs(jws.Payload, credentialIssuer))
            return Fail(out problem, $"The key proof's aud must be the credential issuer '{credentialIssuer}'.");
        if (!jws.Payload.TryGetPropertyValue("iat", out var iatNode) || iatNode is not JsonValue iatValue || !iatValue.TryGetValue<long>(out var iat))
            return Fail(out problem, "The key proof needs iat as a number of seconds.");
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(iat, 0, 253_402_300_799));
        if (issuedAt > now + ClockSkew)
            return Fail(out problem, "The key proof's iat is in the future; check the device clock.");
        if (issuedAt < now - MaxAge)
            return Fail(out problem, "The key proof is too old; make a new one with a fresh nonce.");
        if (!jws.Payload.TryGetPropertyValue("nonce", out var nonceNode) || nonceNode is not JsonValue nonceValue
            || !nonceValue.TryGetValue<string>(out var nonce) || nonce.Length == 0)
            return Fail(out problem, "The key proof needs the c_nonce from the nonce endpoint in its 'nonce' claim.");

        proof = new CheckedKeyProof(holderKey, nonce);
        problem = "";
        return true;
    }

    private static bool AudienceIs(JsonObject payload, string credentialIssuer) =>
        payload.TryGetPropertyValue("aud", out var aud) && aud switch
        {
            JsonValue v => v.TryGetValue<string>(out var s) && s == credentialIssuer,
            JsonArray a => a.Count > 0 && a.All(x => x is JsonValue xv && xv.TryGetValue<string>(out var s) && s == credentialIssuer),
            _ => false,
        };

    private static bool Fail(out string problem, string message)
    {
        problem = message;
        return false;
    }
}
