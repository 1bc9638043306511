using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Passport.Credentials.SdJwt;
using Passport.Verifier.Agreements;
using Passport.Verifier.Data;
using Passport.Verifier.Decisions;
using Passport.Verifier.Tests.Agreements;
using Passport.Verifier.Trust;

namespace Passport.Verifier.Tests.Decisions;

/// <summary>The decision path's compiled queries also run on SQLite, the embedded default's database (the other tests use PostgreSQL).</summary>
public sealed class CompiledQueriesOnSqliteTests
{
    private static async Task OnSqliteAsync(Func<SqliteVerifierDbContext, Task> test)
    {
        var file = Path.Combine(Path.GetTempPath(), $"passport-compiled-{Guid.NewGuid():N}.db");
        try
        {
            await using var db = new SqliteVerifierDbContext(new DbContextOptionsBuilder<SqliteVerifierDbContext>().UseSqlite($"Data Source={file}").Options);
            await db.Database.MigrateAsync();
            await test(db);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    [Fact]
    public Task An_agreement_loads_at_its_current_or_a_named_version_and_only_for_its_own_organisation() => OnSqliteAsync(async db =>
    {
        var agreement = new Agreement { OdsCode = "RXH", Title = "Mutual aid", CreatedAt = DateTimeOffset.UtcNow };
        var changed = SampleAgreement.Json("RXH", "RHQ");
        changed["maxDeploymentDays"] = 30;
        db.Add(agreement);
        db.Add(agreement.AddVersion(SampleAgreement.Document(SampleAgreement.Json("RXH", "RHQ")), "Mutual aid", "admin", DateTimeOffset.UtcNow));
        db.Add(agreement.AddVersion(SampleAgreement.Document(changed), "Mutual aid", "admin", DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();

        var current = await AgreementLookup.LoadAsync(db, "RXH", agreement.Id, null, CancellationToken.None);
        var first = await AgreementLookup.LoadAsync(db, "RXH", agreement.Id, 1, CancellationToken.None);

        Assert.Equal((2, 30), (current!.Version, current.Rules.MaxDeploymentDays));
        Assert.Equal(1, first!.Version);
        Assert.Null(await AgreementLookup.LoadAsync(db, "RHQ", agreement.Id, null, CancellationToken.None));
        Assert.Null(await AgreementLookup.LoadAsync(db, "RXH", agreement.Id, 3, CancellationToken.None));
        Assert.Null(await AgreementLookup.LoadAsync(db, "RXH", Guid.NewGuid(), null, CancellationToken.None));
    });

    [Fact]
    public Task Status_notices_are_found_for_every_entry_asked_about_and_only_from_its_own_issuer() => OnSqliteAsync(async db =>
    {
        const string list = "https://issuer.example/status/1";
        db.Add(StatusNotice.New("RHQ", Guid.NewGuid(), 1, DateTimeOffset.UtcNow, list, 5));
        db.Add(StatusNotice.New("RHQ", Guid.NewGuid(), 2, DateTimeOffset.UtcNow, list, 6));
        db.Add(StatusNotice.New("RXH", Guid.NewGuid(), 1, DateTimeOffset.UtcNow, list, 6));
        await db.SaveChangesAsync();

        var found = await StatusNotice.FindAllAsync(db, new IssuersByOds(), [("issuer:RHQ", list, 5), ("issuer:RHQ", list, 6), ("issuer:RHQ", list, 7)], CancellationToken.None);

        Assert.Equal(1, found[("issuer:RHQ", list, 5)]);
        Assert.Equal(2, found[("issuer:RHQ", list, 6)]);
        Assert.False(found.ContainsKey(("issuer:RHQ", list, 7)));
    });

    [Fact]
    public Task The_reads_before_verifying_find_the_current_version_the_used_nonce_and_the_claimed_entries_notices_in_one_query() => OnSqliteAsync(async db =>
    {
        const string list = "https://issuer.example/status/1";
        var agreement = new Agreement { OdsCode = "RXH", Title = "Mutual aid", CreatedAt = DateTimeOffset.UtcNow };
        db.Add(agreement);
        db.Add(agreement.AddVersion(SampleAgreement.Document(SampleAgreement.Json("RXH", "RHQ")), "Mutual aid", "admin", DateTimeOffset.UtcNow));
        db.Add(StatusNotice.New("RHQ", Guid.NewGuid(), 1, DateTimeOffset.UtcNow, list, 5));
        db.Add(StatusNotice.New("RHQ", Guid.NewGuid(), 2, DateTimeOffset.UtcNow, list, 900));
        await db.SaveChangesAsync();
        string[] presentations = [PresentationClaiming(list, 5), PresentationClaiming(list, 6)];

        var found = await DirectReads.ReadAsync(db, "RXH", agreement.Id, "fresh-nonce-0123456789", presentations, CancellationToken.None);
        var none = await DirectReads.ReadAsync(db, "RXH", agreement.Id, "fresh-nonce-0123456789", [], CancellationToken.None);

        Assert.Equal((1, false), (found!.Version, found.NonceUsed));
        Assert.True(found.Notices.Covers(list, 5) && found.Notices.Covers(list, 6) && !found.Notices.Covers(list, 900));
        Assert.Equal((list, 5L, (byte)1), (found.Notices.Rows.Single().Uri!, found.Notices.Rows.Single().Index!.Value, found.Notices.Rows.Single().Status));
        Assert.Empty(none!.Notices.Rows);
        Assert.Null(await DirectReads.ReadAsync(db, "RHQ", agreement.Id, "fresh-nonce-0123456789", presentations, CancellationToken.None));
    });

    private static string PresentationClaiming(string uri, long index) =>
        $"{B64("{\"alg\":\"ES256\"}")}.{B64($"{{\"status\":{{\"status_list\":{{\"idx\":{index},\"uri\":\"{uri}\"}}}}}}")}.c2ln~";

    private static string B64(string text) => Passport.Credentials.Jose.Base64UrlStrict.Encode(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Each organisation issues as <c>issuer:{ODS}</c>.</summary>
    private sealed class IssuersByOds : ITrustedIssuers
    {
        public string? IssuerIdFor(string odsCode) => $"issuer:{odsCode}";

        public IIssuerKeyResolver ForParties(IEnumerable<string> odsCodes) => new StaticIssuerKeyResolver(new Dictionary<string, Passport.Credentials.Jose.JsonWebKeySet>());
    }
}
