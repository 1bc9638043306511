using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Passport.Credentials.Jose;
using Passport.Issuer.Data;

namespace Passport.Issuer.Keys;

/// <summary>Signs with organisations' Key Vault keys: hashes the signing input here, Key Vault signs the digest.</summary>
internal sealed class KeyVaultJwsSigner(KeyVaultRestClient vault, IServiceScopeFactory scopes) : IJwsSigner
{
    private readonly ConcurrentDictionary<string, string> _keyIds = new(StringComparer.Ordinal);

    public void Remember(string kid, string keyVaultKeyId) => _keyIds[kid] = keyVaultKeyId;

    public async ValueTask<JwsSignature> SignAsync(SigningKeyReference key, ReadOnlyMemory<byte> signingInput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var keyId = _keyIds.TryGetValue(key.KeyId, out var cached) ? cached : await LoadAsync(key.KeyId, cancellationToken);
        var digest = SHA256.HashData(signingInput.Span);
        var signature = await vault.SignEs256Async(keyId, digest, cancellationToken);
        return new JwsSignature(signature, key.KeyId);
    }

    private async Task<string> LoadAsync(string kid, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        var keyId = await db.SigningKeys.AsNoTracking()
            .Where(k => k.Kid == kid && k.Provider == KeyProvider.AzureKeyVault)
            .Select(k => k.KeyVaultKeyId)
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"There is no Key Vault signing key '{kid}'.");
        return _keyIds.GetOrAdd(kid, keyId);
    }
}
