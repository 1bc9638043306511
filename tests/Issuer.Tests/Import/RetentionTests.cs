using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Issuer.Audit;
using Passport.Issuer.Import;
using Passport.Issuer.Retention;
using Passport.ServiceDefaults;
using static Passport.Issuer.Tests.Import.Importing;
using static Passport.Issuer.Tests.Staff.Api;

namespace Passport.Issuer.Tests.Import;

public sealed class RetentionTests : IClassFixture<IssuerApp>
{
    private readonly IssuerApp app;

    public RetentionTests(IssuerApp app)
    {
        this.app = app;
        app.Settings["Issuer:Import:PollInterval"] = "00:00:00.100";
    }

    [Fact]
    public async Task An_imports_uploaded_file_is_dropped_when_the_job_ends_and_its_row_outcomes_are_kept()
    {
        var ods = await NewOrganisationAsync(app);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer);

        var id = await StartAsync(hr, ExampleFile());
        var job = await FinishedAsync(hr, id);

        Assert.Equal("completed", (string?)job["state"]);
        var stored = await app.WithDbAsync(db => db.ImportJobs.AsNoTracking().Include(j => j.RowErrors).SingleAsync(j => j.Id == id));
        Assert.Null(stored.Content);
        Assert.NotEmpty(stored.RowErrors);
        Assert.True(stored.Issued > 0);
    }

    [Fact]
    public async Task The_purge_deletes_ended_import_jobs_and_empties_audit_reasons_older_than_their_retention_and_keeps_newer_ones()
    {
        var ods = Seed.NewOds();
        var now = DateTimeOffset.UtcNow;
        var (old, recent, running) = (Job(ods, now.AddDays(-200), ImportState.Completed), Job(ods, now.AddDays(-1), ImportState.Failed), Job(ods, null, ImportState.Running));
        var (oldAudit, newAudit) = (Audit(ods, now.AddYears(-7)), Audit(ods, now.AddDays(-1)));
        await app.WithDbAsync(db =>
        {
            db.ImportJobs.AddRange(old, recent, running);
            db.Audit.AddRange(oldAudit, newAudit);
            return db.SaveChangesAsync();
        });

        await app.Services.GetRequiredService<IssuerRetentionPurge>().PurgeAsync(CancellationToken.None);

        var jobs = await app.WithDbAsync(db => db.ImportJobs.AsNoTracking().Where(j => j.OdsCode == ods).Select(j => j.Id).ToListAsync());
        Assert.Equal(new[] { recent.Id, running.Id }.Order(), jobs.Order());
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<ImportRowError>().CountAsync(e => e.ImportJobId == old.Id)));
        var audit = await app.WithDbAsync(db => db.Audit.AsNoTracking().Where(a => a.OdsCode == ods).ToDictionaryAsync(a => a.Id));
        Assert.Null(audit[oldAudit.Id].Reason);
        Assert.Equal(AuditActions.Issued, audit[oldAudit.Id].Action);
        Assert.Equal("Pre-employment check for a named person", audit[newAudit.Id].Reason);
    }

    private static ImportJob Job(string ods, DateTimeOffset? completedAt, ImportState state) => new()
    {
        OdsCode = ods, FileName = "old.csv", Content = state == ImportState.Running ? "record_type\n" : null, CreatedBy = "hr",
        CreatedAt = (completedAt ?? DateTimeOffset.UtcNow).AddMinutes(-5), State = state, CompletedAt = completedAt,
        LeaseOwner = state == ImportState.Running ? "elsewhere" : null, LeaseExpiresAt = state == ImportState.Running ? DateTimeOffset.UtcNow.AddHours(1) : null,
        RowErrors = [new ImportRowError { Line = 2, Field = "date_of_birth", Reason = "not a date" }],
    };

    private static AuditEntry Audit(string ods, DateTimeOffset at) => new()
    {
        OdsCode = ods, StaffId = Guid.NewGuid(), Action = AuditActions.Issued, Actor = "hr", Reason = "Pre-employment check for a named person", At = at,
    };
}
