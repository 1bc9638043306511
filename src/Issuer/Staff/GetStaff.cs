using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Staff;

public sealed record RegistrationResponse(string Register, string Number, string Status, DateOnly? ExpiresOn);

public sealed record StaffResponse(
    Guid Id, string OdsCode, string GivenName, string FamilyName, DateOnly DateOfBirth, string AssignmentNumber, string? StaffGroup,
    string? JobTitle, string? Subject, IReadOnlyList<RegistrationResponse> Registrations, DateTimeOffset CreatedAt, string? Email = null, string? Mobile = null);

internal static class GetStaff
{
    public static async Task<Results<Ok<StaffResponse>, ProblemHttpResult>> Handle(Guid id, ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var staff = await db.Staff.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.OdsCode == ods, cancellationToken);
        return staff is null ? NotFound(id) : TypedResults.Ok(staff.ToResponse());
    }

    public static ProblemHttpResult NotFound(Guid id) => Problems.NotFound("staff_not_found", $"Your organisation has no staff record {id}.");

    public static StaffResponse ToResponse(this StaffMember s) => new(
        s.Id, s.OdsCode, s.GivenName, s.FamilyName, s.DateOfBirth, s.AssignmentNumber, s.StaffGroup, s.JobTitle, s.Subject,
        [.. s.Registrations.Select(r => new RegistrationResponse(r.Register, r.Number, r.Status, r.ExpiresOn))], s.CreatedAt, s.Email, s.Mobile);
}
