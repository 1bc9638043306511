using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Passport.Credentials.Jose;
using Passport.Issuer.Data;

namespace Passport.Issuer.Keys;

/// <summary>
/// Signs with organisations' local keys. Each private key is decrypted once and kept in memory by kid;
/// the key material never leaves this class (not logged, not returned).
/// </summary>
internal sealed class LocalJwsSigner(LocalKeyProtector protector, IServiceScopeFactory scopes) : IJwsSigner, IDisposable
{
    private readonly ConcurrentDictionary<string, ECDsa> _keys = new(StringComparer.Ordinal);

    /// <summary>Generates a P-256 key; returns the row to store (private key encrypted) and its public JWK.</summary>
    public (SigningKey Row, EcPublicJwk PublicKey) Generate(string odsCode, DateTimeOffset now)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jwk = EcPublicJwk.FromECDsa(key);
        var kid = jwk.Thumbprint();
        var pkcs8 = key.ExportPkcs8PrivateKey();
        try
        {
            var row = new SigningKey
            {
                Kid = kid,
                OdsCode = odsCode,
                Provider = KeyProvider.Local,
                PublicJwk = jwk.WithKeyId(kid).ToJson().ToJsonString(),
                ProtectedPrivateKey = protector.Protect(pkcs8, kid, odsCode),
                CreatedAt = now,
                ActivatedAt = now,
            };
            if (!_keys.TryAdd(kid, key))
                key.Dispose();
            return (row, jwk.WithKeyId(kid));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>Forgets a generated key whose row was never stored (another request won the race).</summary>
    public void Forget(string kid)
    {
        if (_keys.TryRemove(kid, out var key))
            key.Dispose();
    }

    public async ValueTask<JwsSignature> SignAsync(SigningKeyReference key, ReadOnlyMemory<byte> signingInput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var ecdsa = _keys.TryGetValue(key.KeyId, out var cached) ? cached : await LoadAsync(key.KeyId, cancellationToken);
        var signature = ecdsa.SignData(signingInput.Span, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new JwsSignature(signature, key.KeyId);
    }

    private async Task<ECDsa> LoadAsync(string kid, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        var row = await db.SigningKeys.AsNoTracking()
            .Where(k => k.Kid == kid && k.Provider == KeyProvider.Local)
            .Select(k => new { k.OdsCode, k.ProtectedPrivateKey })
            .SingleOrDefaultAsync(cancellationToken);
        if (row?.ProtectedPrivateKey is null)
            throw new InvalidOperationException($"There is no local signing key '{kid}'.");
        var pkcs8 = protector.Unprotect(row.ProtectedPrivateKey, kid, row.OdsCode);
        try
        {
            var key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            var winner = _keys.GetOrAdd(kid, key);
            if (!ReferenceEquals(winner, key))
                key.Dispose();
            return winner;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
            key.Dispose();
        _keys.Clear();
    }
}
