using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.ServiceDefaults;
using Passport.Verifier.Data;

namespace Passport.Verifier.Deployments;

/// <summary>The host's deployments: one, or a page of them, optionally in one state.</summary>
internal static class GetDeployments
{
    private const int PageSize = 100;

    public static async Task<Results<Ok<DeploymentResponse>, ProblemHttpResult>> One(
        Guid id, ClaimsPrincipal user, VerifierDbContext db, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var deployment = await db.Set<Deployment>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == id && d.HostOdsCode == ods, cancellationToken);
        return deployment is null
            ? Problems.NotFound("deployment_not_found", $"Your organisation has no deployment {id}.")
            : TypedResults.Ok(deployment.ToResponse());
    }

    public static async Task<Results<Ok<List<DeploymentResponse>>, ValidationProblem>> List(
        [DeploymentStateName] string? state, ClaimsPrincipal user, VerifierDbContext db, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var query = db.Set<Deployment>().AsNoTracking().Where(d => d.HostOdsCode == ods);
        if (DeploymentMapping.TryParseState(state, out var wanted))
            query = query.Where(d => d.State == wanted);
        var page = await query.OrderByDescending(d => d.CreatedAt).Take(PageSize).ToListAsync(cancellationToken);
        return TypedResults.Ok(page.Select(d => d.ToResponse()).ToList());
    }
}

/// <summary>A deployment state as the API names it, or none.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
internal sealed class DeploymentStateNameAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is null || DeploymentMapping.TryParseState(value as string, out _);

    public override string FormatErrorMessage(string name) => "Filter by one of awaiting_approval, active, declined, ended.";
}
