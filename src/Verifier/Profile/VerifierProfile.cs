using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Passport.Verifier.Profile;

/// <summary>How a receiving organisation is shown to wallets: the name in its OpenID4VP requests' <c>client_metadata.client_name</c> and certificate.</summary>
public sealed class VerifierProfile
{
    public required string OdsCode { get; init; }
    public required string Name { get; set; }
    public required DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }

    /// <summary>The DER certificate naming the organisation that its request objects carry; its hash is the organisation's client identifier.</summary>
    public byte[]? ClientCertificate { get; set; }
}

internal sealed class VerifierProfileConfiguration : IEntityTypeConfiguration<VerifierProfile>
{
    public void Configure(EntityTypeBuilder<VerifierProfile> builder)
    {
        builder.ToTable("verifier_profiles");
        builder.HasKey(p => p.OdsCode);
        builder.Property(p => p.OdsCode).HasMaxLength(10);
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.UpdatedBy).HasMaxLength(200);
    }
}
