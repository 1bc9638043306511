using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Audit;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Staff;

public sealed record EnrolmentRequest(string? Code) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (EnrolmentCodes.Normalise(Code) is null)
            yield return new ValidationResult("Enter the 12-character enrolment code HR gave you, for example 7KQ2-M4XD-9PRT.", [nameof(Code)]);
    }
}

public sealed record EnrolmentResponse(Guid StaffId, string GivenName, string FamilyName);

/// <summary>The signed-in member of staff redeems HR's enrolment code: their staff record is linked to their sign-in's subject.</summary>
internal static class RedeemEnrolmentCode
{
    public static async Task<Results<Ok<EnrolmentResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        EnrolmentRequest request, ClaimsPrincipal user, IssuerDbContext db, EnrolmentCodes codes, TimeProvider time, CancellationToken cancellationToken)
    {
        var normalised = EnrolmentCodes.Normalise(request.Code)!;
        var subject = user.FindFirstValue("sub");
        if (string.IsNullOrEmpty(subject) || subject.Length > 200)
            return Problems.BadRequest("no_subject", "Your sign-in carries no usable subject (sub) to link; ask your identity team.");

        var ods = user.OdsCode();
        var digest = codes.Digest(normalised);
        var staff = await db.Staff.FirstOrDefaultAsync(s => s.OdsCode == ods && s.EnrolmentCodeHash == digest, cancellationToken);
        var now = time.GetUtcNow();
        if (staff is null || staff.EnrolmentCodeExpiresAt is not { } expires || expires <= now)
            return InvalidCode();
        if (await db.Staff.AnyAsync(s => s.OdsCode == ods && s.Subject == subject && s.Id != staff.Id, cancellationToken))
            return AlreadyLinked();
        if (!staff.TryEnrol(subject, now))
            return InvalidCode();
        db.Audit.Add(new AuditEntry { OdsCode = ods, StaffId = staff.Id, Action = AuditActions.Enrolled, Actor = subject, At = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            return AlreadyLinked();
        }
        return TypedResults.Ok(new EnrolmentResponse(staff.Id, staff.GivenName, staff.FamilyName));
    }

    private static ProblemHttpResult InvalidCode() =>
        Problems.BadRequest("invalid_enrolment_code", "This enrolment code is not known to your organisation, was already used or has expired; ask HR for a new one.");

    private static ProblemHttpResult AlreadyLinked() =>
        Problems.Conflict("sign_in_already_linked", "Your sign-in is already linked to another staff record of your organisation; ask HR to correct it.");
}
