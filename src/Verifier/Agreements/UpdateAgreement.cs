using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.ServiceDefaults;
using Passport.Verifier.Data;

namespace Passport.Verifier.Agreements;

/// <summary>Adds a new version of an agreement. Earlier versions stay, so decisions made under them can still be explained.</summary>
internal static class UpdateAgreement
{
    public static async Task<Results<Ok<AgreementResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, AgreementDocument document, ClaimsPrincipal user, VerifierDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var agreement = await db.Set<Agreement>().FirstOrDefaultAsync(a => a.Id == id && a.OdsCode == ods, cancellationToken);
        if (agreement is null)
            return AgreementProblems.NotFound(id);
        if (AgreementValidation.Validate(document, ods, out var errors) is not { } rules)
            return Problems.Validation(errors, "The agreement is not valid; errors names each bad field and rule.");

        var previous = await db.Set<AgreementVersion>().AsNoTracking()
            .FirstAsync(v => v.AgreementId == id && v.Version == agreement.CurrentVersion, cancellationToken);
        var version = agreement.AddVersion(document, rules.Title, user.Actor(), time.GetUtcNow());
        db.Set<AgreementVersion>().Add(version);
        db.Set<AgreementAuditEntry>().Add(AgreementAuditEntry.For(agreement, version, previous));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            return Problems.Conflict("agreement_version_conflict", "Someone else saved a new version of this agreement at the same time; read it again and reapply your change.");
        }
        return TypedResults.Ok(agreement.ToResponse(version));
    }
}

internal static class AgreementProblems
{
    public static ProblemHttpResult NotFound(Guid id) =>
        Problems.NotFound("agreement_not_found", $"Your organisation has no agreement {id}.");
}
