using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Passport.Verifier.Data;

// Used only by `dotnet ef` to build the model for each provider's migrations.
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<VerifierDbContext>
{
    public VerifierDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<VerifierDbContext>()
            .UseNpgsql("Host=localhost", n => n.MigrationsHistoryTable("__ef_migrations", VerifierDbContext.Schema)).Options);
}

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteVerifierDbContext>
{
    public SqliteVerifierDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteVerifierDbContext>().UseSqlite("Data Source=design.db").Options);
}
