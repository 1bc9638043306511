using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Audit;
using Passport.Issuer.Credentials;
using Passport.Issuer.Import;
using Passport.Issuer.Keys;
using Passport.Issuer.Offers;
using Passport.Issuer.Organisations;
using Passport.Issuer.Staff;
using Passport.Issuer.Status;
using Passport.Messaging;
using Passport.Notifications;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Data;

/// <summary>The Issuer's unit of work, in its own schema. PostgreSQL in production; see <see cref="SqliteIssuerDbContext"/>.</summary>
public class IssuerDbContext : DbContext
{
    public const string Schema = "issuer";

    public IssuerDbContext(DbContextOptions<IssuerDbContext> options) : base(options) { }

    protected IssuerDbContext(DbContextOptions options) : base(options) { }

    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<StaffMember> Staff => Set<StaffMember>();
    public DbSet<IssuedCredential> Credentials => Set<IssuedCredential>();
    public DbSet<StatusListRecord> StatusLists => Set<StatusListRecord>();
    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();
    public DbSet<CredentialOffer> Offers => Set<CredentialOffer>();
    public DbSet<IssuanceNonce> Nonces => Set<IssuanceNonce>();
    public DbSet<WalletNotification> WalletNotifications => Set<WalletNotification>();
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    public DbSet<ImportJob> ImportJobs => Set<ImportJob>();

    /// <summary>The Data Protection key ring, shared by every instance (it protects pre-authorized codes kept for offers fetched by reference).</summary>
    public DbSet<Offers.DataProtectionKeyRecord> DataProtectionKeys => Set<Offers.DataProtectionKeyRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.AddNotifications();
        modelBuilder.ApplyConfiguration(new Deployments.HomeDeploymentConfiguration());
        modelBuilder.ApplyConfiguration(new Expiry.ExpiryAlertConfiguration());
        modelBuilder.ApplyConfiguration(new Placements.VisitorConfiguration());
        modelBuilder.ApplyConfiguration(new Placements.PlacementConfiguration());
        modelBuilder.ApplyConfiguration<HostedWallet.HostedWallet>(new HostedWallet.HostedWalletConfiguration());
        modelBuilder.ApplyConfiguration<HostedWallet.HostedCredential>(new HostedWallet.HostedWalletConfiguration());
        modelBuilder.ApplyConfiguration<HostedWallet.HostedPresentation>(new HostedWallet.HostedWalletConfiguration());
        modelBuilder.ApplyConfiguration(new MutualAid.AidRequestConfiguration());
        modelBuilder.ApplyConfiguration(new MutualAid.AidMemberConfiguration());
        modelBuilder.Entity<Offers.DataProtectionKeyRecord>(e =>
        {
            e.ToTable("data_protection_keys");
            e.HasKey(x => x.Id);
            e.Property(x => x.FriendlyName).HasMaxLength(200);
        });

