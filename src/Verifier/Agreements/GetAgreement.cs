using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.ServiceDefaults;
using Passport.Verifier.Data;

namespace Passport.Verifier.Agreements;

/// <summary>An agreement's current version, or the one asked for with <c>?version=</c>.</summary>
internal static class GetAgreement
{
    public static async Task<Results<Ok<AgreementResponse>, ProblemHttpResult>> Handle(
        Guid id, int? version, ClaimsPrincipal user, VerifierDbContext db, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var agreement = await db.Set<Agreement>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == id && a.OdsCode == ods, cancellationToken);
        if (agreement is null)
            return AgreementProblems.NotFound(id);
        var wanted = version ?? agreement.CurrentVersion;
        var found = await db.Set<AgreementVersion>().AsNoTracking().FirstOrDefaultAsync(v => v.AgreementId == id && v.Version == wanted, cancellationToken);
        return found is null
            ? Problems.NotFound("agreement_version_not_found", $"Agreement {id} has versions 1 to {agreement.CurrentVersion}; there is no version {wanted}.")
            : TypedResults.Ok(agreement.ToResponse(found));
    }
}

internal static class ListAgreements
{
    public static async Task<Ok<List<AgreementSummary>>> Handle(ClaimsPrincipal user, VerifierDbContext db, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var list = await db.Set<Agreement>().AsNoTracking()
            .Where(a => a.OdsCode == ods)
            .OrderBy(a => a.Title).ThenBy(a => a.Id)
            .Select(a => new AgreementSummary(a.Id, a.Title, a.CurrentVersion, a.CreatedAt, a.UpdatedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(list);
    }
}
