using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.Issuer.Staff;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Credentials;

internal static class ListStaffCredentials
{
    public sealed record CredentialSummary(
        Guid Id, string Type, string Status, string? StatusReason, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, bool Expired, string? SourceReference, Guid? ReplacesId);

    public static async Task<Results<Ok<IReadOnlyList<CredentialSummary>>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal user, IssuerDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        if (!await db.Staff.AnyAsync(s => s.Id == id && s.OdsCode == ods, cancellationToken))
            return GetStaff.NotFound(id);
        var now = time.GetUtcNow();
        // Newest first: ids are version 7 GUIDs, ordered by creation time (and SQLite cannot order by DateTimeOffset).
        var rows = await db.Credentials.AsNoTracking().Where(c => c.OdsCode == ods && c.StaffId == id).OrderByDescending(c => c.Id)
            .Select(c => new { c.Id, c.Type, c.Status, c.StatusReason, c.IssuedAt, c.ExpiresAt, c.SourceReference, c.ReplacesId })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<CredentialSummary>>(
            [.. rows.Select(c => new CredentialSummary(c.Id, c.Type, GetCredential.StatusName(c.Status), c.StatusReason, c.IssuedAt, c.ExpiresAt, c.ExpiresAt <= now, c.SourceReference, c.ReplacesId))]);
    }
}
