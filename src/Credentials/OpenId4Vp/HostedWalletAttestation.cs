using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;

namespace Passport.Credentials.OpenId4Vp;

/// <summary>How the person's consent to a hosted-wallet presentation was given.</summary>
public static class ConsentMethods
{
    /// <summary>The person signed in and confirmed the presentation themselves.</summary>
    public const string SignedIn = "signed_in";

    public const string InPerson = "in_person";
    public const string Phone = "phone";
    public const string Written = "written";

    /// <summary>The ways HR may record consent given to them.</summary>
    public static readonly IReadOnlySet<string> RecordedByHr = new HashSet<string>(StringComparer.Ordinal) { InPerson, Phone, Written };

    public static bool IsKnown(string? method) => method == SignedIn || (method is not null && RecordedByHr.Contains(method));
}

/// <summary>
/// A short JWT the home organisation signs with its issuer key, sent beside <c>vp_token</c> in the direct_post answer of its
/// hosted wallet: it says the presentation came from the home organisation's hosted wallet (the holder key in <c>cnf.jwk</c>)
/// for its member of staff <c>sub</c>, and how the person consented. It is bound to the request like a KB-JWT (<c>aud</c>
/// the verifier's client_id, <c>nonce</c> its nonce), so it cannot be moved to another request.
/// </summary>
public sealed record HostedWalletAttestation(
    string Issuer, string Subject, string Audience, string Nonce, DateTimeOffset IssuedAt, EcPublicJwk HolderKey,
    string ConsentMethod, DateTimeOffset ConsentGivenAt, string? ConsentRecordedBy)
{
    /// <summary>The direct_post parameter that carries it.</summary>
    public const string Parameter = "hosted_wallet_attestation";

    public const string Type = "hosted-wallet-attestation+jwt";

    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(60);

    public async ValueTask<string> SignAsync(IJwsSigner signer, SigningKeyReference key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var consent = new JsonObject { ["method"] = ConsentMethod, ["given_at"] = ConsentGivenAt.ToUnixTimeSeconds() };
        if (ConsentRecordedBy is not null)
            consent["recorded_by"] = ConsentRecordedBy;
        var payload = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = Subject,
            ["aud"] = Audience,
            ["nonce"] = Nonce,
            ["iat"] = IssuedAt.ToUnixTimeSeconds(),
            ["exp"] = (IssuedAt + Lifetime).ToUnixTimeSeconds(),
            ["cnf"] = new JsonObject { ["jwk"] = HolderKey.ToJson(includeKid: false) },
            ["consent"] = consent,
        };
        return await CompactJws.SignAsync(new JsonObject { ["typ"] = Type, ["kid"] = key.KeyId }, payload, signer, key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks, in order: a compact ES256 JWS of this type with a kid; an issuer the resolver trusts and its signature; the audience
    /// and nonce of this request; issued recently and not expired; a holder key, a subject and a consent it can read.
    /// </summary>
    public static async ValueTask<(HostedWalletAttestation? Attestation, CredentialError? Error)> VerifyAsync(
        string jwt, IIssuerKeyResolver keys, string audience, string nonce, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (string.IsNullOrEmpty(jwt) || jwt.Length > 8192)
            return Fail(ErrorCodes.TooLarge, "The hosted wallet attestation is empty or longer than 8192 characters.");
        if (!CompactJws.TryParse(jwt, out var jws, out var parseError))
            return Fail(ErrorCodes.MalformedJwt, $"The hosted wallet attestation is not a compact JWS ({parseError?.Code}).");
        if (jws.Algorithm != "ES256")
            return Fail(ErrorCodes.AlgorithmNotAllowed, "The hosted wallet attestation must be signed with ES256.");
        if (jws.Type != Type)
            return Fail(ErrorCodes.InvalidType, $"The hosted wallet attestation's typ must be {Type}.");
        if (jws.KeyId is not { Length: > 0 } kid)
            return Fail(ErrorCodes.MissingKeyId, "The hosted wallet attestation names no kid.");
        var payload = jws.Payload;
        if (payload.GetString("iss") is not { Length: > 0 } issuer)
            return Fail(ErrorCodes.MissingIssuer, "The hosted wallet attestation names no issuer.");
        var resolved = await keys.ResolveAsync(issuer, kid, cancellationToken).ConfigureAwait(false);
        if (resolved.Key is not { } key)
            return (null, resolved.Error);
        if (!jws.VerifyWith(key))
            return Fail(ErrorCodes.InvalidSignature, "The hosted wallet attestation's signature does not verify with its issuer's key.");
        if (payload.GetString("aud") != audience)
            return Fail(ErrorCodes.AudienceMismatch, "The hosted wallet attestation is for another verifier.");
        if (payload.GetString("nonce") is not { } n || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(n), Encoding.UTF8.GetBytes(nonce)))
            return Fail(ErrorCodes.NonceMismatch, "The hosted wallet attestation is bound to another request's nonce.");
        if (!payload.TryGetNumericDate("iat", out var iat, out _) || !payload.TryGetNumericDate("exp", out var exp, out _))
            return Fail(ErrorCodes.MissingClaim, "The hosted wallet attestation has no iat or exp.");
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(iat, 0, 253402300799));
        if (issuedAt > now + Skew)
            return Fail(ErrorCodes.IssuedInFuture, "The hosted wallet attestation is issued in the future.");
        if (DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(exp, 0, 253402300799)) <= now - Skew || issuedAt < now - Lifetime - Skew)
            return Fail(ErrorCodes.Expired, "The hosted wallet attestation has expired.");
        if (payload["cnf"] is not JsonObject cnf || !EcPublicJwk.TryParse(cnf["jwk"], out var holder, out _))
            return Fail(ErrorCodes.InvalidConfirmationKey, "The hosted wallet attestation names no holder key (cnf.jwk).");
        if (payload.GetString("sub") is not { Length: > 0 and <= 100 } subject)
            return Fail(ErrorCodes.MissingClaim, "The hosted wallet attestation names no member of staff (sub).");
        if (payload["consent"] is not JsonObject consent || consent.GetString("method") is not { } method || !ConsentMethods.IsKnown(method)
            || !consent.TryGetNumericDate("given_at", out var givenAt, out _))
            return Fail(ErrorCodes.InvalidClaim, "The hosted wallet attestation does not say how the person consented.");
        var recordedBy = consent.GetString("recorded_by");
        if (recordedBy is { Length: > 200 } || (method != ConsentMethods.SignedIn && string.IsNullOrWhiteSpace(recordedBy)))
            return Fail(ErrorCodes.InvalidClaim, "Consent given to HR names who recorded it.");
        return (new HostedWalletAttestation(issuer, subject, audience, nonce, issuedAt, holder, method,
            DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(givenAt, 0, 253402300799)), recordedBy), null);
    }

    private static (HostedWalletAttestation?, CredentialError?) Fail(string code, string message) => (null, CredentialError.Of(code, message));
}
