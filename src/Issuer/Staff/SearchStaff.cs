using System.ComponentModel.DataAnnotations;
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
        [MaxLength(100, ErrorMessage = "Search with at most 100 characters.")] string? search, [PageNumber] int? page, [PageSize] int? pageSize,
        ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var (p, size) = Paging.Read(page, pageSize);

        var ods = user.OdsCode();
        var query = db.Staff.AsNoTracking().Where(s => s.OdsCode == ods);
        if (!string.IsNullOrWhiteSpace(search))
            query = query.NamedOrNumbered(db.Database, search.Trim());
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(s => s.FamilyName).ThenBy(s => s.GivenName).ThenBy(s => s.Id)
            .Skip((p - 1) * size).Take(size)
            .Select(s => new StaffSummary(s.Id, s.GivenName, s.FamilyName, s.AssignmentNumber, s.JobTitle))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PageResponse<StaffSummary>(items, p, size, total));
    }
}
