using System.Text.Json.Nodes;
using Passport.Credentials.Jose;

namespace Passport.Credentials.StatusList;

/// <summary>
/// Finds the public key for a Status List Token. <paramref name="statusListUri"/> is the <c>uri</c> from the
/// already-verified credential, never a value read from the unverified token, so the resolver can limit the
/// keys to those of the credential's issuer. Returns null when the key is unknown.
/// </summary>
public delegate EcPublicJwk? StatusListKeyResolver(string statusListUri, string keyId);

public sealed record StatusListVerifierOptions
{
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest token accepted, in characters, checked before anything is decoded.</summary>
    public int MaxTokenLength { get; init; } = 4 * 1024 * 1024;

    public long MaxDecompressedBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// The draft makes <c>exp</c> optional, but a list that never expires can be replayed after a revocation,
    /// so it is required unless a caller opts out.
    /// </summary>
    public bool RequireExpiry { get; init; } = true;
}

/// <summary>A Status List Token whose signature, subject, times and list have all been checked.</summary>
public sealed record VerifiedStatusList(
    StatusList List, DateTimeOffset IssuedAt, DateTimeOffset? ExpiresAt, TimeSpan? TimeToLive, string? AggregationUri)
{
    public bool TryLookup(long index, out byte status, out CredentialError? error) => List.TryGet(index, out status, out error);
}

/// <summary>Verifies <c>statuslist+jwt</c> tokens (draft-ietf-oauth-status-list §5.1, §8.3) as an ordered list of small checks.</summary>
public sealed class StatusListTokenVerifier(StatusListKeyResolver resolveKey, TimeProvider timeProvider, StatusListVerifierOptions? options = null)
{
    private static readonly string[] ForbiddenHeaders = ["jwk", "jku", "x5u", "x5c", "crit", "zip"];

    private readonly StatusListVerifierOptions _options = options ?? new StatusListVerifierOptions();

    /// <param name="token">The compact JWS as fetched from the status list URI.</param>
    /// <param name="expectedUri">The <c>status.status_list.uri</c> of the credential being checked.</param>
    public bool TryVerify(string token, string expectedUri, out VerifiedStatusList result, out CredentialError? error)
    {
        ArgumentNullException.ThrowIfNull(expectedUri);
        result = null!;
        var now = timeProvider.GetUtcNow();
        var skew = _options.ClockSkew;
        if ((error = CheckLength(token, _options.MaxTokenLength)) is not null
            || !TryParse(token, out var jws, out error)
            || (error = CheckAlgorithm(jws.Header)) is not null
            || (error = CheckType(jws.Header)) is not null
            || (error = CheckForbiddenHeaders(jws.Header)) is not null
            || (error = CheckKeyId(jws.Header)) is not null
            || (error = CheckSignature(jws, resolveKey(expectedUri, jws.KeyId!))) is not null
            || (error = CheckSubject(jws.Payload, expectedUri)) is not null
            || (error = CheckIssuedAt(jws.Payload, now, skew, out var issuedAt)) is not null
            || (error = CheckExpiry(jws.Payload, now, skew, _options.RequireExpiry, out var expiresAt)) is not null
            || (error = CheckTimeToLive(jws.Payload, out var timeToLive)) is not null
            || (error = CheckStatusList(jws.Payload, _options.MaxDecompressedBytes, out var list, out var aggregationUri)) is not null)
            return false;
        result = new VerifiedStatusList(list!, issuedAt, expiresAt, timeToLive, aggregationUri);
        return true;
    }

    private static bool TryParse(string token, out CompactJws jws, out CredentialError? error) =>
        CompactJws.TryParse(token, out jws, out error);

    private static CredentialError? CheckLength(string token, int maxLength) =>
        token is not null && token.Length > maxLength
            ? CredentialError.Of(ErrorCodes.TooLarge, $"The status list token is longer than {maxLength} characters.")
            : null;

    private static CredentialError? CheckAlgorithm(JsonObject header)
    {
        var alg = header.GetString("alg");
        if (string.Equals(alg, "none", StringComparison.OrdinalIgnoreCase))
            return CredentialError.Of(ErrorCodes.AlgorithmNotAllowed, "Unsigned status list tokens (alg 'none') are never accepted; sign it with ES256.");
        // RFC 7515 §4.1.1: alg values are case-sensitive.
        return alg == "ES256"
            ? null
            : CredentialError.Of(ErrorCodes.AlgorithmNotAllowed, $"The status list token uses alg '{alg}'; only ES256 is accepted.");
    }

    private static CredentialError? CheckType(JsonObject header)
    {
        var typ = header.GetString("typ");
        // RFC 7515 §4.1.9: media types compare case-insensitively and the "application/" prefix may be left out.
        return string.Equals(typ, StatusListToken.Type, StringComparison.OrdinalIgnoreCase)
            || string.Equals(typ, "application/" + StatusListToken.Type, StringComparison.OrdinalIgnoreCase)
            ? null
            : CredentialError.Of(ErrorCodes.InvalidType, $"The status list token has typ '{typ}'; it must be '{StatusListToken.Type}'.");
    }

    private static CredentialError? CheckForbiddenHeaders(JsonObject header)
    {
        foreach (var name in ForbiddenHeaders)
        {
            if (header.ContainsKey(name))
                return CredentialError.Of(ErrorCodes.ForbiddenHeader,
                    $"The status list token header carries '{name}'; keys come from the issuer's published key set, no critical extensions are supported and the payload is never compressed.");
        }
        return null;
    }

