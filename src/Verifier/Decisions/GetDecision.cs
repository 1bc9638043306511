using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.ServiceDefaults;
using Passport.Verifier.Data;

namespace Passport.Verifier.Decisions;

internal static class GetDecision
{
    public static async Task<Results<Ok<DecisionResponse>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal user, VerifierDbContext db, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var decision = await db.Set<Decision>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == id && d.OdsCode == ods, cancellationToken);
        return decision is null
            ? Problems.NotFound("decision_not_found", $"Your organisation has no decision {id}.")
            : TypedResults.Ok(decision.ToResponse());
    }
}
