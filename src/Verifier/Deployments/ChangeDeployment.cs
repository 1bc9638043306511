using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Contracts;
using Passport.Messaging;
using Passport.ServiceDefaults;
using Passport.Verifier.Data;

namespace Passport.Verifier.Deployments;

/// <summary>The host extends a deployment within the agreement's maximum, or ends it. Each change commits with its event.</summary>
internal static class ChangeDeployment
{
    public sealed record ExtendDeploymentRequest(DateOnly? NewEnd);

    public static async Task<Results<Ok<DeploymentResponse>, ValidationProblem, ProblemHttpResult>> Extend(
        Guid id, ExtendDeploymentRequest request, ClaimsPrincipal user, VerifierDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request.NewEnd is not { } newEnd)
            return Problems.Validation(new Dictionary<string, string[]> { ["newEnd"] = ["Give the new last day (yyyy-mm-dd)."] });
        var deployment = await FindAsync(db, user, id, cancellationToken);
        if (deployment is null)
            return NotFound(id);
        var now = time.GetUtcNow();
        var previousEnd = deployment.End;
        if (deployment.State == DeploymentState.Active && newEnd > deployment.LatestEnd)
            return Problems.Problem(StatusCodes.Status400BadRequest, "beyond_agreement_maximum", deployment.BeyondLatestEnd);
        // The decision checked the credentials through the end it was asked about; a later end is checked again here.
        if (deployment.State == DeploymentState.Active
            && deployment.Credentials.Where(c => c.LastDayCovered() < newEnd).MinBy(c => c.ExpiresAt) is { } lapsing)
        {
            var coveredUntil = deployment.Credentials.Min(c => c.LastDayCovered())!.Value;
            return Problems.Problem(StatusCodes.Status409Conflict, "credential_lapses_before_new_end",
                $"The credential {lapsing.Vct} this deployment relies on is valid through {lapsing.LastDayCovered():yyyy-MM-dd}, before the new last day " +
                $"{newEnd:yyyy-MM-dd}. Extend to {coveredUntil:yyyy-MM-dd} at the latest, or verify the renewed credential for a new deployment.");
        }
        if (!deployment.TryExtend(newEnd, now, out var problem))
            return deployment.State == DeploymentState.Active ? Problems.BadRequest("invalid_new_end", problem!) : Problems.Conflict("invalid_deployment_state", problem!);
        db.AddOutboxMessage(new DeploymentExtended
        {
            DeploymentId = deployment.Id, HostOdsCode = deployment.HostOdsCode, HomeOdsCode = deployment.HomeOdsCode, PreviousEnd = previousEnd, NewEnd = newEnd,
        }, now);
        return await SaveAsync(db, deployment, cancellationToken);
    }

    public static async Task<Results<Ok<DeploymentResponse>, ValidationProblem, ProblemHttpResult>> End(
        Guid id, ClaimsPrincipal user, VerifierDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var deployment = await FindAsync(db, user, id, cancellationToken);
        if (deployment is null)
            return NotFound(id);
        var now = time.GetUtcNow();
        if (!deployment.TryEnd(DateOnly.FromDateTime(now.UtcDateTime), now, out var problem))
            return Problems.Conflict("invalid_deployment_state", problem!);
        db.AddOutboxMessage(new DeploymentEnded
        {
            DeploymentId = deployment.Id, HostOdsCode = deployment.HostOdsCode, HomeOdsCode = deployment.HomeOdsCode, EndedOn = deployment.EndedOn!.Value,
        }, now);
        return await SaveAsync(db, deployment, cancellationToken);
    }

    private static Task<Deployment?> FindAsync(VerifierDbContext db, ClaimsPrincipal user, Guid id, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        return db.Set<Deployment>().FirstOrDefaultAsync(d => d.Id == id && d.HostOdsCode == ods, cancellationToken);
    }

    private static ProblemHttpResult NotFound(Guid id) => Problems.NotFound("deployment_not_found", $"Your organisation has no deployment {id}.");

    private static async Task<Results<Ok<DeploymentResponse>, ValidationProblem, ProblemHttpResult>> SaveAsync(
        VerifierDbContext db, Deployment deployment, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("deployment_changed", "The deployment changed while you were changing it; read it again and retry.");
        }
        return TypedResults.Ok(deployment.ToResponse());
    }
}
