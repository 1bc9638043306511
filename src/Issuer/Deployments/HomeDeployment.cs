namespace Passport.Issuer.Deployments;

/// <summary>
/// Where one of our staff is deployed, as the host organisation's events tell us: the home organisation's view.
/// </summary>
public sealed class HomeDeployment
{
    public required Guid Id { get; init; }
    public required string HomeOdsCode { get; init; }
    public required string HostOdsCode { get; init; }
    public required Guid StaffId { get; init; }
    public required Guid AgreementId { get; init; }
    public string? HostSite { get; init; }
    public required DateOnly Start { get; set; }
    public required DateOnly End { get; set; }
    public required bool RequiresApproval { get; init; }
    public required string State { get; set; }
    public required DateTimeOffset UpdatedAt { get; set; }
    public List<HomeDeploymentEvent> History { get; init; } = [];

    public bool TryApprove(DateTimeOffset now, out string? problem) => TryDecide(DeploymentStates.Approved, now, out problem);

    public bool TryDecline(DateTimeOffset now, out string? problem) => TryDecide(DeploymentStates.Declined, now, out problem);

    private bool TryDecide(string state, DateTimeOffset now, out string? problem)
    {
        if (State != DeploymentStates.AwaitingApproval)
        {
            problem = $"The deployment is {State.Replace('_', ' ')}, not awaiting your approval.";
            return false;
        }
        (State, UpdatedAt, problem) = (state, now, null);
        return true;
    }
}

public sealed class HomeDeploymentEvent
{
    public required string Event { get; init; }
    public required DateTimeOffset At { get; init; }
    public string? Detail { get; init; }
}

public static class DeploymentStates
{
    public const string AwaitingApproval = "awaiting_approval";
    public const string Approved = "approved";
    public const string Declined = "declined";
    public const string Active = "active";
    public const string Ended = "ended";
}
