using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Credentials;
using Passport.Issuer.Data;
using Passport.Issuer.Staff;

namespace Passport.Issuer.Import;

/// <summary>
/// The order an import's rows run in, and one batch of them. The order depends only on the file (staff rows first, so a
/// credential row may come before its member of staff in the file), so a resumed job picks up at the same row.
/// </summary>
internal static class ImportPlan
{
    private const int MaxReason = 1000;

    /// <summary>Marks rows repeating an earlier row's record and returns all rows in processing order.</summary>
    public static List<ImportRow> Order(List<ImportRow> rows)
    {
        var references = new Dictionary<(string, string), int>();
        var assignments = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var kind = row.Kind == RowKind.Staff ? "staff" : row.Type;
            if (kind is null || row.SourceRef is null)
                continue;
            if (!references.TryAdd((kind, row.SourceRef), row.Line))
                row.Error(ImportFormat.SourceRef, $"Line {references[(kind, row.SourceRef)]} already has this source_ref for a {kind} row: each record appears once.");
            else if (row.Kind == RowKind.Staff && row.AssignmentNumber is { } number && !assignments.TryAdd(number, row.Line))
                row.Error(ImportFormat.AssignmentNumber, $"Line {assignments[number]} already has a staff row for this assignment number.");
        }
        return [.. rows.Where(r => r.Kind == RowKind.Staff), .. rows.Where(r => r.Kind != RowKind.Staff)];
    }

    /// <summary>
    /// Applies one batch and records the job's progress in the same transaction. False when the job's lease is no longer
    /// <paramref name="owner"/>'s: then nothing of the batch is kept.
    /// </summary>
    public static async Task<bool> CommitBatchAsync(
        IServiceScopeFactory scopes, TimeProvider time, ImportOptions options, ImportJob job, string owner, List<ImportRow> batch, int processed, bool last,
        CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        var now = time.GetUtcNow();
        var result = new BatchResult();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        foreach (var row in batch.Where(r => r.Errors.Count > 0))
            result.Fail(row.Errors);
        await UpsertStaffAsync(db, job.OdsCode, DateOnly.FromDateTime(now.UtcDateTime), now, batch.Where(r => r.Kind == RowKind.Staff && r.Errors.Count == 0).ToList(), result, cancellationToken);
        await IssueAsync(db, scope.ServiceProvider.GetRequiredService<CredentialIssuance>(), job, batch.Where(r => r.Kind == RowKind.Credential && r.Errors.Count == 0).ToList(), result, cancellationToken);

        var leaseUntil = now + options.LeaseDuration;
        var updated = await db.ImportJobs.Where(j => j.Id == job.Id && j.LeaseOwner == owner).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.ProcessedRows, processed)
            .SetProperty(j => j.Issued, j => j.Issued + result.Issued)
            .SetProperty(j => j.Unchanged, j => j.Unchanged + result.Unchanged)
            .SetProperty(j => j.StaffCreated, j => j.StaffCreated + result.StaffCreated)
            .SetProperty(j => j.StaffUpdated, j => j.StaffUpdated + result.StaffUpdated)
            .SetProperty(j => j.Failed, j => j.Failed + result.Failed)
            .SetProperty(j => j.State, last ? ImportState.Completed : ImportState.Running)
            .SetProperty(j => j.CompletedAt, last ? now : null)
            .SetProperty(j => j.Content, j => last ? null : j.Content)
            .SetProperty(j => j.LeaseOwner, last ? null : owner)
            .SetProperty(j => j.LeaseExpiresAt, last ? null : leaseUntil), cancellationToken);
        if (updated != 1)
            return false;
        db.AddRange(result.Errors.Select(e => new ImportRowError
        {
            ImportJobId = job.Id, Line = e.Line, Field = e.Field.Length > 100 ? e.Field[..100] : e.Field, Reason = e.Reason.Length > MaxReason ? e.Reason[..MaxReason] : e.Reason,
        }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Creates or corrects staff records by assignment number; a row matching the record changes nothing.</summary>
    private static async Task UpsertStaffAsync(IssuerDbContext db, string ods, DateOnly today, DateTimeOffset now, List<ImportRow> rows, BatchResult result, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
            return;
        var numbers = rows.Select(r => r.AssignmentNumber!).ToList();
        var existing = await db.Staff.Where(s => s.OdsCode == ods && numbers.Contains(s.AssignmentNumber)).ToDictionaryAsync(s => s.AssignmentNumber, StringComparer.Ordinal, cancellationToken);
        foreach (var row in rows)
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var details = StaffValidation.Check(row.Staff, today, errors);
            if (details is null)
            {
                result.Fail(errors.SelectMany(e => e.Value.Select(reason => new RowError(row.Line, ImportFormat.ColumnFor(e.Key), reason))));
                continue;
            }
            if (!existing.TryGetValue(details.AssignmentNumber, out var staff))
            {
                db.Staff.Add(new StaffMember
                {
                    OdsCode = ods, GivenName = details.GivenName, FamilyName = details.FamilyName, DateOfBirth = details.DateOfBirth,
                    AssignmentNumber = details.AssignmentNumber, StaffGroup = details.StaffGroup, JobTitle = details.JobTitle, Email = details.Email, Mobile = details.Mobile, CreatedAt = now,
                });
                result.StaffCreated++;
            }
            // An empty email or mobile cell keeps what HR already holds: a learning-system export rarely carries them.
            else if ((staff.GivenName, staff.FamilyName, staff.DateOfBirth, staff.StaffGroup, staff.JobTitle, staff.Email, staff.Mobile)
                     != (details.GivenName, details.FamilyName, details.DateOfBirth, details.StaffGroup, details.JobTitle, details.Email ?? staff.Email, details.Mobile ?? staff.Mobile))
            {
                (staff.GivenName, staff.FamilyName, staff.DateOfBirth, staff.StaffGroup, staff.JobTitle, staff.Email, staff.Mobile)
                    = (details.GivenName, details.FamilyName, details.DateOfBirth, details.StaffGroup, details.JobTitle, details.Email ?? staff.Email, details.Mobile ?? staff.Mobile);
                result.StaffUpdated++;
            }
            else
            {
                result.Unchanged++;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task IssueAsync(IssuerDbContext db, CredentialIssuance issuance, ImportJob job, List<ImportRow> rows, BatchResult result, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
            return;
        var numbers = rows.Select(r => r.AssignmentNumber!).Distinct().ToList();
        var staff = await db.Staff.AsNoTracking().Where(s => s.OdsCode == job.OdsCode && numbers.Contains(s.AssignmentNumber))
            .Select(s => new { s.AssignmentNumber, s.Id }).ToDictionaryAsync(s => s.AssignmentNumber, s => s.Id, StringComparer.Ordinal, cancellationToken);
        var issuing = new List<ImportRow>(rows.Count);
        var items = new List<IssueItem>(rows.Count);
        foreach (var row in rows)
        {
            if (!staff.TryGetValue(row.AssignmentNumber!, out var staffId))
            {
                result.Fail([new RowError(row.Line, ImportFormat.AssignmentNumber, "Your organisation has no staff record with this assignment number: add a staff row for it, or create the record first.")]);
                continue;
            }
            issuing.Add(row);
            items.Add(new IssueItem
            {
                StaffId = staffId, Type = row.Type!, SourceReference = row.SourceRef, Claims = row.Claims, Provenance = row.Provenance,
                Reason = $"Imported from {job.FileName}, line {row.Line}",
            });
        }
        if (items.Count == 0)
            return;
        var outcomes = await issuance.IssueAsync(job.OdsCode, items, job.CreatedBy, cancellationToken);
        for (var i = 0; i < outcomes.Count; i++)
        {
            var (outcome, line) = (outcomes[i], issuing[i].Line);
            switch (outcome.Kind)
            {
                case IssueOutcomeKind.Issued:
                    result.Issued++;
                    break;
                case IssueOutcomeKind.Existing:
                    result.Unchanged++;
                    break;
                default:
                    result.Fail(ErrorsOf(outcome, line));
                    break;
            }
        }
    }

    private static IEnumerable<RowError> ErrorsOf(IssueOutcome outcome, int line)
    {
        if (outcome.Errors is { Count: > 0 } errors)
            return errors.SelectMany(e => e.Value.Select(reason => new RowError(line, ImportFormat.ColumnFor(e.Key), reason)));
        var field = outcome.Code switch
        {
            "source_reference_in_use" => ImportFormat.SourceRef,
            "staff_not_found" => ImportFormat.AssignmentNumber,
            _ => "row",
        };
        return [new RowError(line, field, outcome.Detail ?? outcome.Code ?? "The row could not be issued.")];
    }

    private sealed class BatchResult
    {
        public int Issued { get; set; }
        public int Unchanged { get; set; }
        public int StaffCreated { get; set; }
        public int StaffUpdated { get; set; }
        public int Failed { get; private set; }
        public List<RowError> Errors { get; } = [];

        public void Fail(IEnumerable<RowError> errors)
        {
            Failed++;
            Errors.AddRange(errors);
        }
    }
}
