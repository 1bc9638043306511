using Passport.Messaging;
using Passport.Verifier.Agreements;
using Passport.Verifier.Data;
using Passport.Verifier.Decisions;

namespace Passport.Verifier.Deployments;

/// <summary>Who is deployed where and when: the host's request (POST /api/deployments) or an accepted mutual-aid member.</summary>
internal sealed record DeploymentAsked(string HomeOdsCode, Guid StaffId, string HostSite, DateOnly Start, DateOnly End, string CreatedBy)
{
    /// <summary>Set when the id must be known in advance (a mutual-aid member's deployment takes the member's id, so it starts once).</summary>
    public Guid? Id { get; init; }
}

/// <summary>
/// Adds a deployment from an accepted decision, under the agreement version the decision used: it relies on the credentials
/// the decision judged, keeps the agreement's limits, waits for the home organisation's approval when the agreement asks for
/// it, and adds its event (requested or started). The caller has checked the terms and saves.
/// </summary>
internal static class DeploymentStart
{
    public static Deployment Add(VerifierDbContext db, Decision decision, LoadedAgreement agreement, DeploymentAsked asked, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(asked);
        var rules = agreement.Rules;
        var deployment = Deployment.Request(new DeploymentDraft
        {
            Id = asked.Id, HostOdsCode = agreement.OdsCode, HomeOdsCode = asked.HomeOdsCode, StaffId = asked.StaffId, AgreementId = agreement.Id,
            AgreementVersion = agreement.Version, DecisionId = decision.Id, HostSite = asked.HostSite, Start = asked.Start,
            GivenName = decision.GivenName, FamilyName = decision.FamilyName, HolderKeyThumbprint = decision.HolderKeyThumbprint,
            MaxDeploymentDays = rules.MaxDeploymentDays, AgreementEndsOn = rules.EndsOn, HomeApprovalRequired = rules.HomeApprovalRequired,
            CreatedBy = asked.CreatedBy, Credentials = DeploymentCredential.ReliedOn(decision.CredentialsJudged),
        }, asked.End, now);
        db.Set<Deployment>().Add(deployment);
        if (deployment.State == DeploymentState.AwaitingApproval)
            db.AddOutboxMessage(deployment.Requested(), now);
        else
            db.AddOutboxMessage(deployment.Started(), now);
        return deployment;
    }
}
