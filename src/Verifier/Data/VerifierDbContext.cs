using Microsoft.EntityFrameworkCore;
using Passport.Messaging;
using Passport.Notifications;
using Passport.ServiceDefaults;

namespace Passport.Verifier.Data;

/// <summary>The Verifier's unit of work, in its own schema. PostgreSQL in production; see <see cref="SqliteVerifierDbContext"/>.</summary>
public class VerifierDbContext : DbContext
{
    public const string Schema = "verifier";

    public VerifierDbContext(DbContextOptions<VerifierDbContext> options) : base(options) { }

    protected VerifierDbContext(DbContextOptions options) : base(options) { }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.AddNotifications();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(VerifierDbContext).Assembly, t => t.Namespace?.StartsWith("Passport.Verifier", StringComparison.Ordinal) == true);
    }
}

/// <summary>The same model on SQLite, for the embedded default; it has its own migrations.</summary>
public sealed class SqliteVerifierDbContext(DbContextOptions<SqliteVerifierDbContext> options) : VerifierDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.WithoutSchema();
        modelBuilder.Entity<Decisions.Decision>().Property(d => d.Requirements).HasColumnType("TEXT");
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) => configurationBuilder.StoreMomentsAsTicks();
}
