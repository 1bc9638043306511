using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Organisations;

public sealed record OrganisationResponse(string OdsCode, string Name, string IssuerId, DateTimeOffset CreatedAt);

internal static class GetOrganisation
{
    public static async Task<Results<Ok<OrganisationResponse>, ProblemHttpResult>> Handle(
        ClaimsPrincipal user, IssuerDbContext db, IOptions<IssuerOptions> options, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var organisation = await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.OdsCode == ods, cancellationToken);
        return organisation is null
            ? NotRegistered(ods)
            : TypedResults.Ok(organisation.ToResponse(options.Value));
    }

    public static ProblemHttpResult NotRegistered(string ods) =>
        Problems.Conflict("organisation_not_registered", $"Organisation {ods} is not registered yet: an organisation admin registers it with PUT /api/organisation.");

    public static OrganisationResponse ToResponse(this Organisation o, IssuerOptions options) => new(o.OdsCode, o.Name, options.IssuerIdFor(o.OdsCode), o.CreatedAt);
}
