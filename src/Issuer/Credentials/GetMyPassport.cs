using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Catalogue;
using Passport.Issuer.Data;
using Passport.Issuer.Staff;

namespace Passport.Issuer.Credentials;

/// <summary>
/// A member of staff reads their own passport: every credential with its status and expiry, and its SD-JWT VC
/// (the route for staff without a wallet: they hand it on, or a receiving organisation pulls it with their consent).
/// </summary>
internal static class GetMyPassport
{
    public sealed record PassportCredential(
        Guid Id, string Type, string Name, string Vct, string Status, string? StatusReason, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, bool Expired,
        JsonObject? Claims, string? SdJwt);

    public sealed record PassportResponse(Guid StaffId, string OdsCode, string GivenName, string FamilyName, IReadOnlyList<PassportCredential> Credentials);

    public static async Task<Results<Ok<PassportResponse>, ProblemHttpResult>> Handle(ClaimsPrincipal user, IssuerDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var (staff, problem) = await CurrentStaff.FindAsync(user, db, cancellationToken);
        if (staff is null)
            return problem!;
        var now = time.GetUtcNow();
        var rows = await db.Credentials.AsNoTracking().Where(c => c.OdsCode == staff.OdsCode && c.StaffId == staff.Id).OrderByDescending(c => c.Id)
            .Select(c => new { c.Id, c.Type, c.Vct, c.Status, c.StatusReason, c.IssuedAt, c.ExpiresAt, c.Claims, c.SdJwt })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PassportResponse(staff.Id, staff.OdsCode, staff.GivenName, staff.FamilyName,
        [
            .. rows.Select(c => new PassportCredential(
                c.Id, c.Type, CredentialCatalogue.Find(c.Type)?.Name ?? c.Type, c.Vct, GetCredential.StatusName(c.Status), c.StatusReason, c.IssuedAt, c.ExpiresAt,
                c.ExpiresAt <= now, JsonNode.Parse(c.Claims) as JsonObject, c.SdJwt)),
        ]));
    }
}
