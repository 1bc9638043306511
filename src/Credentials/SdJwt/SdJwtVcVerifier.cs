using System.Text.Json.Nodes;
using Passport.Credentials.Jose;

namespace Passport.Credentials.SdJwt;

/// <summary>
/// Verifies an SD-JWT VC presentation as an ordered list of small checks (RFC 9901 §7, SD-JWT VC §4).
/// The first failure is returned as one typed error; nothing is trusted before the signature is.
/// </summary>
/// <param name="holderKeys">
/// Holder keys kept between verifications. Give one cache to every verifier of a process so that a holder's key is imported
/// once, not once per verifier; without it, the verifier keeps its own of <see cref="SdJwtVcVerifierOptions.HolderKeyCacheSize"/>.
/// </param>
public sealed class SdJwtVcVerifier(IIssuerKeyResolver keys, TimeProvider time, SdJwtVcVerifierOptions? options = null, HolderKeyCache? holderKeys = null)
{
    private delegate CredentialError? Check(State s);

    private static readonly Check[] BeforeKeyLookup =
    [
        SplitParts,
        ParseIssuerJwt,
        IssuerJwtAlgorithmIsEs256,
        IssuerJwtTypeIsAccepted,
        IssuerJwtHasNoForbiddenHeaders,
        IssuerJwtNamesItsKey,
        IssuerIsNamed,
    ];

    private static readonly Check[] AfterKeyLookup =
    [
        IssuerSignatureIsValid,
        SdAlgIsSha256,
        DisclosuresAreWellFormedAndUnique,
        DisclosuresResolveExactlyOnce,
        NotExpired,
        AlreadyValid,
        NotIssuedInTheFuture,
        VctIsPresent,
        ConfirmationKeyIsValid,
        StatusReferenceIsValid,
        KeyBindingPresentWhenRequired,
        ParseKeyBindingJwt,
        KeyBindingAlgorithmIsEs256,
        KeyBindingTypeIsKbJwt,
        KeyBindingHasNoForbiddenHeaders,
        KeyBindingSignedByHolderKey,
        KeyBindingIsFresh,
        KeyBindingAudienceMatches,
        KeyBindingNonceMatches,
        KeyBindingSdHashMatches,
    ];

    private readonly SdJwtVcVerifierOptions _options = options ?? new SdJwtVcVerifierOptions();
    private readonly HolderKeyCache _holderKeys = holderKeys ?? new HolderKeyCache((options ?? new SdJwtVcVerifierOptions()).HolderKeyCacheSize);

    public async ValueTask<CredentialVerification> VerifyAsync(string presentation, PresentationPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.RequireKeyBinding && (policy.Audience is null || policy.Nonce is null))
            throw new ArgumentException("A policy that requires key binding must name the audience and the nonce.", nameof(policy));

