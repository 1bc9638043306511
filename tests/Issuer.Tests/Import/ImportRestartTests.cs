using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Contracts;
using Passport.Issuer.Data;
using Passport.Issuer.Import;
using Passport.Issuer.Organisations;
using Passport.Messaging;
using Passport.ServiceDefaults;
using static Passport.Issuer.Tests.Import.Importing;

namespace Passport.Issuer.Tests.Import;

/// <summary>Two service instances in turn on one database: the first is stopped in the middle of an import, the second finishes it.</summary>
public sealed class ImportRestartTests : IClassFixture<IssuerApp>
{
    private const int StaffRows = 300;
    private const int TrainingPerStaff = 9;
    private readonly IssuerApp app;

    public ImportRestartTests(IssuerApp app)
    {
        this.app = app;
        app.Settings["Issuer:Import:BatchSize"] = "100";
        app.Settings["Issuer:Import:PollInterval"] = "00:00:00.100";
        // As in production, both instances decrypt the organisation's signing key with the same key-encryption key.
        app.Settings["Issuer:Keys:KeyEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    }

    [Fact]
    public async Task An_import_stopped_by_a_restart_resumes_and_neither_loses_nor_duplicates_credentials()
    {
        var ods = Seed.NewOds();
        var csv = File(out var goodCredentials);
        Guid id;
        int processedAtStop, issuedAtStop;

        // Only derived hosts run here, never the fixture's own, so exactly one instance is alive at a time.
        var first = app.WithWebHostBuilder(_ => { });
        try
        {
            await WithDbAsync(first, db =>
            {
                db.Organisations.Add(new Organisation { OdsCode = ods, Name = "Restart Trust", CreatedAt = DateTimeOffset.UtcNow });
                return db.SaveChangesAsync();
            });
            id = await StartAsync(Hr(first, ods), csv);
            var deadline = DateTime.UtcNow.AddSeconds(90);
            // Stop once credentials are being issued (staff rows run first), well before the end.
            while (await WithDbAsync(first, db => db.ImportJobs.Where(j => j.Id == id).Select(j => j.ProcessedRows).SingleAsync()) < StaffRows + 200)
            {
                Assert.True(DateTime.UtcNow < deadline, "The first instance made no progress.");
                await Task.Delay(20);
            }
        }
        finally
        {
            await first.DisposeAsync();
        }
        await using (var db = new IssuerDbContext(new DbContextOptionsBuilder<IssuerDbContext>().UseNpgsql(app.Database.ConnectionString).Options))
        {
            var stopped = await db.ImportJobs.AsNoTracking().SingleAsync(j => j.Id == id);
            (processedAtStop, issuedAtStop) = (stopped.ProcessedRows, stopped.Issued);
            Assert.Equal(ImportState.Running, stopped.State);
            Assert.Null(stopped.LeaseOwner);
            Assert.Equal(issuedAtStop, await db.Credentials.CountAsync(c => c.OdsCode == ods));
        }
        Assert.InRange(processedAtStop, StaffRows + 200, StaffRows + goodCredentials - 1);

        await using var second = app.WithWebHostBuilder(_ => { });
        var job = await FinishedAsync(Hr(second, ods), id, seconds: 180);

        Assert.True((string?)job["state"] == "completed", job.ToJsonString());
        Assert.Equal(("completed", StaffRows + goodCredentials + 1, goodCredentials, StaffRows, 0, 1),
            ((string?)job["state"], Count(job, "processedRows"), Count(job, "issued"), Count(job, "staffCreated"), Count(job, "unchanged"), Count(job, "failed")));
        await WithDbAsync(second, async db =>
        {
            var references = await db.Credentials.AsNoTracking().Where(c => c.OdsCode == ods).Select(c => c.SourceReference).ToListAsync();
            Assert.Equal(goodCredentials, references.Count);
            Assert.Equal(goodCredentials, references.Distinct().Count());
            var events = await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.MessageType == typeof(CredentialIssued).FullName).Select(m => m.Body).ToListAsync();
            var credentialIds = events.Select(b => (string)JsonNode.Parse(b)!["CredentialId"]!).ToList();
            Assert.Equal(goodCredentials, credentialIds.Count);
            Assert.Equal(goodCredentials, credentialIds.Distinct().Count());
            Assert.Equal(StaffRows, await db.Staff.CountAsync(s => s.OdsCode == ods));
            return 0;
        });
    }

    /// <summary>Staff rows after the training rows that need them (staff run first whatever the file order), and one bad row.</summary>
    private static string File(out int goodCredentials)
    {
        string[] subjects = ["fire_safety", "information_governance", "infection_prevention_control", "moving_handling", "safeguarding_adults",
            "safeguarding_children", "resuscitation", "health_safety_welfare", "equality_diversity_human_rights"];
        var completed = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var csv = new StringBuilder("record_type,source_ref,assignment_number,given_name,family_name,date_of_birth,subject,completed_on\r\n");
        for (var s = 0; s < StaffRows; s++)
        {
            for (var t = 0; t < TrainingPerStaff; t++)
                csv.Append(CultureInfo.InvariantCulture, $"training,LMS-{s}-{t},{40_000_000 + s}-1,,,,{subjects[t]},{completed}\r\n");
        }
        csv.Append(CultureInfo.InvariantCulture, $"training,LMS-bad,40000000-1,,,,knitting,{completed}\r\n");
        for (var s = 0; s < StaffRows; s++)
            csv.Append(CultureInfo.InvariantCulture, $"staff,ESR-{s},{40_000_000 + s}-1,Given{s},Family{s},1990-04-01,,\r\n");
        goodCredentials = StaffRows * TrainingPerStaff;
        return csv.ToString();
    }

    private HttpClient Hr(WebApplicationFactory<IssuerOptions> host, string ods)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(IssuerApp.PublicBaseUrl) });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.Tokens.Mint(ods, [PassportRoles.HrIssuer], null, null));
        return client;
    }

    private static async Task<T> WithDbAsync<T>(WebApplicationFactory<IssuerOptions> host, Func<IssuerDbContext, Task<T>> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<IssuerDbContext>());
    }
}
