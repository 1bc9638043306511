using System.ComponentModel.DataAnnotations;
using System.ComponentModel;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Contracts;
using Passport.Issuer.Data;
using Passport.Messaging;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Deployments;

/// <summary>The home organisation approves or declines a deployment of one of its staff; the answer flows back as an event.</summary>
internal static class DecideDeployment
{
    public sealed record DeclineRequest(
        [Description("Why the home organisation declines, shown to the host.")][Required(ErrorMessage = ReasonError)][MaxLength(500, ErrorMessage = ReasonError)] string? Reason);

    private const string ReasonError = "Say why, in under 500 characters; the host organisation sees it.";

    public static async Task<Results<Ok<HomeDeploymentResponse>, ProblemHttpResult>> Approve(
        Guid id, ClaimsPrincipal user, IssuerDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var d = await db.Set<HomeDeployment>().FirstOrDefaultAsync(x => x.Id == id && x.HomeOdsCode == user.OdsCode(), cancellationToken);
        if (d is null)
            return Problems.NotFound("deployment_not_found", $"None of your staff has a deployment {id}.");
        var now = time.GetUtcNow();
        if (!d.TryApprove(user.Actor(), now, out var problem))
            return Problems.Conflict("deployment_not_awaiting_approval", problem!);
        db.AddOutboxMessage(new DeploymentApproved { DeploymentId = d.Id, HomeOdsCode = d.HomeOdsCode, ApprovedAt = now }, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(d.ToResponse());
    }

    public static async Task<Results<Ok<HomeDeploymentResponse>, ProblemHttpResult, ValidationProblem>> Decline(
        Guid id, DeclineRequest request, ClaimsPrincipal user, IssuerDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var d = await db.Set<HomeDeployment>().FirstOrDefaultAsync(x => x.Id == id && x.HomeOdsCode == user.OdsCode(), cancellationToken);
        if (d is null)
            return Problems.NotFound("deployment_not_found", $"None of your staff has a deployment {id}.");
        var now = time.GetUtcNow();
        if (!d.TryDecline(request.Reason!, now, out var problem))
            return Problems.Conflict("deployment_not_awaiting_approval", problem!);
        db.AddOutboxMessage(new DeploymentDeclined { DeploymentId = d.Id, HomeOdsCode = d.HomeOdsCode, Reason = request.Reason!, DeclinedAt = now }, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(d.ToResponse());
    }
}

public sealed record HomeDeploymentResponse(
    Guid Id, Guid StaffId, string HostOdsCode, string? HostSite, Guid AgreementId, DateOnly Start, DateOnly End,
    [AllowedValuesFrom(typeof(DeploymentStates))] string State,
    DateTimeOffset UpdatedAt, IReadOnlyList<HomeDeploymentEventResponse> History);

public sealed record HomeDeploymentEventResponse(string Event, DateTimeOffset At, string? Detail);

internal static class HomeDeploymentMapping
{
    public static HomeDeploymentResponse ToResponse(this HomeDeployment d) =>
        new(d.Id, d.StaffId, d.HostOdsCode, d.HostSite, d.AgreementId, d.Start, d.End, d.State, d.UpdatedAt,
            [.. d.History.Select(h => new HomeDeploymentEventResponse(h.Event, h.At, h.Detail))]);
}
