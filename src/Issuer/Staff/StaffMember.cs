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

    /// <summary>The member of staff's subject at the identity provider, so they can read their own passport.</summary>
    public string? Subject { get; set; }

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
