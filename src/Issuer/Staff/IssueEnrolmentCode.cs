using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Issuer.Audit;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Staff;

public sealed record EnrolmentCodeResponse(Guid StaffId, string Code, DateTimeOffset ExpiresAt);

/// <summary>
/// HR issues a one-time enrolment code for a staff record and gives it to the member of staff in person (or by a channel
/// it trusts); signing in and redeeming it links the record to that sign-in. A new code replaces an unredeemed one.
/// </summary>
internal static class IssueEnrolmentCode
{
    public static async Task<Results<Created<EnrolmentCodeResponse>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal user, IssuerDbContext db, EnrolmentCodes codes, IOptions<IssuerOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var staff = await db.Staff.FirstOrDefaultAsync(s => s.Id == id && s.OdsCode == ods, cancellationToken);
        if (staff is null)
            return GetStaff.NotFound(id);
        var now = time.GetUtcNow();
        var code = EnrolmentCodes.New();
        var expiresAt = now + options.Value.EnrolmentCodeLifetime;
        staff.IssueEnrolmentCode(codes.Digest(EnrolmentCodes.Normalise(code)!), expiresAt);
        db.Audit.Add(new AuditEntry { OdsCode = ods, StaffId = id, Action = AuditActions.EnrolmentCodeIssued, Actor = user.Actor(), At = now });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created((string?)null, new EnrolmentCodeResponse(id, code, expiresAt));
    }
}
