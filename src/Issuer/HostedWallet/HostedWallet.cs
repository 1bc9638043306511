using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Passport.Issuer.HostedWallet;

/// <summary>
/// The wallet the home organisation keeps for a member of staff without a wallet app: one P-256 holder key, its private half
/// encrypted under the key-encryption key (AES-256-GCM, bound to this row's organisation and person), and the credentials bound to it.
/// </summary>
public sealed class HostedWallet
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string OdsCode { get; init; }
    public required Guid StaffId { get; init; }

    /// <summary>The holder key's public JWK (what <c>cnf.jwk</c> of every credential in it names).</summary>
    public required string PublicJwk { get; init; }

    /// <summary>version || nonce || tag || ciphertext of the PKCS#8 private key; never logged, never returned.</summary>
    public required byte[] ProtectedPrivateKey { get; init; }

    public required string CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A credential kept, accepted, in a hosted wallet: the SD-JWT VC bound to the wallet's key, with every disclosure.</summary>
public sealed class HostedCredential
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid WalletId { get; init; }
    public required Guid CredentialId { get; init; }
    public required string SdJwt { get; init; }

    /// <summary>The issuer key that signed it, which stays published until the credential expires.</summary>
    public required string KeyId { get; init; }

    public required DateTimeOffset StoredAt { get; init; }
}

/// <summary>One presentation from a hosted wallet: to whom, what, by whom and with what consent. Kept for the person and for HR.</summary>
public sealed class HostedPresentation
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid WalletId { get; init; }
    public required string OdsCode { get; init; }
    public required Guid StaffId { get; init; }

    /// <summary>The organisation that asked, as it names itself, and its client identifier.</summary>
    public string? VerifierName { get; init; }

    public required string VerifierClientId { get; init; }
    public required string ResponseUri { get; init; }

    /// <summary>The credentials presented (ids, comma-separated) and the claim paths disclosed.</summary>
    public required string Credentials { get; init; }

    public required string Disclosed { get; init; }
    public required string ConsentMethod { get; init; }
    public required DateTimeOffset ConsentGivenAt { get; init; }

    /// <summary>Who recorded the consent (HR) or presented (the person themself).</summary>
    public required string PresentedBy { get; init; }

    public required DateTimeOffset PresentedAt { get; init; }
}

internal sealed class HostedWalletConfiguration : IEntityTypeConfiguration<HostedWallet>, IEntityTypeConfiguration<HostedCredential>, IEntityTypeConfiguration<HostedPresentation>
{
    public void Configure(EntityTypeBuilder<HostedWallet> builder)
    {
        builder.ToTable("hosted_wallets");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.OdsCode).HasMaxLength(10);
        builder.Property(w => w.PublicJwk).HasMaxLength(500);
        builder.Property(w => w.CreatedBy).HasMaxLength(200);
        builder.HasIndex(w => new { w.OdsCode, w.StaffId }).IsUnique();
    }

    public void Configure(EntityTypeBuilder<HostedCredential> builder)
    {
        builder.ToTable("hosted_credentials");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.KeyId).HasMaxLength(100);
        builder.HasIndex(c => new { c.WalletId, c.CredentialId }).IsUnique();
        builder.HasIndex(c => c.CredentialId);
        builder.HasIndex(c => c.KeyId);
    }

    public void Configure(EntityTypeBuilder<HostedPresentation> builder)
    {
        builder.ToTable("hosted_presentations");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.OdsCode).HasMaxLength(10);
        builder.Property(p => p.VerifierName).HasMaxLength(200);
        builder.Property(p => p.VerifierClientId).HasMaxLength(200);
        builder.Property(p => p.ResponseUri).HasMaxLength(2000);
        builder.Property(p => p.Credentials).HasMaxLength(4000);
        builder.Property(p => p.Disclosed).HasMaxLength(4000);
        builder.Property(p => p.ConsentMethod).HasMaxLength(20);
        builder.Property(p => p.PresentedBy).HasMaxLength(200);
        builder.HasIndex(p => new { p.OdsCode, p.StaffId, p.PresentedAt });
    }
}
