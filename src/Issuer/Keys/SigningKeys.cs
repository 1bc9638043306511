using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.ServiceDefaults;
using Passport.Credentials.Jose;
using Passport.Issuer.Data;

namespace Passport.Issuer.Keys;

/// <summary>
/// Organisations' signing keys: the active one (created on first use with the configured provider), the published set,
/// and new keys for rotation. At most one unretired key per organisation is enforced by a unique index, so concurrent
/// first uses cannot both create one: the loser reads the winner's.
/// </summary>
internal sealed class SigningKeys(IssuerDbContext db, IOptions<KeyOptions> options, TimeProvider time, IServiceProvider services,
    IServiceScopeFactory scopes)
{
    public async ValueTask<ActiveKey> GetActiveAsync(string odsCode, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(odsCode);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var active = await db.SigningKeys.AsNoTracking().Where(k => k.OdsCode == odsCode && k.RetiredAt == null).SingleOrDefaultAsync(cancellationToken);
            if (active is not null)
                return ToActiveKey(active);

            // A scope of our own: the caller's DbContext may hold changes it has not saved yet.
            await using var scope = scopes.CreateAsyncScope();
            var own = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
            var created = await NewKeyAsync(odsCode, time.GetUtcNow(), cancellationToken);
            own.SigningKeys.Add(created);
            try
            {
                await own.SaveChangesAsync(cancellationToken);
                return ToActiveKey(created);
            }
            catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
            {
                if (created.Provider == KeyProvider.Local)
                    services.GetRequiredService<LocalJwsSigner>().Forget(created.Kid);
            }
        }
        throw new InvalidOperationException($"Could not settle on an active signing key for '{odsCode}'.");
    }

    public async ValueTask<JsonWebKeySet> GetPublishedAsync(string odsCode, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rows = await db.SigningKeys.AsNoTracking()
            .Where(k => k.OdsCode == odsCode)
            .Select(k => new { k.Kid, k.PublicJwk, k.CreatedAt, k.RetiredAt, k.PublishUntil })
            .ToListAsync(cancellationToken);
        var published = new List<EcPublicJwk>(rows.Count);
        foreach (var row in rows.OrderByDescending(r => r.CreatedAt))
        {
            // A retired key also stays while anything it signed is unexpired: a request that picked the key up just
            // before the rotation may save its credential after PublishUntil was computed.
            if (row.RetiredAt is null || row.PublishUntil > now || await SignedAnythingUnexpiredAsync(row.Kid, now, cancellationToken))
                published.Add(ParseJwk(row.PublicJwk, row.Kid));
        }
        return new JsonWebKeySet(published);
    }

    /// <summary>The credentials <paramref name="kid"/> signed: at issuance, or when delivered to a wallet or a hosted wallet.</summary>
    private IQueryable<Credentials.IssuedCredential> SignedWith(string kid) =>
        db.Credentials.AsNoTracking().Where(c => c.KeyId == kid || db.WalletNotifications.Any(n => n.CredentialId == c.Id && n.KeyId == kid)
            || db.Set<HostedWallet.HostedCredential>().Any(h => h.CredentialId == c.Id && h.KeyId == kid));

    /// <summary>The latest expiry of the credentials signed with <paramref name="kid"/>, if any.</summary>
    public Task<DateTimeOffset?> LastExpiryAsync(string kid, CancellationToken cancellationToken) =>
        SignedWith(kid).Select(c => c.ExpiresAt).LatestAsync(db.Database, cancellationToken);

    private Task<bool> SignedAnythingUnexpiredAsync(string kid, DateTimeOffset now, CancellationToken cancellationToken) =>
        SignedWith(kid).Select(c => c.ExpiresAt).AnyAfterAsync(db.Database, now, cancellationToken);

    /// <summary>Creates a key with the configured provider; the row is active once the caller saves it.</summary>
    public async Task<SigningKey> NewKeyAsync(string odsCode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (options.Value.Provider == KeyProvider.Local)
            return services.GetRequiredService<LocalJwsSigner>().Generate(odsCode, now).Row;

        var vault = services.GetRequiredService<KeyVaultRestClient>();
        var key = await vault.CreateEcKeyAsync(options.Value.KeyNamePrefix + odsCode, cancellationToken);
        var kid = key.PublicKey.Thumbprint();
        services.GetRequiredService<KeyVaultJwsSigner>().Remember(kid, key.KeyId);
        return new SigningKey
        {
            Kid = kid,
            OdsCode = odsCode,
            Provider = KeyProvider.AzureKeyVault,
            PublicJwk = key.PublicKey.WithKeyId(kid).ToJson().ToJsonString(),
            KeyVaultKeyId = key.KeyId,
            CreatedAt = now,
            ActivatedAt = now,
        };
    }

    private ActiveKey ToActiveKey(SigningKey key)
    {
        IJwsSigner signer = key.Provider switch
        {
            KeyProvider.Local => services.GetRequiredService<LocalJwsSigner>(),
            KeyProvider.AzureKeyVault when options.Value.VaultUri is not null => services.GetRequiredService<KeyVaultJwsSigner>(),
            _ => throw new InvalidOperationException(
                $"The active key of '{key.OdsCode}' lives in {key.Provider}, which is not configured ({KeyOptions.Section}); rotate or configure it."),
        };
        if (signer is KeyVaultJwsSigner kv && key.KeyVaultKeyId is not null)
            kv.Remember(key.Kid, key.KeyVaultKeyId);
        return new ActiveKey(signer, new SigningKeyReference(key.Kid), ParseJwk(key.PublicJwk, key.Kid));
    }

    private static EcPublicJwk ParseJwk(string json, string kid) =>
        EcPublicJwk.TryParse(JsonNode.Parse(json), out var jwk, out _)
            ? jwk.WithKeyId(kid)
            : throw new InvalidOperationException($"The stored public key of '{kid}' is not a P-256 JWK.");

}

/// <summary>The organisation's active signing key and the signer that holds it.</summary>
public sealed record ActiveKey(IJwsSigner Signer, SigningKeyReference Reference, EcPublicJwk PublicKey);