        var s = new State(presentation ?? "", policy, _options, time.GetUtcNow(), _holderKeys);
        foreach (var check in BeforeKeyLookup)
        {
            if (check(s) is { } error)
                return CredentialVerification.Invalid(error);
        }
        var resolved = await keys.ResolveAsync(s.Issuer, s.KeyId, cancellationToken).ConfigureAwait(false);
        if (resolved.Key is null)
            return CredentialVerification.Invalid(resolved.Error ?? IssuerKeyResult.UnknownKey(s.Issuer, s.KeyId).Error!);
        s.IssuerKey = resolved.Key;
        try
        {
            foreach (var check in AfterKeyLookup)
            {
                if (check(s) is { } error)
                    return CredentialVerification.Invalid(error);
            }
        }
        finally
        {
            // A holder key that no cache kept is this verification's alone: its import is freed now, not by the finalizer.
            if (s.HolderKey is not null && !s.HolderKeyKept)
                s.HolderKey.ReleaseVerifier();
        }
        return CredentialVerification.Valid(new VerifiedCredential
        {
            Issuer = s.Issuer,
            Vct = s.Vct,
            KeyId = s.KeyId,
            Claims = s.Claims,
            IssuedAt = s.IssuedAt,
            ExpiresAt = s.ExpiresAt,
            NotBefore = s.NotBefore,
            HolderKey = s.HolderKey,
            Status = s.Status,
            KeyBound = s.KeyBinding is not null,
            Disclosures = s.Disclosures,
        });
    }

    private sealed class State(string presentation, PresentationPolicy policy, SdJwtVcVerifierOptions options, DateTimeOffset now, HolderKeyCache holderKeys)
    {
        public HolderKeyCache HolderKeys { get; } = holderKeys;
        public string Presentation { get; } = presentation;
        public PresentationPolicy Policy { get; } = policy;
        public SdJwtVcVerifierOptions Options { get; } = options;
        public DateTimeOffset Now { get; } = now;
        public SdJwtParts Parts { get; set; } = null!;
        public CompactJws Jwt { get; set; } = null!;
        public string Issuer { get; set; } = "";
        public string KeyId { get; set; } = "";
        public EcPublicJwk IssuerKey { get; set; } = null!;
        public List<Disclosure> Disclosures { get; } = [];
        public Dictionary<string, Disclosure> ByDigest { get; } = new(StringComparer.Ordinal);
        public JsonObject Claims { get; set; } = [];
        public string Vct { get; set; } = "";
        public DateTimeOffset? IssuedAt { get; set; }
        public DateTimeOffset? ExpiresAt { get; set; }
        public DateTimeOffset? NotBefore { get; set; }
        public EcPublicJwk? HolderKey { get; set; }
        public bool HolderKeyKept { get; set; }
        public StatusReference? Status { get; set; }
        public CompactJws? KeyBinding { get; set; }
        public RegisteredClaims Registered { get; set; } = null!;
    }

    // ---- Issuer-signed JWT -------------------------------------------------------------------

    private static CredentialError? SplitParts(State s)
    {
        if (!SdJwtParts.TryParse(s.Presentation, s.Options.Limits, out var parts, out var error))
            return error;
        s.Parts = parts;
        return null;
    }

    private static CredentialError? ParseIssuerJwt(State s)
    {
        // Read where it lies in the presentation when it is of the common kind; otherwise parsed strictly, which names any flaw.
        if (!CompactJws.TryReadInPlace(s.Parts.Text, s.Parts.IssuerJwtLength, flatPayload: false, out var jws)
            && !CompactJws.TryParse(s.Parts.IssuerJwt, out jws, out var error, "credential JWT"))
            return error;
        s.Jwt = jws;
        return null;
    }

    private static CredentialError? IssuerJwtAlgorithmIsEs256(State s) => JwsHeaderChecks.AlgorithmIsEs256(s.Jwt, "credential");

    private static CredentialError? IssuerJwtTypeIsAccepted(State s) =>
        s.Jwt.Type is { } typ && s.Options.AcceptedTypes.Contains(typ)
            ? null
            : CredentialError.Of(ErrorCodes.InvalidType, $"The credential's typ is '{s.Jwt.Type}'; an SD-JWT VC has typ '{SdJwtVcIssuer.MediaType}'.");

    private static CredentialError? IssuerJwtHasNoForbiddenHeaders(State s) => JwsHeaderChecks.NoForbiddenHeaders(s.Jwt, "credential");

    private static CredentialError? IssuerJwtNamesItsKey(State s)
    {
        if (string.IsNullOrEmpty(s.Jwt.KeyId))
            return CredentialError.Of(ErrorCodes.MissingKeyId, "The credential's header has no kid, so its issuer key cannot be found.");
        s.KeyId = s.Jwt.KeyId;
        return null;
    }

    private static CredentialError? IssuerIsNamed(State s)
    {
        if (s.Jwt.Payload.GetString("iss") is not { Length: > 0 } iss)
            return CredentialError.Of(ErrorCodes.MissingIssuer, "The credential has no iss claim.");
        s.Issuer = iss;
        return null;
    }

    private static CredentialError? IssuerSignatureIsValid(State s)
    {
        if (s.Jwt.Signature.Length != 64)
            return CredentialError.Of(ErrorCodes.MalformedSignature, $"An ES256 signature is 64 bytes (R||S); this one is {s.Jwt.Signature.Length}.");
        return s.Jwt.VerifyWith(s.IssuerKey)
            ? null
            : CredentialError.Of(ErrorCodes.InvalidSignature, "The credential's signature does not verify with the issuer's key.");
    }

    private static CredentialError? SdAlgIsSha256(State s)
    {
        // RFC 9901 §4.1.1: absent means sha-256.
        if (!s.Jwt.Payload.TryGetPropertyValue("_sd_alg", out var alg))
            return null;
        return alg is JsonValue v && v.TryGetValue<string>(out var name) && name == "sha-256"
            ? null
            : CredentialError.Of(ErrorCodes.UnsupportedSdAlg, "Only _sd_alg 'sha-256' is supported.");
    }

    // ---- Disclosures (RFC 9901 §7.1 steps 3-5) ------------------------------------------------

    private static CredentialError? DisclosuresAreWellFormedAndUnique(State s)
    {
        foreach (var (start, length) in s.Parts.DisclosureRanges)
        {
            if (!Disclosure.TryParse(s.Parts.Text, start, length, out var disclosure, out var error))
                return error;
            if (!s.ByDigest.TryAdd(disclosure.Digest, disclosure))
                return CredentialError.Of(ErrorCodes.DuplicateDisclosure, "The same disclosure is sent more than once.");
            s.Disclosures.Add(disclosure);
        }
        return null;
    }

    private static CredentialError? DisclosuresResolveExactlyOnce(State s)
    {
        s.Registered = RegisteredClaims.Of(s.Jwt.Payload);
        // The payload was made for this verification alone, so the disclosures are applied to it rather than to a copy.
        var walker = new DisclosureWalker(s.ByDigest, recordPaths: false);
        if (walker.ProcessInPlace(s.Jwt.Payload) is not { } claims)
            return walker.Error;
        if (walker.UsedCount != s.ByDigest.Count)
            return CredentialError.Of(ErrorCodes.UnreferencedDisclosure, "A disclosure is not referenced by any digest in the credential.");
        claims.Remove("_sd_alg");
        s.Claims = claims;
        return null;
    }

    // ---- Validity and registered claims ------------------------------------------------------

    private static CredentialError? NotExpired(State s)
    {
        if (!s.Registered.Exp.TryGetNumericDate(out var exp))
        {
            if (s.Registered.Exp.Present)
                return CredentialError.Of(ErrorCodes.InvalidClaim, "exp must be a NumericDate.");
            return s.Options.RequireExpiry ? CredentialError.Of(ErrorCodes.MissingClaim, "The credential has no exp claim.") : null;
        }
        s.ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(exp, 0, 253402300799));
        // The skew is taken from now: added to an exp at the end of representable time (year 9999) it would overflow.
        return s.ExpiresAt.Value <= s.Now - s.Options.ClockSkew
            ? CredentialError.Of(ErrorCodes.Expired, $"The credential expired at {s.ExpiresAt:u}.")
            : null;
    }

    private static CredentialError? AlreadyValid(State s)
    {
        if (!s.Registered.Nbf.TryGetNumericDate(out var nbf))
            return s.Registered.Nbf.Present ? CredentialError.Of(ErrorCodes.InvalidClaim, "nbf must be a NumericDate.") : null;
        s.NotBefore = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(nbf, 0, 253402300799));
        return s.NotBefore.Value - s.Options.ClockSkew > s.Now
            ? CredentialError.Of(ErrorCodes.NotYetValid, $"The credential is not valid before {s.NotBefore:u}.")
            : null;
    }

    private static CredentialError? NotIssuedInTheFuture(State s)
    {
        if (!s.Registered.Iat.TryGetNumericDate(out var iat))
            return s.Registered.Iat.Present ? CredentialError.Of(ErrorCodes.InvalidClaim, "iat must be a NumericDate.") : null;
        s.IssuedAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(iat, 0, 253402300799));
        return s.IssuedAt.Value - s.Options.ClockSkew > s.Now
            ? CredentialError.Of(ErrorCodes.IssuedInFuture, $"The credential claims to be issued at {s.IssuedAt:u}, in the future.")
            : null;
    }

    private static CredentialError? VctIsPresent(State s)
    {
        if (s.Registered.Vct.String is not { Length: > 0 } vct)
            return CredentialError.Of(ErrorCodes.MissingClaim, "The credential has no vct claim.");
        s.Vct = vct;
        return null;
    }

    private static CredentialError? ConfirmationKeyIsValid(State s)
    {
        if (s.Registered.Cnf is not (true, var cnf))
            return null;
        if (cnf is not JsonObject o || !o.TryGetPropertyValue("jwk", out var jwk))
            return CredentialError.Of(ErrorCodes.InvalidConfirmationKey, "cnf must hold the holder's public key as a jwk.");
        // With a KB-JWT to check, the key is used at once: imported now, so that the import's own validation is the only one.
        if (!s.HolderKeys.TryGetOrParse(jwk, s.Parts.KeyBindingJwt is not null, out var key, out var code, out var kept))
            return CredentialError.Of(ErrorCodes.InvalidConfirmationKey, $"The holder key in cnf is not a usable P-256 public key ({code}).");
        s.HolderKey = key;
        s.HolderKeyKept = kept;
        return null;
    }

    private static CredentialError? StatusReferenceIsValid(State s)
    {
        if (s.Registered.Status is not (true, var status))
            return null;
        if (status is JsonObject o && o["status_list"] is JsonObject list
            && list["idx"] is JsonValue idx && idx.TryGetValue<long>(out var index) && index >= 0
            && list.GetString("uri") is { Length: > 0 } uri)
        {
            s.Status = new StatusReference(index, uri);
            return null;
        }
        return CredentialError.Of(ErrorCodes.InvalidClaim, "status must be {\"status_list\": {\"idx\": <non-negative integer>, \"uri\": <string>}}.");
    }

    // ---- Key binding (RFC 9901 §7.3) ----------------------------------------------------------

    private static CredentialError? KeyBindingPresentWhenRequired(State s)
    {
        if (s.Parts.KeyBindingJwt is null)
        {
            return s.Policy.RequireKeyBinding
                ? CredentialError.Of(ErrorCodes.KeyBindingRequired, "This verifier requires key binding, but the presentation has no KB-JWT.")
                : null;
        }
        return s.HolderKey is null
            ? CredentialError.Of(ErrorCodes.InvalidConfirmationKey, "The presentation has a KB-JWT but the credential binds no holder key (cnf).")
            : null;
    }

    private static CredentialError? ParseKeyBindingJwt(State s)
    {
        if (s.Parts.KeyBindingJwt is null)
            return null;
        if (!CompactJws.TryReadInPlace(s.Parts.KeyBindingJwt, s.Parts.KeyBindingJwt.Length, flatPayload: true, out var kb)
            && !CompactJws.TryParse(s.Parts.KeyBindingJwt, out kb, out var error, "KB-JWT"))
            return error;
        s.KeyBinding = kb;
        return null;
    }

    private static CredentialError? KeyBindingAlgorithmIsEs256(State s) =>
        s.KeyBinding is null ? null : JwsHeaderChecks.AlgorithmIsEs256(s.KeyBinding, "KB-JWT");

    private static CredentialError? KeyBindingTypeIsKbJwt(State s) =>
        s.KeyBinding is null || string.Equals(s.KeyBinding.Type, "kb+jwt", StringComparison.OrdinalIgnoreCase)
            ? null
            : CredentialError.Of(ErrorCodes.InvalidType, $"The KB-JWT's typ is '{s.KeyBinding.Type}'; it must be 'kb+jwt'.");

    private static CredentialError? KeyBindingHasNoForbiddenHeaders(State s) =>
        s.KeyBinding is null ? null : JwsHeaderChecks.NoForbiddenHeaders(s.KeyBinding, "KB-JWT");

    private static CredentialError? KeyBindingSignedByHolderKey(State s)
    {
        if (s.KeyBinding is null)
            return null;
        if (s.KeyBinding.Signature.Length != 64)
            return CredentialError.Of(ErrorCodes.MalformedSignature, "The KB-JWT's ES256 signature is not 64 bytes (R||S).");
        return s.KeyBinding.VerifyWith(s.HolderKey!)
            ? null
            : CredentialError.Of(ErrorCodes.KeyBindingInvalidSignature, "The KB-JWT is not signed by the holder key bound into the credential.");
    }

    private static CredentialError? KeyBindingIsFresh(State s)
    {
        if (s.KeyBinding is null)
            return null;
        if (!s.KeyBinding.TryGetPayloadNumericDate("iat", out var iat, out _))
            return CredentialError.Of(ErrorCodes.MissingClaim, "The KB-JWT has no iat NumericDate.");
        var issued = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(iat, 0, 253402300799));
        if (issued - s.Options.ClockSkew > s.Now)
            return CredentialError.Of(ErrorCodes.KeyBindingFuture, "The KB-JWT's iat is in the future.");
        if (s.Now - issued > s.Options.KeyBindingMaxAge + s.Options.ClockSkew)
            return CredentialError.Of(ErrorCodes.KeyBindingStale, $"The KB-JWT was made at {issued:u}, longer ago than {s.Options.KeyBindingMaxAge.TotalSeconds:0} s.");
        return null;
    }

    private static CredentialError? KeyBindingAudienceMatches(State s)
    {
        if (s.KeyBinding is null)
            return null;
        // Compared where the KB-JWT lies, without making the strings; absent or not a string reads as null.
        if (s.KeyBinding.PayloadStringEquals("aud", s.Policy.Audience, fixedTime: false) is not { } same)
            return CredentialError.Of(ErrorCodes.AudienceMismatch, "The KB-JWT's aud must be a single string naming this verifier.");
        return s.Policy.Audience is null || same
            ? null
            : CredentialError.Of(ErrorCodes.AudienceMismatch, "The KB-JWT was made for another verifier (aud does not match).");
    }

    private static CredentialError? KeyBindingNonceMatches(State s)
    {
        if (s.KeyBinding is null)
            return null;
        if (s.KeyBinding.PayloadStringEquals("nonce", s.Policy.Nonce, fixedTime: true) is not { } same)
            return CredentialError.Of(ErrorCodes.NonceMismatch, "The KB-JWT has no nonce.");
        return s.Policy.Nonce is null || same
            ? null
            : CredentialError.Of(ErrorCodes.NonceMismatch, "The KB-JWT's nonce is not the one this verifier issued.");
    }

    private static CredentialError? KeyBindingSdHashMatches(State s)
    {
        if (s.KeyBinding is null)
            return null;
        Span<char> expected = stackalloc char[43];
        var length = Disclosure.ComputeDigest(s.Parts.WithoutKeyBindingSpan, expected);
        return s.KeyBinding.PayloadStringEquals("sd_hash", expected[..length], fixedTime: true) switch
        {
            null => CredentialError.Of(ErrorCodes.SdHashMismatch, "The KB-JWT has no sd_hash."),
            true => null,
            false => CredentialError.Of(ErrorCodes.SdHashMismatch, "The KB-JWT's sd_hash does not match the presented SD-JWT and disclosures."),
        };
    }

    // ---- Shared pieces -------------------------------------------------------------------------

    /// <summary>base64url(SHA-256(ASCII(presented SD-JWT up to and including the last '~'))).</summary>
    public static string SdHash(string withoutKeyBinding) => Disclosure.ComputeDigest(withoutKeyBinding);
}
