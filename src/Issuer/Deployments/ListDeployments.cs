using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Deployments;

/// <summary>HR sees where their staff are deployed, under which agreement, from when to when, and what happened.</summary>
internal static class ListDeployments
{
    public static async Task<Ok<List<HomeDeploymentResponse>>> ForOrganisation(string? state, ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var query = db.Set<HomeDeployment>().AsNoTracking().Where(d => d.HomeOdsCode == ods);
        if (!string.IsNullOrWhiteSpace(state))
            query = query.Where(d => d.State == state);
        var rows = await query.OrderByDescending(d => d.Start).Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(d => d.ToResponse()).ToList());
    }

    /// <summary>One deployment of the organisation's staff: the page a message about it links to.</summary>
    public static async Task<Results<Ok<HomeDeploymentResponse>, ProblemHttpResult>> One(Guid id, ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var row = await db.Set<HomeDeployment>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == id && d.HomeOdsCode == ods, cancellationToken);
        return row is null
            ? Problems.NotFound("deployment_not_found", "None of your organisation's staff has this deployment. Check the link, or find it in the list of deployments.")
            : TypedResults.Ok(row.ToResponse());
    }

    public static async Task<Results<Ok<List<HomeDeploymentResponse>>, ProblemHttpResult>> ForStaff(Guid staffId, ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        if (!await db.Staff.AnyAsync(s => s.Id == staffId && s.OdsCode == ods, cancellationToken))
            return Problems.NotFound("staff_not_found", $"Your organisation has no member of staff {staffId}.");
        var rows = await db.Set<HomeDeployment>().AsNoTracking().Where(d => d.HomeOdsCode == ods && d.StaffId == staffId)
            .OrderByDescending(d => d.Start).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(d => d.ToResponse()).ToList());
    }

    /// <summary>A member of staff's own deployments, from their sign-in's staff record.</summary>
    public static async Task<Ok<List<HomeDeploymentResponse>>> ForMe(ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var (ods, staffId) = (user.OdsCode(), user.StaffId());
        var rows = await db.Set<HomeDeployment>().AsNoTracking().Where(d => d.HomeOdsCode == ods && d.StaffId == staffId)
            .OrderByDescending(d => d.Start).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(d => d.ToResponse()).ToList());
    }
}
