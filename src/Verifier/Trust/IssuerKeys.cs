using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Passport.Credentials;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;

namespace Passport.Verifier.Trust;

/// <summary>Error codes of issuer key discovery, beyond <c>untrusted_issuer</c> and <c>unknown_kid</c>.</summary>
public static class TrustErrorCodes
{
    public const string IssuerMetadataUnavailable = "issuer_metadata_unavailable";
    public const string InvalidIssuerMetadata = "invalid_issuer_metadata";
    public const string IssuerMetadataMismatch = "issuer_metadata_mismatch";
    public const string StatusListUnavailable = "status_list_unavailable";
}

/// <summary>
/// Any issuer's public keys from its JWT VC Issuer Metadata (draft-ietf-oauth-sd-jwt-vc §5), cached per issuer. Whether
/// an issuer is trusted at all is decided by <see cref="ITrustedIssuers"/>; this only finds keys, failing closed.
/// </summary>
internal sealed class IssuerKeys(TrustFetcher fetcher, TimeProvider time, IOptions<TrustOptions> options)
{
    private const string WellKnown = "/.well-known/jwt-vc-issuer";

    private readonly ConcurrentDictionary<string, CachedKeys> _cache = new(StringComparer.Ordinal);
    private readonly SingleFlight<KeysFetch> _fetches = new();

    internal sealed record CachedKeys(JsonWebKeySet Keys, DateTimeOffset FetchedAt);

    internal readonly record struct KeysFetch(CachedKeys? Keys, CredentialError? Error);

    /// <summary>
    /// The key <paramref name="keyId"/> of <paramref name="issuer"/>. An unknown kid makes one fresh fetch (at most once per
    /// <see cref="TrustOptions.KeyRefreshInterval"/>) so that rotated keys are picked up.
    /// </summary>
    public async ValueTask<IssuerKeyResult> ResolveAsync(string issuer, string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(keyId);
        var now = time.GetUtcNow();
        if (!_cache.TryGetValue(issuer, out var cached) || now - cached.FetchedAt >= options.Value.MetadataCacheDuration)
        {
            var fetched = await FetchOnceAsync(issuer, cancellationToken).ConfigureAwait(false);
            if (fetched.Error is { } error)
                return new IssuerKeyResult(null, error);
            cached = fetched.Keys!;
        }
        if (cached.Keys.Find(keyId) is { } key)
            return IssuerKeyResult.Found(key);
        if (time.GetUtcNow() - cached.FetchedAt < options.Value.KeyRefreshInterval)
            return IssuerKeyResult.UnknownKey(issuer, keyId);

        var refreshed = await FetchOnceAsync(issuer, cancellationToken).ConfigureAwait(false);
        if (refreshed.Error is { } refreshError)
            return new IssuerKeyResult(null, refreshError);
        return refreshed.Keys!.Keys.Find(keyId) is { } rotated ? IssuerKeyResult.Found(rotated) : IssuerKeyResult.UnknownKey(issuer, keyId);
    }

