using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.Issuer.Organisations;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Staff;

internal static class CreateStaff
{
    public sealed record CreateStaffRequest(
        string? GivenName, string? FamilyName, string? DateOfBirth, string? AssignmentNumber, string? StaffGroup, string? JobTitle, string? Subject,
        IReadOnlyList<RegistrationInput?>? Registrations, string? Email = null, string? Mobile = null);

    public static async Task<Results<Created<StaffResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        CreateStaffRequest request, ClaimsPrincipal user, IssuerDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var details = StaffValidation.Check(
            new StaffDetails(request.GivenName, request.FamilyName, request.DateOfBirth, request.AssignmentNumber, request.StaffGroup, request.JobTitle, request.Subject,
                request.Email, request.Mobile),
            DateOnly.FromDateTime(now.UtcDateTime), errors);
        var registrations = StaffValidation.CheckRegistrations(request.Registrations, "registrations", errors);
        if (details is null || registrations is null || errors.Count > 0)
            return Problems.Validation(errors);

        var ods = user.OdsCode();
        if (!await db.Organisations.AnyAsync(o => o.OdsCode == ods, cancellationToken))
            return GetOrganisation.NotRegistered(ods);

        if (details.Subject is { } subject && await db.Staff.AnyAsync(s => s.OdsCode == ods && s.Subject == subject, cancellationToken))
            return SubjectTaken();
        var staff = new StaffMember
        {
            OdsCode = ods, GivenName = details.GivenName, FamilyName = details.FamilyName, DateOfBirth = details.DateOfBirth,
            AssignmentNumber = details.AssignmentNumber, StaffGroup = details.StaffGroup, JobTitle = details.JobTitle, Subject = details.Subject,
            Email = details.Email, Mobile = details.Mobile, Registrations = registrations, CreatedAt = now,
        };
        db.Staff.Add(staff);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            return DuplicateAssignment(details.AssignmentNumber);
        }
        return TypedResults.Created($"/api/staff/{staff.Id}", staff.ToResponse());
    }

    public static ProblemHttpResult SubjectTaken() =>
        Problems.Conflict("subject_already_linked", "Another staff record of your organisation is already linked to this sign-in subject.");

    public static ProblemHttpResult DuplicateAssignment(string assignmentNumber) =>
        Problems.Conflict("duplicate_assignment_number", $"Your organisation already has a staff record with assignment number {assignmentNumber}.");
}
