namespace Passport.Contracts;

/// <summary>A presentation was verified against an agreement; the decision is held by the verifier.</summary>
public sealed record PresentationVerified
{
    public required Guid DecisionId { get; init; }
    public required string VerifierOdsCode { get; init; }
    public required Guid AgreementId { get; init; }
    public required int AgreementVersion { get; init; }
    public required bool Accepted { get; init; }
    public required DateTimeOffset VerifiedAt { get; init; }
    public IReadOnlyList<Guid> CredentialIds { get; init; } = [];
}

/// <summary>A host organisation asked to deploy a member of another organisation's staff.</summary>
public sealed record DeploymentRequested
{
    public required Guid DeploymentId { get; init; }
    public required string HostOdsCode { get; init; }
    public required string HomeOdsCode { get; init; }
    public required Guid StaffId { get; init; }
    public required Guid AgreementId { get; init; }
    public required DateOnly Start { get; init; }
    public required DateOnly End { get; init; }
    public required bool RequiresHomeApproval { get; init; }
    public string? HostSite { get; init; }
    public IReadOnlyList<Guid> CredentialIds { get; init; } = [];
}

public sealed record DeploymentApproved
{
    public required Guid DeploymentId { get; init; }
    public required string HomeOdsCode { get; init; }
    public required DateTimeOffset ApprovedAt { get; init; }
}

public sealed record DeploymentDeclined
{
    public required Guid DeploymentId { get; init; }
    public required string HomeOdsCode { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset DeclinedAt { get; init; }
}

public sealed record DeploymentStarted
{
    public required Guid DeploymentId { get; init; }
    public required string HostOdsCode { get; init; }
    public required string HomeOdsCode { get; init; }
    public required Guid StaffId { get; init; }
    public required DateOnly Start { get; init; }
    public required DateOnly End { get; init; }

    /// <summary>The accepted decision the deployment was started from; null from senders older than the placement credential.</summary>
    public Guid? DecisionId { get; init; }

    public Guid? AgreementId { get; init; }

    /// <summary>Where at the host the person works (a site or department), as the host named it.</summary>
    public string? HostSite { get; init; }

    /// <summary>
    /// The RFC 7638 SHA-256 thumbprint of the holder key the person's presentation was bound to: an identifier of their wallet's
    /// key, not personal data. The host's placement credential can be collected only by a proof of that key.
    /// </summary>
    public string? HolderKeyThumbprint { get; init; }
}

public sealed record DeploymentExtended
{
    public required Guid DeploymentId { get; init; }
    public required string HostOdsCode { get; init; }
    public required string HomeOdsCode { get; init; }
    public required DateOnly PreviousEnd { get; init; }
    public required DateOnly NewEnd { get; init; }
}

public sealed record DeploymentEnded
{
    public required Guid DeploymentId { get; init; }
    public required string HostOdsCode { get; init; }
    public required string HomeOdsCode { get; init; }
    public required DateOnly EndedOn { get; init; }
}

/// <summary>A credential that a deployment relied on was withdrawn, suspended or will lapse before the deployment ends.</summary>
public sealed record DeploymentFlagged
{
    public required Guid DeploymentId { get; init; }
    public required string HostOdsCode { get; init; }
    public required string HomeOdsCode { get; init; }
    public required Guid CredentialId { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset FlaggedAt { get; init; }
}
