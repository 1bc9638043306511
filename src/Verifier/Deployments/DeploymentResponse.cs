using System.ComponentModel;
using Passport.Contracts;
using Passport.ServiceDefaults;

namespace Passport.Verifier.Deployments;

public sealed record DeploymentResponse(
    Guid Id, string HostOdsCode, string HomeOdsCode, Guid StaffId, Guid AgreementId, int AgreementVersion, Guid DecisionId, string HostSite,
    DateOnly Start, DateOnly End, [Description("The last day the agreement allows it to run to.")] DateOnly LatestEnd,
    [AllowedValuesFrom(typeof(DeploymentMapping), nameof(DeploymentMapping.Name))] string State, bool HomeApprovalRequired, string? DeclineReason, DateOnly? EndedOn,
    bool Flagged, IReadOnlyList<DeploymentFlagResponse> Flags, IReadOnlyList<DeploymentCredentialResponse> Credentials, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, string? GivenName = null, string? FamilyName = null);

public sealed record DeploymentFlagResponse(Guid CredentialId, string Kind, string Reason, string StatusListUri, long StatusIndex, DateTimeOffset FlaggedAt);

public sealed record DeploymentCredentialResponse(string Vct, string StatusListUri, long StatusIndex, DateTimeOffset? ExpiresAt);

internal static class DeploymentMapping
{
    public static string Name(DeploymentState state) => state switch
    {
        DeploymentState.AwaitingApproval => "awaiting_approval",
        DeploymentState.Active => "active",
        DeploymentState.Declined => "declined",
        _ => "ended",
    };

    public static bool TryParseState(string? text, out DeploymentState state)
    {
        foreach (var candidate in Enum.GetValues<DeploymentState>())
        {
            if (string.Equals(Name(candidate), text, StringComparison.Ordinal))
            {
                state = candidate;
                return true;
            }
        }
        state = default;
        return false;
    }

    public static DeploymentResponse ToResponse(this Deployment d) => new(
        d.Id, d.HostOdsCode, d.HomeOdsCode, d.StaffId, d.AgreementId, d.AgreementVersion, d.DecisionId, d.HostSite, d.Start, d.End, d.LatestEnd,
        Name(d.State), d.HomeApprovalRequired, d.DeclineReason, d.EndedOn, d.IsFlagged,
        [.. d.Flags.OrderBy(f => f.FlaggedAt).Select(f => new DeploymentFlagResponse(f.CredentialId, f.Kind, f.Reason, f.StatusListUri, f.StatusIndex, f.FlaggedAt))],
        [.. d.Credentials.Select(c => new DeploymentCredentialResponse(c.Vct, c.StatusListUri, c.StatusIndex, c.ExpiresAt))],
        d.CreatedAt, d.UpdatedAt, d.GivenName, d.FamilyName);

    public static DeploymentRequested Requested(this Deployment d) => new()
    {
        DeploymentId = d.Id, HostOdsCode = d.HostOdsCode, HomeOdsCode = d.HomeOdsCode, StaffId = d.StaffId, AgreementId = d.AgreementId,
        Start = d.Start, End = d.End, RequiresHomeApproval = d.HomeApprovalRequired, HostSite = d.HostSite,
    };

    public static DeploymentStarted Started(this Deployment d) => new()
    {
        DeploymentId = d.Id, HostOdsCode = d.HostOdsCode, HomeOdsCode = d.HomeOdsCode, StaffId = d.StaffId, Start = d.Start, End = d.End,
        DecisionId = d.DecisionId, AgreementId = d.AgreementId, HostSite = d.HostSite, HolderKeyThumbprint = d.HolderKeyThumbprint,
    };
}
