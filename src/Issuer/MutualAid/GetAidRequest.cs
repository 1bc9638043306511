using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.Issuer.Deployments;
using Passport.ServiceDefaults;

namespace Passport.Issuer.MutualAid;

public sealed record AidCounts(int Members, int WaitingForConsent, int Declined, int WaitingForDecision, int Accepted, int NotAccepted, int Deployed);

/// <summary>A request; <c>raisedByOdsCode</c> names the host when the host raised it itself, and is null when your HR did.</summary>
public sealed record AidRequestSummary(
    Guid Id, string HostOdsCode, Guid AgreementId, string Role, DateOnly Start, DateOnly End, string RaisedBy, DateTimeOffset RaisedAt, int Members,
    string? RaisedByOdsCode);

public sealed record AidRequestResponse(
    Guid Id, string HostOdsCode, Guid AgreementId, string Role, DateOnly Start, DateOnly End, string RaisedBy, DateTimeOffset RaisedAt, AidCounts Counts,
    IReadOnlyList<AidMemberResponse> Members, string? RaisedByOdsCode);

/// <summary>
/// One person on a request: <c>waiting_for_consent</c>, <c>declined</c>, <c>waiting_for_decision</c> (consented; the host
/// waits for their presentation), <c>accepted</c>, <c>not_accepted</c> (with why) or <c>deployed</c>; who answered, how and when.
/// </summary>
public sealed record AidMemberResponse(
    Guid MemberId, Guid StaffId, string GivenName, string FamilyName, string AssignmentNumber, string? StaffGroup, string? JobTitle, string State,
    string? Reason, string? AnswerMethod, string? AnswerRecordedBy, DateTimeOffset? AnsweredAt, DateTimeOffset? DecidedAt, Guid? DecisionId,
    IReadOnlyList<string> UnmetRequirements);

internal static class GetAidRequest
{
    public static async Task<Ok<List<AidRequestSummary>>> List(ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var requests = await db.Set<AidRequest>().AsNoTracking().Where(r => r.HomeOdsCode == ods).OrderByDescending(r => r.Id).Take(200)
            .Select(r => new AidRequestSummary(r.Id, r.HostOdsCode, r.AgreementId, r.Role, r.Start, r.End, r.RaisedBy, r.RaisedAt,
                db.Set<AidMember>().Count(m => m.RequestId == r.Id), r.RaisedByOdsCode))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(requests);
    }

    public static async Task<Results<Ok<AidRequestResponse>, ProblemHttpResult>> One(Guid id, ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var view = await ViewAsync(db, user.OdsCode(), id, cancellationToken);
        return view is null ? NotFound(id) : TypedResults.Ok(view);
    }

    public static ProblemHttpResult NotFound(Guid id) =>
        Problems.NotFound("aid_request_not_found", $"Your organisation has no mutual-aid request {id}.");

    public static async Task<AidRequestResponse?> ViewAsync(IssuerDbContext db, string ods, Guid id, CancellationToken cancellationToken)
    {
        var request = await db.Set<AidRequest>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.HomeOdsCode == ods, cancellationToken);
        if (request is null)
            return null;
        var rows = await (
            from m in db.Set<AidMember>().AsNoTracking()
            join s in db.Staff.AsNoTracking() on m.StaffId equals s.Id
            where m.RequestId == id
            orderby s.FamilyName, s.GivenName, m.Id
            select new { Member = m, s.GivenName, s.FamilyName, s.AssignmentNumber, s.StaffGroup, s.JobTitle }).ToListAsync(cancellationToken);
        var memberIds = rows.Select(r => r.Member.Id).ToList();
        var deployed = (await db.Set<HomeDeployment>().AsNoTracking()
            .Where(d => memberIds.Contains(d.Id) && d.State != DeploymentStates.Declined).Select(d => d.Id).ToListAsync(cancellationToken)).ToHashSet();
        var members = rows.Select(r =>
        {
            var (state, reason) = StateOf(r.Member, deployed.Contains(r.Member.Id));
            return new AidMemberResponse(r.Member.Id, r.Member.StaffId, r.GivenName, r.FamilyName, r.AssignmentNumber, r.StaffGroup, r.JobTitle, state, reason,
                r.Member.AnswerMethod, r.Member.AnswerRecordedBy, r.Member.AnsweredAt, r.Member.DecidedAt, r.Member.DecisionId, Unmet(r.Member));
        }).ToList();
        int Count(string state) => members.Count(m => m.State == state);
        var counts = new AidCounts(members.Count, Count(AidStates.WaitingForConsent), Count(AidStates.Declined), Count(AidStates.WaitingForDecision),
            Count(AidStates.Accepted), Count(AidStates.NotAccepted), Count(AidStates.Deployed));
        return new AidRequestResponse(request.Id, request.HostOdsCode, request.AgreementId, request.Role, request.Start, request.End, request.RaisedBy,
            request.RaisedAt, counts, members, request.RaisedByOdsCode);
    }

    public static (string State, string? Reason) StateOf(AidMember member, bool deployed) => member switch
    {
        { Consent: AidConsent.Pending } => (AidStates.WaitingForConsent, null),
        { Consent: AidConsent.Declined } => (AidStates.Declined, null),
        _ when deployed => (AidStates.Deployed, null),
        { DecidedAt: null } => (AidStates.WaitingForDecision, null),
        { Accepted: true } => (AidStates.Accepted, null),
        _ => (AidStates.NotAccepted, WhyNot(member)),
    };

    private static List<string> Unmet(AidMember member) =>
        member.UnmetRequirements is { } unmet ? [.. unmet.Split(',', StringSplitOptions.RemoveEmptyEntries)] : [];

    private static string WhyNot(AidMember member) => member.Refusal switch
    {
        "not_the_member" => "The credentials presented were another person's.",
        "agreement_not_found" => "The host has no such agreement.",
        "outside_agreement_terms" => "The role or dates are outside the host's agreement.",
        _ when Unmet(member) is { Count: > 0 } unmet => $"The host found these requirements not met: {string.Join(", ", unmet)}.",
        _ => "The host did not accept the credentials presented.",
    };
}

public static class AidStates
{
    public const string WaitingForConsent = "waiting_for_consent";
    public const string Declined = "declined";
    public const string WaitingForDecision = "waiting_for_decision";
    public const string Accepted = "accepted";
    public const string NotAccepted = "not_accepted";
    public const string Deployed = "deployed";
}
