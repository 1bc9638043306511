namespace Passport.Issuer.Keys;

public enum KeyProvider
{
    Local = 0,
    AzureKeyVault = 1,
}

/// <summary>
/// An organisation's signing key: its public half (published), where the private half lives, and its lifecycle.
/// Only the active key signs; retired keys stay published until what they signed has expired.
/// </summary>
public sealed class SigningKey
{
    public required string Kid { get; init; }
    public required string OdsCode { get; init; }
    public required KeyProvider Provider { get; init; }

    /// <summary>The public JWK, as JSON.</summary>
    public required string PublicJwk { get; init; }

    /// <summary>Local keys only: the PKCS#8 private key, encrypted at rest.</summary>
    public byte[]? ProtectedPrivateKey { get; init; }

    /// <summary>Key Vault keys only: the key identifier URL (with version).</summary>
    public string? KeyVaultKeyId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ActivatedAt { get; set; }
    public DateTimeOffset? RetiredAt { get; private set; }

    /// <summary>When a retired key may stop being published: the latest expiry of anything it signed.</summary>
    public DateTimeOffset? PublishUntil { get; private set; }

    /// <summary>Stops the key signing; it stays published until <paramref name="lastExpiry"/> (or now, if it signed nothing).</summary>
    public bool TryRetire(DateTimeOffset now, DateTimeOffset? lastExpiry, out string? problem)
    {
        if (RetiredAt is not null)
        {
            problem = "The key is already retired.";
            return false;
        }
        (RetiredAt, PublishUntil, problem) = (now, lastExpiry is { } last && last > now ? last : now, null);
        return true;
    }
}
