using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Passport.ServiceDefaults;
using Passport.Verifier.Data;

namespace Passport.Verifier.Agreements;

/// <summary>Records a new workforce sharing agreement as version 1, after validating every field and rule.</summary>
internal static class CreateAgreement
{
    public static async Task<Results<Created<AgreementResponse>, ValidationProblem>> Handle(
        AgreementDocument document, ClaimsPrincipal user, VerifierDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        if (AgreementValidation.Validate(document, ods, out var errors) is not { } rules)
            return Problems.Validation(errors, "The agreement is not valid; errors names each bad field and rule.");

        var now = time.GetUtcNow();
        var agreement = new Agreement { OdsCode = ods, Title = rules.Title, CreatedAt = now };
        var version = agreement.AddVersion(document, rules.Title, user.Actor(), now);
        db.Set<Agreement>().Add(agreement);
        db.Set<AgreementVersion>().Add(version);
        db.Set<AgreementAuditEntry>().Add(AgreementAuditEntry.For(agreement, version, previous: null));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/agreements/{agreement.Id}", agreement.ToResponse(version));
    }
}
