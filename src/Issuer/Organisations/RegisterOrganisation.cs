using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Organisations;

/// <summary>An organisation admin registers their own organisation (known by the ODS code in their token), or renames it.</summary>
internal static partial class RegisterOrganisation
{
    public sealed record RegisterOrganisationRequest(
        [Required(ErrorMessage = NameError)][MaxLength(200, ErrorMessage = NameError)] string? Name);

    private const string NameError = "Give the organisation's name, at most 200 characters.";

    public static async Task<Results<Created<OrganisationResponse>, Ok<OrganisationResponse>, ValidationProblem>> Handle(
        RegisterOrganisationRequest request, ClaimsPrincipal user, IssuerDbContext db, IOptions<IssuerOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var name = request.Name!.Trim();

        var ods = user.OdsCode();
        if (!OdsCode().IsMatch(ods))
            return Problems.Validation(new Dictionary<string, string[]> { ["org"] = [$"Your token's organisation '{ods}' is not an ODS code (3 to 10 capital letters and digits)."] });
        var organisation = await db.Organisations.FirstOrDefaultAsync(o => o.OdsCode == ods, cancellationToken);
        if (organisation is not null)
        {
            organisation.Name = name;
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Ok(organisation.ToResponse(options.Value));
        }
        organisation = new Organisation { OdsCode = ods, Name = name, CreatedAt = time.GetUtcNow() };
        db.Organisations.Add(organisation);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            // Two admins registered at once: the other one's insert won; apply this name to it.
            db.ChangeTracker.Clear();
            organisation = await db.Organisations.FirstAsync(o => o.OdsCode == ods, cancellationToken);
            organisation.Name = name;
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Ok(organisation.ToResponse(options.Value));
        }
        return TypedResults.Created("/api/organisation", organisation.ToResponse(options.Value));
    }

    [GeneratedRegex("^[A-Z0-9]{3,10}$")]
    private static partial Regex OdsCode();
}
