using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.Issuer.Organisations;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Staff;

/// <summary>HR corrects a staff record's own facts. Credentials already issued keep what they attested; HR re-issues them.</summary>
internal static class UpdateStaff
{
    public static async Task<Results<Ok<StaffResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, StaffDetails request, ClaimsPrincipal user, IssuerDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var details = StaffValidation.Check(request, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), errors);
        if (details is null)
            return Problems.Validation(errors);

        var ods = user.OdsCode();
        var staff = await db.Staff.FirstOrDefaultAsync(s => s.Id == id && s.OdsCode == ods, cancellationToken);
        if (staff is null)
            return GetStaff.NotFound(id);
        if (details.Subject is { } subject && await db.Staff.AnyAsync(s => s.OdsCode == ods && s.Subject == subject && s.Id != id, cancellationToken))
            return CreateStaff.SubjectTaken();
        staff.GivenName = details.GivenName;
        staff.FamilyName = details.FamilyName;
        staff.DateOfBirth = details.DateOfBirth;
        staff.AssignmentNumber = details.AssignmentNumber;
        staff.StaffGroup = details.StaffGroup;
        staff.JobTitle = details.JobTitle;
        staff.Subject = details.Subject;
        staff.Email = details.Email;
        staff.Mobile = details.Mobile;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            return CreateStaff.DuplicateAssignment(details.AssignmentNumber);
        }
        return TypedResults.Ok(staff.ToResponse());
    }
}
