using Passport.Credentials.Jose;

namespace Passport.Issuer.Keys;

/// <summary>The organisation's active signing key, created on first use, and the signer that holds it.</summary>
public interface ISigningKeys
{
    ValueTask<ActiveKey> GetActiveAsync(string odsCode, CancellationToken cancellationToken);

    /// <summary>Every key still published for the organisation (active and retired-but-needed), as a JWKS.</summary>
    ValueTask<JsonWebKeySet> GetPublishedAsync(string odsCode, CancellationToken cancellationToken);
}

public sealed record ActiveKey(IJwsSigner Signer, SigningKeyReference Reference, EcPublicJwk PublicKey);
