using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Issuer.Data;

namespace Passport.Issuer.Organisations;

/// <summary>
/// Every registered organisation by name, for any signed-in caller: a screen names the organisation behind an ODS code or an
/// issuer identifier (a party to an agreement, the issuer of a presented credential) instead of showing the code.
/// </summary>
internal static class ListOrganisations
{
    public static async Task<IReadOnlyList<OrganisationResponse>> Handle(IssuerDbContext db, IOptions<IssuerOptions> options, CancellationToken cancellationToken)
    {
        var organisations = await db.Organisations.AsNoTracking().OrderBy(o => o.Name).ToListAsync(cancellationToken);
        return [.. organisations.Select(o => o.ToResponse(options.Value))];
    }
}
