using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.ServiceDefaults;
using Passport.Verifier.Agreements;
using Passport.Verifier.Data;
using Passport.Verifier.Decisions;
using Passport.Verifier.Trust;

namespace Passport.Verifier.Deployments;

/// <summary>
/// Starts a deployment from an accepted decision: within the decision's dates, the agreement's period and its maximum length.
/// It waits for the home organisation's approval when the agreement asks for it; the state and its event commit together.
/// </summary>
internal static class CreateDeployment
{
    public sealed record CreateDeploymentRequest(Guid? DecisionId, string? HomeOdsCode, Guid? StaffId, string? HostSite, DateOnly? Start, DateOnly? End);

    public static async Task<Results<Created<DeploymentResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        CreateDeploymentRequest request, ClaimsPrincipal user, VerifierDbContext db, ITrustedIssuers trust, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.DecisionId is null)
            errors["decisionId"] = ["Give the id of the accepted decision the deployment is based on."];
        if (request.HomeOdsCode is not { } home || !AgreementValidation.OdsCode().IsMatch(home))
            errors["homeOdsCode"] = ["Give the ODS code of the person's home (employing) organisation."];
        if (request.StaffId is null || request.StaffId == Guid.Empty)
            errors["staffId"] = ["Give the person's staff id at their home organisation."];
        if (string.IsNullOrWhiteSpace(request.HostSite) || request.HostSite.Length > 200)
            errors["hostSite"] = ["Name the site the person will work at (at most 200 characters)."];
        AgreementTerms.CheckDays(request.Start, request.End).AddTo(errors);
        if (errors.Count > 0)
            return Problems.Validation(errors);

        var ods = user.OdsCode();
        var decision = await db.Set<Decision>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == request.DecisionId && d.OdsCode == ods, cancellationToken);
        if (decision is null)
            return Problems.NotFound("decision_not_found", $"Your organisation has no decision {request.DecisionId}.");
        if (!decision.Accepted)
            return Problems.Conflict("decision_not_accepted", "The decision rejected the presentation; only an accepted decision can start a deployment.");
        var agreement = await AgreementLookup.LoadAsync(db, ods, decision.AgreementId, decision.AgreementVersion, cancellationToken);
        if (agreement is null)
            return Problems.NotFound("agreement_not_found", $"The agreement {decision.AgreementId} version {decision.AgreementVersion} that the decision used is not yours or no longer exists.");

        // The decision names who was verified: the deployment must be of that person, at the organisation that issued their credentials.
        if (decision.Subject is { } subject && !string.Equals(subject, request.StaffId!.Value.ToString(), StringComparison.OrdinalIgnoreCase))
            errors["staffId"] = ["The decision verified another member of staff; deploy the person whose credentials were presented."];
        if (decision.SubjectIssuer is { } subjectIssuer && !string.Equals(trust.IssuerIdFor(request.HomeOdsCode!), subjectIssuer, StringComparison.Ordinal))
            errors["homeOdsCode"] = ["The verified credentials were issued by another organisation; give the person's home organisation."];
        var rules = agreement.Rules;
        var (start, end, homeOds) = (request.Start!.Value, request.End!.Value, request.HomeOdsCode!);
        if (string.Equals(homeOds, ods, StringComparison.Ordinal) || !rules.Parties.Contains(homeOds, StringComparer.Ordinal))
            errors["homeOdsCode"] = [$"The home organisation must be another party to the agreement: one of {string.Join(", ", rules.Parties.Where(p => p != ods))}."];
        if (start < decision.Start || end > decision.End)
            errors["start"] = [$"The decision checked the credentials for {decision.Start:yyyy-MM-dd} to {decision.End:yyyy-MM-dd}; the deployment must fall within those days."];
        AgreementTerms.CheckDates(rules, start, end).AddTo(errors);
        if (errors.Count > 0)
            return Problems.Validation(errors, "The deployment does not fit the decision or the agreement; errors says how.");

        var homeIssuer = trust.IssuerIdFor(homeOds);
        var fromHome = decision.CredentialsJudged.Where(c => string.Equals(c.Issuer, homeIssuer, StringComparison.Ordinal)).ToList();
        if (fromHome.Count == 0)
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["homeOdsCode"] = [$"None of the credentials the decision relied on was issued by {homeOds}; give the organisation that employs the person presented."],
            });
        // Who was verified must be known: the home organisation's credentials name the person, or nobody is deployed on them.
        var subjects = fromHome.Select(c => c.Subject ?? (string.Equals(decision.SubjectIssuer, homeIssuer, StringComparison.Ordinal) ? decision.Subject : null))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (subjects.Count != 1 || subjects[0] is null)
            return Problems.Conflict("decision_subject_unknown", "The decision does not establish which member of staff was verified; verify the person's credentials again and deploy from that decision.");
        if (!string.Equals(subjects[0], request.StaffId!.Value.ToString(), StringComparison.OrdinalIgnoreCase))
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["staffId"] = ["The decision verified another member of staff; deploy the person whose credentials were presented."],
            }, "The deployment does not fit the decision or the agreement; errors says how.");

        var now = time.GetUtcNow();
        var deployment = DeploymentStart.Add(db, decision, agreement,
            new DeploymentAsked(homeOds, request.StaffId!.Value, request.HostSite!.Trim(), start, end, user.Actor()), now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            return Problems.Conflict("deployment_exists", $"A deployment has already been started from decision {decision.Id}.");
        }
        return TypedResults.Created($"/api/deployments/{deployment.Id}", deployment.ToResponse());
    }
}