    private static CredentialError? CheckKeyId(JsonObject header) =>
        string.IsNullOrEmpty(header.GetString("kid"))
            ? CredentialError.Of(ErrorCodes.MissingKeyId, "The status list token header has no 'kid'; name the signing key.")
            : null;

    private static CredentialError? CheckSignature(CompactJws jws, EcPublicJwk? key)
    {
        if (key is null)
            return CredentialError.Of(ErrorCodes.UnknownKeyId, $"No trusted key has kid '{jws.KeyId}' for this status list.");
        return jws.VerifyWith(key)
            ? null
            : CredentialError.Of(ErrorCodes.InvalidSignature, "The status list token signature does not verify with the key its kid names.");
    }

    private static CredentialError? CheckSubject(JsonObject payload, string expectedUri)
    {
        var sub = payload.GetString("sub");
        if (sub is null)
            return CredentialError.Of(ErrorCodes.MissingClaim, "The status list token has no 'sub'; it must be the status list URI.");
        // §5.1: sub MUST equal the uri in the Referenced Token; a plain ordinal comparison, no normalisation.
        return string.Equals(sub, expectedUri, StringComparison.Ordinal)
            ? null
            : CredentialError.Of(ErrorCodes.SubjectMismatch, $"The status list token is for '{sub}', but the credential points to '{expectedUri}'.");
    }

    private static CredentialError? CheckIssuedAt(JsonObject payload, DateTimeOffset now, TimeSpan skew, out DateTimeOffset issuedAt)
    {
        issuedAt = default;
        if (!payload.TryGetNumericDate("iat", out var iat, out var present))
        {
            return present
                ? CredentialError.Of(ErrorCodes.InvalidClaim, "The status list token 'iat' is not a NumericDate.")
                : CredentialError.Of(ErrorCodes.MissingClaim, "The status list token has no 'iat'; it is required.");
        }
        if (!TryFromUnixSeconds(iat, out issuedAt))
            return CredentialError.Of(ErrorCodes.InvalidClaim, "The status list token 'iat' is out of range.");
        return issuedAt > now + skew
            ? CredentialError.Of(ErrorCodes.IssuedInFuture, "The status list token was issued in the future; check the issuer's clock.")
            : null;
    }

    private static CredentialError? CheckExpiry(JsonObject payload, DateTimeOffset now, TimeSpan skew, bool required, out DateTimeOffset? expiresAt)
    {
        expiresAt = null;
        if (!payload.TryGetNumericDate("exp", out var exp, out var present))
        {
            if (present)
                return CredentialError.Of(ErrorCodes.InvalidClaim, "The status list token 'exp' is not a NumericDate.");
            return required
                ? CredentialError.Of(ErrorCodes.MissingClaim, "The status list token has no 'exp'; this verifier requires one.")
                : null;
        }
        if (!TryFromUnixSeconds(exp, out var expiry))
            return CredentialError.Of(ErrorCodes.InvalidClaim, "The status list token 'exp' is out of range.");
        expiresAt = expiry;
        // RFC 7519 §4.1.4: the token must not be accepted on or after exp.
        return now >= expiry + skew
            ? CredentialError.Of(ErrorCodes.Expired, "The status list token has expired; fetch a fresh one.")
            : null;
    }

    private static CredentialError? CheckTimeToLive(JsonObject payload, out TimeSpan? timeToLive)
    {
        timeToLive = null;
        if (!payload.TryGetPropertyValue("ttl", out var node))
            return null;
        // §5.1: ttl, if present, is a positive number of seconds.
        if (node is JsonValue value && value.TryGetValue<long>(out var seconds) && seconds > 0 && seconds <= TimeSpan.MaxValue.TotalSeconds)
        {
            timeToLive = TimeSpan.FromSeconds(seconds);
            return null;
        }
        return CredentialError.Of(ErrorCodes.InvalidClaim, "The status list token 'ttl' must be a positive whole number of seconds.");
    }

    private static CredentialError? CheckStatusList(JsonObject payload, long maxBytes, out StatusList? list, out string? aggregationUri)
    {
        list = null;
        aggregationUri = null;
        if (!payload.TryGetPropertyValue("status_list", out var node))
            return CredentialError.Of(ErrorCodes.MissingClaim, "The status list token has no 'status_list' claim.");
        if (node is not JsonObject statusList)
            return CredentialError.Of(ErrorCodes.InvalidStatusList, "The 'status_list' claim must be a JSON object.");
        if (statusList["bits"] is not JsonValue bitsValue || !bitsValue.TryGetValue<int>(out var bits))
            return CredentialError.Of(ErrorCodes.InvalidStatusList, "The status list 'bits' must be one of the integers 1, 2, 4 or 8.");
        var lst = statusList.GetString("lst");
        if (lst is null)
            return CredentialError.Of(ErrorCodes.InvalidStatusList, "The status list 'lst' must be a string.");
        if (statusList.TryGetPropertyValue("aggregation_uri", out var aggregation))
        {
            aggregationUri = aggregation is JsonValue av && av.TryGetValue<string>(out var uri) ? uri : null;
            if (aggregationUri is null)
                return CredentialError.Of(ErrorCodes.InvalidStatusList, "The status list 'aggregation_uri' must be a string.");
        }
        return StatusList.TryDecode(lst, bits, maxBytes, out list, out var error) ? null : error;
    }

    private static bool TryFromUnixSeconds(long seconds, out DateTimeOffset value)
    {
        if (seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            value = default;
            return false;
        }
        value = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }
}
