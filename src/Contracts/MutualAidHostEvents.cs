namespace Passport.Contracts;

/// <summary>
/// A host asked the home organisation for named members of its staff under an agreement that lets the host raise mutual
/// aid: by staff id (people it hosted before) and by assignment number. The home organisation asks each one to consent.
/// </summary>
public sealed record MutualAidRaisedByHost
{
    public required Guid RequestId { get; init; }
    public required string HostOdsCode { get; init; }
    public required string HomeOdsCode { get; init; }
    public required Guid AgreementId { get; init; }
    public required string Role { get; init; }
    public required DateOnly Start { get; init; }
    public required DateOnly End { get; init; }

    /// <summary>Who at the host raised it (their sign-in subject).</summary>
    public required string RaisedBy { get; init; }

    public required DateTimeOffset RaisedAt { get; init; }
    public IReadOnlyList<Guid> StaffIds { get; init; } = [];
    public IReadOnlyList<string> AssignmentNumbers { get; init; } = [];
}

/// <summary>The home organisation acted on a host's request: how many people it asked to consent, and whom it could not find.</summary>
public sealed record MutualAidHostRequestAnswered
{
    public required Guid RequestId { get; init; }
    public required string HostOdsCode { get; init; }
    public required string HomeOdsCode { get; init; }
    public required int Asked { get; init; }

    /// <summary>Assignment numbers none of the home organisation's staff has.</summary>
    public IReadOnlyList<string> UnknownAssignmentNumbers { get; init; } = [];

    /// <summary>How many of the staff ids named are not (or no longer) the home organisation's staff.</summary>
    public int UnknownStaff { get; init; }

    public required DateTimeOffset AnsweredAt { get; init; }
}