    /// <summary>The JWT VC Issuer Metadata URL: the well-known segment goes between the host and the issuer's path (§5.1).</summary>
    public static Uri? MetadataUrlFor(string issuer)
    {
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var id) || !string.IsNullOrEmpty(id.Query) || !string.IsNullOrEmpty(id.Fragment)
            || (id.Scheme != Uri.UriSchemeHttps && id.Scheme != Uri.UriSchemeHttp))
            return null;
        var path = id.AbsolutePath.TrimEnd('/');
        return new Uri(id.GetLeftPart(UriPartial.Authority) + WellKnown + path);
    }

    private Task<KeysFetch> FetchOnceAsync(string issuer, CancellationToken cancellationToken) =>
        _fetches.RunAsync(issuer, () => FetchAsync(issuer), cancellationToken);

    private async Task<KeysFetch> FetchAsync(string issuer)
    {
        var settings = options.Value;
        if (MetadataUrlFor(issuer) is not { } url)
            return Fail(ErrorCodes.UntrustedIssuer, $"The issuer '{issuer}' is not an https URL, so it has no issuer metadata.");

        var metadata = await fetcher.GetAsync(url, "application/json", settings.MaxMetadataBytes, CancellationToken.None).ConfigureAwait(false);
        // How a fetch failed stays out of the message, which can reach a wallet: the operator's log has it.
        if (metadata.Error is not null)
            return Fail(TrustErrorCodes.IssuerMetadataUnavailable, $"The issuer metadata of '{issuer}' could not be fetched.");
        if (!StrictJson.TryParseObject(metadata.Body, out var document, out _))
            return Fail(TrustErrorCodes.InvalidIssuerMetadata, $"The issuer metadata of '{issuer}' is not a JSON object.");
        // §5.3: the issuer in the metadata must be identical to the iss of the credential.
        if (document["issuer"] is not JsonValue issuerValue || !issuerValue.TryGetValue<string>(out var named) || !string.Equals(named, issuer, StringComparison.Ordinal))
            return Fail(TrustErrorCodes.IssuerMetadataMismatch, $"The issuer metadata at {url} names a different issuer than '{issuer}'.");

        var hasJwks = document.ContainsKey("jwks");
        var hasJwksUri = document.ContainsKey("jwks_uri");
        JsonWebKeySet? keys;
        if (hasJwks == hasJwksUri)
            return Fail(TrustErrorCodes.InvalidIssuerMetadata, $"The issuer metadata of '{issuer}' must have exactly one of jwks and jwks_uri.");
        if (hasJwks)
        {
            keys = document["jwks"] is JsonObject jwks && JsonWebKeySet.TryParse(StrictJson.Serialize(jwks), out var inline) ? inline : null;
        }
        else
        {
            if (document["jwks_uri"] is not JsonValue uriValue || !uriValue.TryGetValue<string>(out var jwksUri) || !Uri.TryCreate(jwksUri, UriKind.Absolute, out var jwksUrl))
                return Fail(TrustErrorCodes.InvalidIssuerMetadata, $"The jwks_uri in the issuer metadata of '{issuer}' is not an absolute URL.");
            var set = await fetcher.GetAsync(jwksUrl, "application/jwk-set+json, application/json", settings.MaxMetadataBytes, CancellationToken.None).ConfigureAwait(false);
            if (set.Error is not null)
                return Fail(TrustErrorCodes.IssuerMetadataUnavailable, $"The key set of '{issuer}' could not be fetched.");
            keys = JsonWebKeySet.TryParse(set.Body, out var remote) ? remote : null;
        }
        if (keys is null)
            return Fail(TrustErrorCodes.InvalidIssuerMetadata, $"The key set of '{issuer}' is not a valid JWKS (unique kids, P-256 public keys).");

        var entry = new CachedKeys(keys, time.GetUtcNow());
        _cache[issuer] = entry;
        return new KeysFetch(entry, null);
    }

    private static KeysFetch Fail(string code, string message) => new(null, CredentialError.Of(code, message));
}

/// <summary>Which issuers are trusted: those of the parties to an agreement.</summary>
internal interface ITrustedIssuers
{
    /// <summary>The issuer identifier of the organisation with this ODS code, or null when none is known.</summary>
    string? IssuerIdFor(string odsCode);

    /// <summary>A key resolver that trusts only the issuers of these organisations; any other <c>iss</c> is <c>untrusted_issuer</c>.</summary>
    IIssuerKeyResolver ForParties(IEnumerable<string> odsCodes);
}

internal sealed class TrustedIssuers(IssuerKeys keys, IOptions<TrustOptions> options) : ITrustedIssuers
{
    public string? IssuerIdFor(string odsCode) => options.Value.IssuerIdFor(odsCode);

    public IIssuerKeyResolver ForParties(IEnumerable<string> odsCodes)
    {
        ArgumentNullException.ThrowIfNull(odsCodes);
        var allowed = odsCodes.Select(IssuerIdFor).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return new PartyKeyResolver(allowed, keys);
    }

    private sealed class PartyKeyResolver(HashSet<string> allowed, IssuerKeys keys) : IIssuerKeyResolver
    {
        public ValueTask<IssuerKeyResult> ResolveAsync(string issuer, string keyId, CancellationToken cancellationToken) =>
            allowed.Contains(issuer) ? keys.ResolveAsync(issuer, keyId, cancellationToken) : ValueTask.FromResult(IssuerKeyResult.Untrusted(issuer));
    }
}
