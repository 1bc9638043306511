using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Passport.Testing;
using Passport.Verifier.Data;
using Passport.Verifier.Decisions;

namespace Passport.Verifier.Tests.Decisions;

/// <summary>
/// A decision's outcomes, stored as a JSON string before DecisionsAsData, read as typed outcomes after it (jsonb on PostgreSQL;
/// SQLite keeps the text column). The JSON below is what the Verifier wrote before: camelCase, JsonSerializerDefaults.Web.
/// </summary>
public sealed class DecisionsAsDataMigrationTests
{
    private const string OldShape = """
        [{"id":"dbs_enhanced","vct":"https://passport.test/vct/dbs","outcome":"met","reason":"Enhanced DBS with both barred lists.",
          "credential":{"index":0,"queryId":"dbs_enhanced","issuer":"https://issuer.test/issuers/RHQ","vct":"https://passport.test/vct/dbs",
            "expiresAt":"2027-06-01T00:00:00+00:00","statusListUri":"https://issuer.test/status/RHQ/1","statusIndex":42,"subject":"staff-1"},
          "claims":{"level":"enhanced","barred_lists":{"adults":true,"children":true}}},
         {"id":"right_to_work","vct":"https://passport.test/vct/right-to-work","outcome":"not_met","reason":"No credential of this type was presented.",
          "credential":null,"claims":{}}]
        """;

    private static async Task AssertOldDecisionReadsAsync(VerifierDbContext db, Guid id)
    {
        db.ChangeTracker.Clear();
        var decision = await db.Set<Decision>().AsNoTracking().SingleAsync(d => d.Id == id);

        Assert.Equal(["dbs_enhanced", "right_to_work"], decision.Requirements.Select(r => r.Id));
        var dbs = decision.Requirements[0];
        Assert.Equal(("met", "Enhanced DBS with both barred lists."), (dbs.Outcome, dbs.Reason));
        Assert.Equal(("https://issuer.test/status/RHQ/1", 42L, "staff-1"), (dbs.Credential!.StatusListUri, dbs.Credential.StatusIndex, dbs.Credential.Subject));
        Assert.Equal(new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero), dbs.Credential.ExpiresAt);
        Assert.True(((JsonObject)dbs.Claims["barred_lists"]!)["children"]!.GetValue<bool>());
        Assert.Null(decision.Requirements[1].Credential);
        Assert.Equal(["right_to_work"], decision.NotMet().Select(r => r.Id));
        Assert.Equal("https://issuer.test/status/RHQ/1", Assert.Single(decision.CredentialsJudged).StatusListUri);
    }

    [Fact]
    public async Task On_PostgreSQL_a_decision_written_as_a_json_string_reads_as_typed_outcomes_from_a_jsonb_column()
    {
        await using var database = new PostgresDatabase();
        await database.InitializeAsync();
        await using var db = new VerifierDbContext(new DbContextOptionsBuilder<VerifierDbContext>()
            .UseNpgsql(database.ConnectionString, n => n.MigrationsHistoryTable("__ef_migrations", VerifierDbContext.Schema)).Options);
        await db.GetService<IMigrator>().MigrateAsync("20261206055735_AidRaisedByHost");
        var id = Guid.NewGuid();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO verifier.decisions ("Id", "OdsCode", "AgreementId", "AgreementVersion", "Role", "Start", "End", "Accepted", "Nonce", "Source", "DecidedBy", "DecidedAt", "Requirements")
            VALUES ({id}, 'RXH', {Guid.NewGuid()}, 1, 'registered_nurse', {new DateOnly(2027, 1, 4)}, {new DateOnly(2027, 2, 1)}, true, {id.ToString("N")}, 'direct', 'test', {DateTimeOffset.UtcNow}, {OldShape})
            """);

        await db.Database.MigrateAsync();

        await AssertOldDecisionReadsAsync(db, id);
        var column = await db.Database.SqlQuery<string>($"""
            SELECT data_type AS "Value" FROM information_schema.columns WHERE table_schema = 'verifier' AND table_name = 'decisions' AND column_name = 'Requirements'
            """).SingleAsync();
        Assert.Equal("jsonb", column);
    }

    [Fact]
    public async Task On_SQLite_a_decision_written_as_a_json_string_reads_as_typed_outcomes()
    {
        var file = Path.Combine(Path.GetTempPath(), $"passport-decisions-{Guid.NewGuid():N}.db");
        try
        {
            await using var db = new SqliteVerifierDbContext(new DbContextOptionsBuilder<SqliteVerifierDbContext>().UseSqlite($"Data Source={file}").Options);
            await db.GetService<IMigrator>().MigrateAsync("20261206055748_AidRaisedByHost");
            var id = Guid.NewGuid();
            var decidedAt = (long)new DateTimeOffsetToBinaryConverter().ConvertToProvider(DateTimeOffset.UtcNow)!;
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO decisions ("Id", "OdsCode", "AgreementId", "AgreementVersion", "Role", "Start", "End", "Accepted", "Nonce", "Source", "DecidedBy", "DecidedAt", "Requirements")
                VALUES ({id.ToString().ToUpperInvariant()}, 'RXH', {Guid.NewGuid().ToString().ToUpperInvariant()}, 1, 'registered_nurse', '2027-01-04', '2027-02-01', 1, {id.ToString("N")}, 'direct', 'test', {decidedAt}, {OldShape})
                """);

            await db.Database.MigrateAsync();

            await AssertOldDecisionReadsAsync(db, id);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }
}
