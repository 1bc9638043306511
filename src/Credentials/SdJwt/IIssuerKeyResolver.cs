using Passport.Credentials.Jose;

namespace Passport.Credentials.SdJwt;

/// <summary>
/// Finds an issuer's public key by <c>iss</c> and <c>kid</c>: from a trust list, JWT VC issuer metadata, a cache.
/// Never from the token itself. Returns an error when the issuer is not trusted or the key is unknown.
/// </summary>
public interface IIssuerKeyResolver
{
    ValueTask<IssuerKeyResult> ResolveAsync(string issuer, string keyId, CancellationToken cancellationToken);
}

public readonly record struct IssuerKeyResult(EcPublicJwk? Key, CredentialError? Error)
{
    public static IssuerKeyResult Found(EcPublicJwk key) => new(key, null);

    public static IssuerKeyResult Untrusted(string issuer) =>
        new(null, CredentialError.Of(ErrorCodes.UntrustedIssuer, $"The issuer '{issuer}' is not trusted here."));

    public static IssuerKeyResult UnknownKey(string issuer, string keyId) =>
        new(null, CredentialError.Of(ErrorCodes.UnknownKeyId, $"The issuer '{issuer}' has published no key with kid '{keyId}'."));
}

/// <summary>A fixed map of trusted issuers to their key sets: for tests, tools and small deployments.</summary>
public sealed class StaticIssuerKeyResolver(IReadOnlyDictionary<string, JsonWebKeySet> issuers) : IIssuerKeyResolver
{
    public ValueTask<IssuerKeyResult> ResolveAsync(string issuer, string keyId, CancellationToken cancellationToken)
    {
        if (!issuers.TryGetValue(issuer, out var set))
            return ValueTask.FromResult(IssuerKeyResult.Untrusted(issuer));
        var key = set.Find(keyId);
        return ValueTask.FromResult(key is null ? IssuerKeyResult.UnknownKey(issuer, keyId) : IssuerKeyResult.Found(key));
    }
}
