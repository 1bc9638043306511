using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.ServiceDefaults;
using Passport.Verifier.Data;
using Passport.Verifier.Decisions;
using Passport.Verifier.Deployments;

namespace Passport.Verifier.MutualAid;

public sealed record HostAidRequestSummary(
    Guid RequestId, string HomeOdsCode, Guid AgreementId, string Role, DateOnly Start, DateOnly End, int Consented, int Decided, int Accepted, int Deployed);

public sealed record HostAidRequestResponse(
    Guid RequestId, string HomeOdsCode, Guid AgreementId, string Role, DateOnly Start, DateOnly End, string StartAll, string? HostSite,
    IReadOnlyList<HostAidMemberResponse> Members);

/// <summary>
/// One consenting person: <c>waiting_for_presentation</c>, <c>accepted</c>, <c>not_accepted</c> (with why, in words),
/// <c>deployed</c> or <c>not_started</c> (start-all could not start it, with why).
/// </summary>
public sealed record HostAidMemberResponse(
    Guid MemberId, Guid StaffId, string? GivenName, string? FamilyName, string State, string? Reason, Guid? PresentationRequestId, Guid? DecisionId,
    Guid? DeploymentId, string? DeploymentState);

internal static class GetAidRequests
{
    public static async Task<Ok<List<HostAidRequestSummary>>> List(ClaimsPrincipal user, VerifierDbContext db, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var rows = await db.Set<HostAidMember>().AsNoTracking().Where(m => m.HostOdsCode == ods)
            .GroupBy(m => new { m.RequestId, m.HomeOdsCode, m.AgreementId, m.Role, m.Start, m.End })
            .Select(g => new HostAidRequestSummary(g.Key.RequestId, g.Key.HomeOdsCode, g.Key.AgreementId, g.Key.Role, g.Key.Start, g.Key.End, g.Count(),
                g.Count(m => m.DecidedAt != null), g.Count(m => m.Accepted == true), g.Count(m => m.DeploymentId != null)))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.OrderByDescending(r => r.RequestId).ToList());
    }

    public static async Task<Results<Ok<HostAidRequestResponse>, ProblemHttpResult>> One(
        Guid requestId, ClaimsPrincipal user, VerifierDbContext db, CancellationToken cancellationToken)
    {
        var view = await ViewAsync(db, user.OdsCode(), requestId, cancellationToken);
        return view is null ? NotFound(requestId) : TypedResults.Ok(view);
    }

    public static ProblemHttpResult NotFound(Guid requestId) =>
        Problems.NotFound("aid_request_not_found", $"Nobody has consented to mutual-aid request {requestId} with your organisation as the host.");

    public static async Task<HostAidRequestResponse?> ViewAsync(VerifierDbContext db, string ods, Guid requestId, CancellationToken cancellationToken)
    {
        var members = await db.Set<HostAidMember>().AsNoTracking().Where(m => m.HostOdsCode == ods && m.RequestId == requestId)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync(cancellationToken);
        if (members.Count == 0)
            return null;
        var decisionIds = members.Where(m => m.DecisionId is not null).Select(m => m.DecisionId!.Value).ToList();
        var decisions = await db.Set<Decision>().AsNoTracking().Where(d => decisionIds.Contains(d.Id))
            .Select(d => new { d.Id, d.GivenName, d.FamilyName, d.Requirements }).ToDictionaryAsync(d => d.Id, cancellationToken);
        var memberIds = members.Select(m => m.Id).ToList();
        var deployments = await db.Set<Deployment>().AsNoTracking().Where(d => memberIds.Contains(d.Id))
            .Select(d => new { d.Id, d.State }).ToDictionaryAsync(d => d.Id, d => d.State, cancellationToken);
        var start = await db.Set<AidStart>().AsNoTracking().FirstOrDefaultAsync(s => s.RequestId == requestId && s.HostOdsCode == ods, cancellationToken);
        var first = members[0];
        return new HostAidRequestResponse(first.RequestId, first.HomeOdsCode, first.AgreementId, first.Role, first.Start, first.End,
            start is null ? "not_requested" : start.CompletedAt is null ? "in_progress" : "done", start?.HostSite,
            members.Select(m =>
            {
                var decision = m.DecisionId is { } id && decisions.TryGetValue(id, out var d) ? d : null;
                var deployed = m.DeploymentId is { } did && deployments.TryGetValue(did, out var state) ? state : (DeploymentState?)null;
                var (status, reason) = m switch
                {
                    { DeploymentId: not null } => ("deployed", null),
                    { StartProblem: { } problem } => ("not_started", problem),
                    { Accepted: true } => ("accepted", null),
                    { DecidedAt: not null } => ("not_accepted", m.Refusal is { } refusal ? AidRefusals.Words(refusal) : WhyNot(decision?.Requirements)),
                    _ => ("waiting_for_presentation", (string?)null),
                };
                return new HostAidMemberResponse(m.Id, m.StaffId, decision?.GivenName, decision?.FamilyName, status, reason, m.PresentationRequestId,
                    m.DecisionId, m.DeploymentId, deployed is { } s ? DeploymentMapping.Name(s) : null);
            }).ToList());
    }

    private static string WhyNot(IReadOnlyList<RequirementOutcome>? outcomes)
    {
        if (outcomes is null)
            return "The presentation did not meet the agreement.";
        var reasons = Decision.NotMet(outcomes).Select(o => o.Reason).ToList();
        return reasons.Count == 0 ? "The presentation did not meet the agreement." : string.Join(" ", reasons);
    }
}
