using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.Issuer.Staff;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Audit;

public sealed record AuditEntryResponse(long Id, DateTimeOffset At, string Action, string Actor, Guid? StaffId, Guid? CredentialId, string? Reason);

/// <summary>HR reads the history of one of their staff's passport: who did what, when and why.</summary>
internal static class GetStaffHistory
{
    public static async Task<Results<Ok<IReadOnlyList<AuditEntryResponse>>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        if (!await db.Staff.AnyAsync(s => s.Id == id && s.OdsCode == ods, cancellationToken))
            return GetStaff.NotFound(id);
        return TypedResults.Ok(await HistoryAsync(db, ods, id, cancellationToken));
    }

    // Newest first by id: entries are appended in time order (and SQLite cannot order by DateTimeOffset).
    public static async Task<IReadOnlyList<AuditEntryResponse>> HistoryAsync(IssuerDbContext db, string ods, Guid staffId, CancellationToken cancellationToken) =>
        await db.Audit.AsNoTracking().Where(a => a.OdsCode == ods && a.StaffId == staffId).OrderByDescending(a => a.Id)
            .Select(a => new AuditEntryResponse(a.Id, a.At, a.Action, a.Actor, a.StaffId, a.CredentialId, a.Reason))
            .ToListAsync(cancellationToken);
}
