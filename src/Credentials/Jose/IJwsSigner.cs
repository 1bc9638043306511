using System.Security.Cryptography;

namespace Passport.Credentials.Jose;

/// <summary>Which key to sign with. Providers map the <c>kid</c> to wherever the private key lives.</summary>
public sealed record SigningKeyReference(string KeyId);

/// <summary>A raw ES256 signature (R||S, 64 bytes) and the <c>kid</c> of the key that made it.</summary>
public readonly record struct JwsSignature(byte[] Value, string KeyId);

/// <summary>
/// The seam between content and key material: takes the JWS signing input, returns a raw R||S signature.
/// Local keys, Azure Key Vault and HSMs implement it; nothing above it knows which.
/// </summary>
public interface IJwsSigner
{
    ValueTask<JwsSignature> SignAsync(SigningKeyReference key, ReadOnlyMemory<byte> signingInput, CancellationToken cancellationToken);
}

/// <summary>Signs with an in-memory P-256 key (development, tests, holder wallets).</summary>
public sealed class EcdsaJwsSigner(ECDsa privateKey, string keyId) : IJwsSigner
{
    public string KeyId { get; } = keyId;

    public SigningKeyReference Reference => new(KeyId);

    public EcPublicJwk PublicJwk { get; } = EcPublicJwk.FromECDsa(privateKey, keyId);

    public static EcdsaJwsSigner Generate(string? keyId = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jwk = EcPublicJwk.FromECDsa(key);
        return new EcdsaJwsSigner(key, keyId ?? jwk.Thumbprint());
    }

    public ValueTask<JwsSignature> SignAsync(SigningKeyReference key, ReadOnlyMemory<byte> signingInput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!string.Equals(key.KeyId, KeyId, StringComparison.Ordinal))
            throw new InvalidOperationException($"This signer holds key '{KeyId}', not '{key.KeyId}'.");
        var signature = privateKey.SignData(signingInput.Span, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return ValueTask.FromResult(new JwsSignature(signature, KeyId));
    }
}
