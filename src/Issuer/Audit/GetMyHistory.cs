using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Passport.Issuer.Data;
using Passport.Issuer.Staff;

namespace Passport.Issuer.Audit;

/// <summary>A member of staff reads their own passport's history.</summary>
internal static class GetMyHistory
{
    public static async Task<Results<Ok<IReadOnlyList<AuditEntryResponse>>, ProblemHttpResult>> Handle(ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var (staff, problem) = await CurrentStaff.FindAsync(user, db, cancellationToken);
        if (staff is null)
            return problem!;
        return TypedResults.Ok(await GetStaffHistory.HistoryAsync(db, staff.OdsCode, staff.Id, cancellationToken));
    }
}
