namespace Passport.Issuer.Staff;

/// <summary>A member of staff of one organisation, as HR records them.</summary>
public sealed class StaffMember
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string OdsCode { get; init; }
    public required string GivenName { get; set; }
    public required string FamilyName { get; set; }
    public required DateOnly DateOfBirth { get; set; }
    public required string AssignmentNumber { get; set; }
    public string? StaffGroup { get; set; }
    public string? JobTitle { get; set; }

    /// <summary>Where HR says the person may be told things (offers, withdrawals, expiries); never anywhere else.</summary>
    public string? Email { get; set; }

    /// <summary>A mobile number in international form (+447700900123), for SMS where it is configured.</summary>
    public string? Mobile { get; set; }

    /// <summary>
    /// The member of staff's subject (<c>sub</c>) at the identity provider: a staff token is theirs only when its subject is
    /// this. Set by redeeming an enrolment code, or by HR. At most one record per organisation has a given subject.
    /// </summary>
    public string? Subject { get; set; }

    /// <summary>HMAC of the one-time enrolment code HR last issued, until it is redeemed or replaced.</summary>
    public string? EnrolmentCodeHash { get; private set; }

    public DateTimeOffset? EnrolmentCodeExpiresAt { get; private set; }

    /// <summary>A new code replaces any earlier one that was not redeemed.</summary>
    public void IssueEnrolmentCode(string codeHash, DateTimeOffset expiresAt) => (EnrolmentCodeHash, EnrolmentCodeExpiresAt) = (codeHash, expiresAt);

    /// <summary>Links the record to <paramref name="subject"/> and spends the code; false once the code has expired.</summary>
    public bool TryEnrol(string subject, DateTimeOffset now)
    {
        if (EnrolmentCodeHash is null || EnrolmentCodeExpiresAt is not { } expires || expires <= now)
            return false;
        (Subject, EnrolmentCodeHash, EnrolmentCodeExpiresAt) = (subject, null, null);
        return true;
    }

    public List<ProfessionalRegistration> Registrations { get; init; } = [];
    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed class ProfessionalRegistration
{
    public required string Register { get; set; }
    public required string Number { get; set; }
    public string Status { get; set; } = "registered";
    public DateOnly? ExpiresOn { get; set; }
}
