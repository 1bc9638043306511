using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Staff;

/// <summary>
/// The member of staff calling: the staff record of their token's organisation linked to their token's subject. A
/// <c>staff_id</c> claim alone identifies no one: a record nobody has linked (every imported one) is read by no staff token.
/// </summary>
internal static class CurrentStaff
{
    public static async Task<(StaffMember? Staff, ProblemHttpResult? Problem)> FindAsync(ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var subject = user.FindFirstValue("sub");
        var staff = string.IsNullOrEmpty(subject) ? null : await db.Staff.AsNoTracking().FirstOrDefaultAsync(s => s.OdsCode == ods && s.Subject == subject, cancellationToken);
        if (staff is null)
        {
            return (null, Problems.Forbidden("staff_not_linked",
                "Your sign-in is not linked to a staff record of your organisation; ask HR for an enrolment code and redeem it (POST /api/me/enrolment)."));
        }
        if (user.StaffId() is { } named && named != staff.Id)
            return (null, Problems.Forbidden("staff_subject_mismatch", "Your token names a different staff record from the one your sign-in is linked to."));
        return (staff, null);
    }
}
