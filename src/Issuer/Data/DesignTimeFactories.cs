using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Passport.Issuer.Data;

// Used only by `dotnet ef` to build the model for each provider's migrations.
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<IssuerDbContext>
{
    public IssuerDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<IssuerDbContext>()
            .UseNpgsql("Host=localhost", n => n.MigrationsHistoryTable("__ef_migrations", IssuerDbContext.Schema)).Options);
}

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteIssuerDbContext>
{
    public SqliteIssuerDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteIssuerDbContext>().UseSqlite("Data Source=design.db").Options);
}
