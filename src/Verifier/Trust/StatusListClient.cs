using System.Text;
using Microsoft.Extensions.Options;
using Passport.Credentials;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;
using Passport.Credentials.StatusList;

namespace Passport.Verifier.Trust;

/// <summary>
/// Status lists fetched within the trust rules, verified with the credential's issuer's keys (<c>sub</c> must be the
/// URI), cached until the earliest of their <c>ttl</c>, <c>exp</c> and the configured maximum, one fetch per list at a time. Anything that stops
/// us reading the list is an error, never "valid".
/// </summary>
internal sealed class StatusListClient(TrustFetcher fetcher, IssuerKeys keys, TimeProvider time, IOptions<TrustOptions> options)
{
    private readonly Dictionary<string, CachedList> _cache = new(StringComparer.Ordinal);
    private readonly Lock _cacheLock = new();
    private readonly SingleFlight<ListFetch> _fetches = new();

    private sealed record CachedList(VerifiedStatusList List, DateTimeOffset FreshUntil);

    private readonly record struct ListFetch(CachedList? List, CredentialError? Error);

    public async ValueTask<StatusLookup> GetStatusAsync(string issuer, StatusReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(reference);
        // The list is verified with this issuer's keys, so a list cached for one issuer is never read for another.
        var key = issuer + "\n" + reference.Uri;
        CachedList? cached;
        lock (_cacheLock)
            _cache.TryGetValue(key, out cached);
        if (cached is null || time.GetUtcNow() >= cached.FreshUntil)
        {
            var fetched = await _fetches.RunAsync(key, () => FetchAsync(key, issuer, reference.Uri), cancellationToken).ConfigureAwait(false);
            if (fetched.Error is { } error)
                return new StatusLookup(null, error);
            cached = fetched.List!;
        }
        return cached.List.TryLookup(reference.Index, out var status, out var lookupError)
            ? new StatusLookup(status, null)
            : new StatusLookup(null, lookupError);
    }

    private async Task<ListFetch> FetchAsync(string key, string issuer, string uri)
    {
        var settings = options.Value;
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var url))
            return Unavailable($"The status list URI '{uri}' is not an absolute URL.");
        var response = await fetcher.GetAsync(url, "application/statuslist+jwt", settings.MaxStatusListBytes, CancellationToken.None).ConfigureAwait(false);
        // How the fetch failed stays out of the message, which can reach a wallet; the fetcher logs it for the operator.
        if (response.Error is not null)
            return Unavailable($"The status list at {url.GetLeftPart(UriPartial.Path)} could not be fetched.");

        var token = Encoding.ASCII.GetString(response.Body!).Trim();
        // The verifier's key lookup is synchronous, so the key its header names is found first (with the rotation refetch).
        EcPublicJwk? signingKey = null;
        if (CompactJws.TryParse(token, out var jws, out _) && jws.KeyId is { } kid)
        {
            var resolved = await keys.ResolveAsync(issuer, kid, CancellationToken.None).ConfigureAwait(false);
            if (resolved.Error is { Code: not ErrorCodes.UnknownKeyId } keyError)
                return new ListFetch(null, keyError);
            signingKey = resolved.Key;
        }
        var verifier = new StatusListTokenVerifier(
            (_, keyId) => signingKey is not null && signingKey.KeyId == keyId ? signingKey : null,
            time,
            new StatusListVerifierOptions { MaxTokenLength = settings.MaxStatusListBytes });
        if (!verifier.TryVerify(token, uri, out var list, out var error))
            return new ListFetch(null, error);

        var now = time.GetUtcNow();
        var keepFor = list.TimeToLive ?? settings.StatusListDefaultCacheDuration;
        if (keepFor > settings.StatusListMaxCacheDuration)
            keepFor = settings.StatusListMaxCacheDuration;
        var freshUntil = now + keepFor;
        if (list.ExpiresAt is { } expiresAt && expiresAt < freshUntil)
            freshUntil = expiresAt;
        var entry = new CachedList(list, freshUntil);
        lock (_cacheLock)
            _cache[key] = entry;
        return new ListFetch(entry, null);
    }

    private static ListFetch Unavailable(string message) =>
        new(null, CredentialError.Of(TrustErrorCodes.StatusListUnavailable, message + " The credential's status cannot be confirmed, so it is not accepted."));
}

/// <summary>The status (0 valid, 1 invalid, 2 suspended, 3 application specific) or why it could not be read.</summary>
public readonly record struct StatusLookup(byte? Status, CredentialError? Error);
