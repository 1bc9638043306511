namespace Passport.Contracts;

// Wire format: the namespace and names of these records never change. Add optional properties only;
// a breaking change is a new type. Identifiers and facts only, never personal data.

/// <summary>A credential was issued to a member of staff by their home organisation.</summary>
public sealed record CredentialIssued
{
    public required Guid CredentialId { get; init; }
    public required string IssuerOdsCode { get; init; }
    public required Guid StaffId { get; init; }
    public required string CredentialType { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>A credential was withdrawn for good.</summary>
public sealed record CredentialRevoked
{
    public required Guid CredentialId { get; init; }
    public required string IssuerOdsCode { get; init; }
    public required Guid StaffId { get; init; }
    public required string CredentialType { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset RevokedAt { get; init; }
    public string? StatusListUri { get; init; }
    public long? StatusIndex { get; init; }
}

/// <summary>A credential was suspended, pending an update or investigation.</summary>
public sealed record CredentialSuspended
{
    public required Guid CredentialId { get; init; }
    public required string IssuerOdsCode { get; init; }
    public required Guid StaffId { get; init; }
    public required string CredentialType { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset SuspendedAt { get; init; }
    public string? StatusListUri { get; init; }
    public long? StatusIndex { get; init; }
}

/// <summary>A suspended credential is valid again.</summary>
public sealed record CredentialReinstated
{
    public required Guid CredentialId { get; init; }
    public required string IssuerOdsCode { get; init; }
    public required Guid StaffId { get; init; }
    public required DateTimeOffset ReinstatedAt { get; init; }
}

/// <summary>A credential will expire within the stated number of days.</summary>
public sealed record CredentialExpiring
{
    public required Guid CredentialId { get; init; }
    public required string IssuerOdsCode { get; init; }
    public required Guid StaffId { get; init; }
    public required string CredentialType { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required int ThresholdDays { get; init; }

    /// <summary>The credential's status list, by which a verifier finds the deployments that relied on it.</summary>
    public string? StatusListUri { get; init; }

    public long? StatusIndex { get; init; }
}
