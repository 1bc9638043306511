namespace Passport.Issuer.Audit;

/// <summary>Who did what to which passport, when and why. Append-only.</summary>
public sealed class AuditEntry
{
    public long Id { get; init; }
    public required string OdsCode { get; init; }
    public Guid? StaffId { get; init; }
    public Guid? CredentialId { get; init; }
    public required string Action { get; init; }
    public required string Actor { get; init; }
    public string? Reason { get; init; }
    public required DateTimeOffset At { get; init; }
}

public static class AuditActions
{
    public const string Issued = "issued";
    public const string Offered = "offered";
    public const string Delivered = "delivered";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    public const string Failed = "failed";
    public const string Withdrawn = "withdrawn";
    public const string Suspended = "suspended";
    public const string Reinstated = "reinstated";
    public const string Reissued = "reissued";
    public const string Resolved = "resolved";
    public const string EnrolmentCodeIssued = "enrolment_code_issued";
    public const string Enrolled = "enrolled";
}
