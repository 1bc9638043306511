using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Staff;

/// <summary>The member of staff calling: the staff record named by their token's <c>staff_id</c>, in their token's organisation.</summary>
internal static class CurrentStaff
{
    public static async Task<(StaffMember? Staff, ProblemHttpResult? Problem)> FindAsync(ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var id = user.StaffId();
        var staff = id is null ? null : await db.Staff.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.OdsCode == ods, cancellationToken);
        if (staff is null)
            return (null, Problems.NotFound("staff_not_found", "Your organisation has no staff record for the staff_id in your token."));
        // When HR has linked the record to a login, only that login reads it, whatever staff_id a token carries.
        if (staff.Subject is not null && !string.Equals(staff.Subject, user.Actor(), StringComparison.Ordinal))
            return (null, Problems.Forbidden("staff_subject_mismatch", "This staff record is linked to a different login."));
        return (staff, null);
    }
}
