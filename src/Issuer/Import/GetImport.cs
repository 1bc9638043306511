using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Import;

/// <summary>
/// An import's progress: rows processed so far out of the total, what became of them, and its first row errors.
/// <c>processedRows</c> = <c>issued</c> + <c>unchanged</c> + <c>staffCreated</c> + <c>staffUpdated</c> + <c>failed</c>.
/// </summary>
public sealed record ImportResponse(
    Guid Id, string FileName, string State, int TotalRows, int ProcessedRows, int Issued, int Unchanged, int StaffCreated, int StaffUpdated, int Failed,
    string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, string? FailureReason, IReadOnlyList<RowError> Errors, string ErrorsUrl);

internal static class GetImport
{
    public static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal user, IssuerDbContext db, IOptions<ImportOptions> options, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        // Never the file itself: it can be 50 MB.
        var job = await db.ImportJobs.AsNoTracking().Where(j => j.Id == id && j.OdsCode == ods)
            .Select(j => new ImportJob
            {
                Id = j.Id, OdsCode = j.OdsCode, FileName = j.FileName, Content = "", CreatedBy = j.CreatedBy, CreatedAt = j.CreatedAt, State = j.State,
                TotalRows = j.TotalRows, ProcessedRows = j.ProcessedRows, Issued = j.Issued, Unchanged = j.Unchanged, StaffCreated = j.StaffCreated,
                StaffUpdated = j.StaffUpdated, Failed = j.Failed, CompletedAt = j.CompletedAt, FailureReason = j.FailureReason,
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (job is null)
            return NotFound(id);
        var errors = await db.Set<ImportRowError>().AsNoTracking().Where(e => e.ImportJobId == id).OrderBy(e => e.Line).ThenBy(e => e.Id)
            .Take(options.Value.ErrorsInStatus).Select(e => new RowError(e.Line, e.Field, e.Reason)).ToListAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(job, errors));
    }

    public static ImportResponse ToResponse(ImportJob j, IReadOnlyList<RowError> errors) => new(
        j.Id, j.FileName, j.State.ToString().ToLowerInvariant(), j.TotalRows, j.ProcessedRows, j.Issued, j.Unchanged, j.StaffCreated, j.StaffUpdated, j.Failed,
        j.CreatedBy, j.CreatedAt, j.CompletedAt, j.FailureReason, errors, $"/api/imports/{j.Id}/errors");

    public static ProblemHttpResult NotFound(Guid id) =>
        Problems.NotFound("import_not_found", $"Your organisation has no import {id}.");
}
