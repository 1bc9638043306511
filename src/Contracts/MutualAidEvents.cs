namespace Passport.Contracts;

// Wire format: the namespace and names of these records never change. Add optional properties only.

/// <summary>A home organisation asked one member of its staff to consent to a mutual-aid deployment.</summary>
public sealed record MutualAidConsentRequested
{
    public required Guid RequestId { get; init; }
    public required Guid MemberId { get; init; }
    public required string HomeOdsCode { get; init; }
    public required string HostOdsCode { get; init; }
    public required Guid StaffId { get; init; }
    public required Guid AgreementId { get; init; }
    public required string Role { get; init; }
    public required DateOnly Start { get; init; }
    public required DateOnly End { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
}

/// <summary>A member of staff consented (themselves, or recorded by HR) to a mutual-aid deployment.</summary>
public sealed record MutualAidConsentGiven
{
    public required Guid RequestId { get; init; }
    public required Guid MemberId { get; init; }
    public required string HomeOdsCode { get; init; }
    public required string HostOdsCode { get; init; }
    public required Guid StaffId { get; init; }
    public required Guid AgreementId { get; init; }
    public required string Role { get; init; }
    public required DateOnly Start { get; init; }
    public required DateOnly End { get; init; }
    public required DateTimeOffset ConsentedAt { get; init; }
}

/// <summary>A member of staff declined a mutual-aid deployment.</summary>
public sealed record MutualAidConsentDeclined
{
    public required Guid RequestId { get; init; }
    public required Guid MemberId { get; init; }
    public required string HomeOdsCode { get; init; }
    public required string HostOdsCode { get; init; }
    public required Guid StaffId { get; init; }
    public required DateTimeOffset DeclinedAt { get; init; }
}

/// <summary>The host recorded a decision for one member of a mutual-aid request.</summary>
public sealed record MutualAidMemberDecided
{
    public required Guid RequestId { get; init; }
    public required Guid MemberId { get; init; }
    public required string HomeOdsCode { get; init; }
    public required string HostOdsCode { get; init; }
    public required Guid StaffId { get; init; }
    public required Guid DecisionId { get; init; }
    public required bool Accepted { get; init; }
    public required DateTimeOffset DecidedAt { get; init; }

    /// <summary>The ids of the agreement's requirements that were not met (the reasons in words stay with the host's decision).</summary>
    public IReadOnlyList<string> UnmetRequirements { get; init; } = [];

    /// <summary>Why no presentation was decided, when none was: <c>not_the_member</c>, <c>agreement_not_found</c>, <c>outside_agreement_terms</c>.</summary>
    public string? Refusal { get; init; }
}
