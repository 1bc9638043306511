using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Staff;

/// <summary>HR replaces a staff record's professional registrations (register, number, status, renewal date).</summary>
internal static class UpdateRegistrations
{
    public sealed record UpdateRegistrationsRequest(
        [Required(ErrorMessage = "Give the full list of registrations (an empty list removes them all).")] IReadOnlyList<RegistrationInput?>? Registrations);

    public static async Task<Results<Ok<StaffResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, UpdateRegistrationsRequest request, ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var registrations = StaffValidation.CheckRegistrations(request.Registrations, "registrations", errors);
        if (registrations is null || errors.Count > 0)
            return Problems.Validation(errors);

        var ods = user.OdsCode();
        var staff = await db.Staff.FirstOrDefaultAsync(s => s.Id == id && s.OdsCode == ods, cancellationToken);
        if (staff is null)
            return GetStaff.NotFound(id);
        staff.Registrations.Clear();
        staff.Registrations.AddRange(registrations);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(staff.ToResponse());
    }
}