        modelBuilder.Entity<Organisation>(e =>
        {
            e.HasKey(x => x.OdsCode);
            e.Property(x => x.OdsCode).HasMaxLength(10);
            e.Property(x => x.Name).HasMaxLength(200);
        });
        modelBuilder.Entity<StaffMember>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.OdsCode).HasMaxLength(10);
            e.Property(x => x.GivenName).HasMaxLength(100);
            e.Property(x => x.FamilyName).HasMaxLength(100);
            e.Property(x => x.AssignmentNumber).HasMaxLength(30);
            e.Property(x => x.StaffGroup).HasMaxLength(100);
            e.Property(x => x.JobTitle).HasMaxLength(200);
            e.Property(x => x.Subject).HasMaxLength(200);
            e.Property(x => x.Email).HasMaxLength(254);
            e.Property(x => x.Mobile).HasMaxLength(16);
            e.HasIndex(x => new { x.OdsCode, x.AssignmentNumber }).IsUnique();
            e.HasIndex(x => new { x.OdsCode, x.Subject }).IsUnique();
            e.Property(x => x.EnrolmentCodeHash).HasMaxLength(64);
            e.HasIndex(x => new { x.OdsCode, x.EnrolmentCodeHash });
            e.OwnsMany(x => x.Registrations, r => r.ToJson());
        });
        modelBuilder.Entity<IssuedCredential>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.OdsCode).HasMaxLength(10);
            e.Property(x => x.Type).HasMaxLength(50);
            e.Property(x => x.Vct).HasMaxLength(300);
            e.Property(x => x.SourceReference).HasMaxLength(200);
            e.Property(x => x.KeyId).HasMaxLength(100);
            e.Property(x => x.StatusReason).HasMaxLength(50);
            e.HasIndex(x => new { x.OdsCode, x.Type, x.SourceReference }).IsUnique();
            e.HasIndex(x => new { x.StatusListId, x.StatusIndex }).IsUnique();
            e.HasIndex(x => new { x.OdsCode, x.StaffId });
            e.HasIndex(x => x.ExpiresAt);
            e.HasIndex(x => new { x.KeyId, x.ExpiresAt });
            // NULLs never collide, so only a second replacement of the same credential is refused.
            e.HasIndex(x => x.ReplacesId).IsUnique();
        });
        modelBuilder.Entity<StatusListRecord>(e =>
        {
            e.ToTable("status_lists");
            e.HasKey(x => x.Id);
            e.Property(x => x.OdsCode).HasMaxLength(10);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasIndex(x => x.OdsCode);
        });
        modelBuilder.Entity<SigningKey>(e =>
        {
            e.HasKey(x => x.Kid);
            e.Property(x => x.Kid).HasMaxLength(100);
            e.Property(x => x.OdsCode).HasMaxLength(10);
            e.Property(x => x.KeyVaultKeyId).HasMaxLength(500);
            e.HasIndex(x => x.OdsCode);
            // One unretired (signing) key per organisation: concurrent first uses and rotations cannot both win.
            e.HasIndex(x => x.OdsCode, "IX_SigningKeys_OdsCode_Active").IsUnique().HasFilter("\"RetiredAt\" IS NULL");
        });
        modelBuilder.Entity<CredentialOffer>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.OdsCode).HasMaxLength(10);
            e.Property(x => x.PreAuthorizedCodeHash).HasMaxLength(64);
            e.Property(x => x.TxCodeHash).HasMaxLength(64);
            e.Property(x => x.AccessTokenHash).HasMaxLength(64);
            e.Property(x => x.CreatedBy).HasMaxLength(200);
            e.Property(x => x.ProtectedPreAuthorizedCode).HasMaxLength(1000);
            e.Property(x => x.HolderKeyThumbprint).HasMaxLength(64);
            // Single use and counted attempts: a concurrent redemption or guess loses with a concurrency conflict.
            e.Property(x => x.RedeemedAt).IsConcurrencyToken();
            e.Property(x => x.TxCodeAttempts).IsConcurrencyToken();
            e.HasIndex(x => x.PreAuthorizedCodeHash).IsUnique();
            e.HasIndex(x => x.AccessTokenHash).IsUnique();
            e.HasIndex(x => new { x.OdsCode, x.StaffId });
        });
        modelBuilder.Entity<IssuanceNonce>(e =>
        {
            e.HasKey(x => x.Hash);
            e.Property(x => x.Hash).HasMaxLength(64);
            e.Property(x => x.UsedAt).IsConcurrencyToken();
            e.HasIndex(x => x.ExpiresAt);
        });
        modelBuilder.Entity<WalletNotification>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.OdsCode).HasMaxLength(10);
            e.Property(x => x.NotificationId).HasMaxLength(64);
            e.Property(x => x.Event).HasMaxLength(40);
            e.Property(x => x.Reason).HasMaxLength(40);
            e.Property(x => x.Description).HasMaxLength(1000);
            e.Property(x => x.Resolution).HasMaxLength(1000);
            e.Property(x => x.ResolvedBy).HasMaxLength(200);
            e.Property(x => x.KeyId).HasMaxLength(100);
            e.Ignore(x => x.NeedsResolution);
            e.HasIndex(x => x.KeyId);
            e.HasIndex(x => x.NotificationId).IsUnique();
            e.HasIndex(x => new { x.OdsCode, x.ResolvedAt });
            e.HasIndex(x => x.OfferId);
        });
        modelBuilder.Entity<AuditEntry>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.OdsCode).HasMaxLength(10);
            e.Property(x => x.Action).HasMaxLength(30);
            e.Property(x => x.Actor).HasMaxLength(200);
            e.Property(x => x.Reason).HasMaxLength(1000);
            e.HasIndex(x => new { x.OdsCode, x.StaffId, x.At });
        });
        modelBuilder.Entity<ImportJob>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.OdsCode).HasMaxLength(10);
            e.Property(x => x.FileName).HasMaxLength(260);
            e.Property(x => x.CreatedBy).HasMaxLength(200);
            e.HasIndex(x => x.State);
        });
    }
}

/// <summary>The same model on SQLite, for the embedded default; it has its own migrations.</summary>
public sealed class SqliteIssuerDbContext(DbContextOptions<SqliteIssuerDbContext> options) : IssuerDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.WithoutSchema();
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) => configurationBuilder.StoreMomentsAsTicks();
}
