using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Passport.Testing;
using Passport.Verifier.Agreements;
using Passport.Verifier.Data;

namespace Passport.Verifier.Tests.Agreements;

/// <summary>Agreements recorded before the audit existed get an entry per version when the migration that adds it runs.</summary>
public sealed class AgreementAuditMigrationTests
{
    private static async Task AssertBackfilledAsync(VerifierDbContext db, string before)
    {
        await db.GetService<IMigrator>().MigrateAsync(before);
        var agreement = new Agreement { OdsCode = "RXH", Title = "Mutual aid", CreatedAt = DateTimeOffset.UtcNow };
        var first = SampleAgreement.Document(SampleAgreement.Json("RXH", "RHQ"));
        var changed = SampleAgreement.Json("RXH", "RHQ");
        changed["maxDeploymentDays"] = 30;
        db.Add(agreement);
        db.Add(agreement.AddVersion(first, "Mutual aid", "admin-alice", DateTimeOffset.UtcNow.AddDays(-2)));
        db.Add(agreement.AddVersion(SampleAgreement.Document(changed), "Mutual aid", "admin-bob", DateTimeOffset.UtcNow.AddDays(-1)));
        await db.SaveChangesAsync();

        await db.Database.MigrateAsync();

        db.ChangeTracker.Clear();
        var audit = await db.Set<AgreementAuditEntry>().AsNoTracking().Where(e => e.AgreementId == agreement.Id).OrderBy(e => e.Version).ToListAsync();
        Assert.Equal(2, audit.Count);
        Assert.Equal((1, AgreementAuditEntry.Created, "admin-alice"), (audit[0].Version, audit[0].Action, audit[0].Actor));
        Assert.Null(audit[0].Before);
        Assert.Equal((2, AgreementAuditEntry.Updated, "admin-bob"), (audit[1].Version, audit[1].Action, audit[1].Actor));
        Assert.Contains("\"maxDeploymentDays\":90", audit[1].Before, StringComparison.Ordinal);
        Assert.Contains("\"maxDeploymentDays\":30", audit[1].After, StringComparison.Ordinal);
        Assert.NotEqual(audit[0].Id, audit[1].Id);
    }

    [Fact]
    public async Task On_PostgreSQL_every_existing_version_becomes_an_audit_entry()
    {
        await using var database = new PostgresDatabase();
        await database.InitializeAsync();
        await using var db = new VerifierDbContext(new DbContextOptionsBuilder<VerifierDbContext>()
            .UseNpgsql(database.ConnectionString, n => n.MigrationsHistoryTable("__ef_migrations", VerifierDbContext.Schema)).Options);

        await AssertBackfilledAsync(db, "20261122200948_DeploymentCredentialExpiry");
    }

    [Fact]
    public async Task On_SQLite_every_existing_version_becomes_an_audit_entry()
    {
        var file = Path.Combine(Path.GetTempPath(), $"passport-audit-{Guid.NewGuid():N}.db");
        try
        {
            await using var db = new SqliteVerifierDbContext(new DbContextOptionsBuilder<SqliteVerifierDbContext>().UseSqlite($"Data Source={file}").Options);
            await AssertBackfilledAsync(db, "20261122200957_DeploymentCredentialExpiry");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }
}
