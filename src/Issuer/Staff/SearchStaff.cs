using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Staff;

/// <summary>HR finds their own organisation's staff by name or assignment number, a page at a time.</summary>
internal static class SearchStaff
{
    public sealed record StaffSummary(Guid Id, string GivenName, string FamilyName, string AssignmentNumber, string? JobTitle);

    public static async Task<Results<Ok<PageResponse<StaffSummary>>, ValidationProblem>> Handle(
        string? search, int? page, int? pageSize, ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (search is { Length: > 100 })
            errors["search"] = ["Search with at most 100 characters."];
        if (!Paging.TryRead(page, pageSize, out var p, out var size, errors))
            return Problems.Validation(errors);

        var ods = user.OdsCode();
        var query = db.Staff.AsNoTracking().Where(s => s.OdsCode == ods);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            var escaped = term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
            var pattern = "%" + escaped + "%";
            // Case-insensitive on both stores: PostgreSQL's LIKE is case-sensitive, SQLite's is not (for ASCII).
            query = db.Database.IsNpgsql()
                ? query.Where(s => EF.Functions.ILike(s.GivenName + " " + s.FamilyName, pattern, "\\") || EF.Functions.ILike(s.FamilyName, pattern, "\\")
                    || EF.Functions.ILike(s.AssignmentNumber, escaped, "\\"))
                : query.Where(s => EF.Functions.Like(s.GivenName + " " + s.FamilyName, pattern, "\\") || EF.Functions.Like(s.FamilyName, pattern, "\\")
                    || EF.Functions.Like(s.AssignmentNumber, escaped, "\\"));
        }
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(s => s.FamilyName).ThenBy(s => s.GivenName).ThenBy(s => s.Id)
            .Skip((p - 1) * size).Take(size)
            .Select(s => new StaffSummary(s.Id, s.GivenName, s.FamilyName, s.AssignmentNumber, s.JobTitle))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PageResponse<StaffSummary>(items, p, size, total));
    }
}
