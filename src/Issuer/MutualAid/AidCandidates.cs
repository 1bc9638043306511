using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.MutualAid;

public sealed record AidCandidate(Guid Id, string GivenName, string FamilyName, string AssignmentNumber, string? StaffGroup, string? JobTitle);

/// <summary>A page of staff to pick from, and every staff group and job title among the organisation's staff to filter by.</summary>
public sealed record AidCandidatePage(
    IReadOnlyList<AidCandidate> Items, int Page, int PageSize, int Total, IReadOnlyList<string> StaffGroups, IReadOnlyList<string> JobTitles);

/// <summary>HR's staff to pick for a mutual-aid request, filtered by staff group, job title and name or assignment number, a page at a time.</summary>
internal static class AidCandidates
{
    private const int MaxFilterValues = 500;

    public static async Task<Results<Ok<AidCandidatePage>, ValidationProblem>> Handle(
        [MaxLength(100, ErrorMessage = "A staff group has at most 100 characters.")] string? staffGroup,
        [MaxLength(200, ErrorMessage = "A job title has at most 200 characters.")] string? jobTitle,
        [MaxLength(100, ErrorMessage = "Search with at most 100 characters.")] string? search,
        [PageNumber] int? page, [PageSize] int? pageSize, ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var (p, size) = Paging.Read(page, pageSize);

        var ods = user.OdsCode();
        var staff = db.Staff.AsNoTracking().Where(s => s.OdsCode == ods);
        var query = staff;
        if (staffGroup?.Trim() is { Length: > 0 } group)
            query = query.Where(s => s.StaffGroup == group);
        if (jobTitle?.Trim() is { Length: > 0 } title)
            query = query.Where(s => s.JobTitle == title);
        if (search?.Trim() is { Length: > 0 } term)
            query = query.NamedOrNumbered(db.Database, term);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(s => s.FamilyName).ThenBy(s => s.GivenName).ThenBy(s => s.Id).Skip((p - 1) * size).Take(size)
            .Select(s => new AidCandidate(s.Id, s.GivenName, s.FamilyName, s.AssignmentNumber, s.StaffGroup, s.JobTitle)).ToListAsync(cancellationToken);
        var groups = await staff.Where(s => s.StaffGroup != null).Select(s => s.StaffGroup!).Distinct().OrderBy(g => g).Take(MaxFilterValues).ToListAsync(cancellationToken);
        var titles = await staff.Where(s => s.JobTitle != null).Select(s => s.JobTitle!).Distinct().OrderBy(t => t).Take(MaxFilterValues).ToListAsync(cancellationToken);
        return TypedResults.Ok(new AidCandidatePage(items, p, size, total, groups, titles));
    }
}
