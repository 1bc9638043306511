namespace Passport.Web.Tests;

/// <summary>
/// A person the test identity provider can sign in: their subject, their name, their organisation by ODS code, their
/// Passport roles, and for staff their staff record. <see cref="ExtraClaims"/> adds claims as another provider might
/// send them (Entra ID's <c>oid</c>, CIS2's <c>nhsid_useruid</c>), to test a claim mapping.
/// </summary>
public sealed record TestUser(string Subject, string Name, string Organisation, IReadOnlyList<string> Roles)
{
    public Guid? StaffId { get; init; }

    public string? Email { get; init; }

    public IReadOnlyDictionary<string, string> ExtraClaims { get; init; } = new Dictionary<string, string>();

    /// <summary>An HR officer at RHQ (Northgate, the home trust of the demo data).</summary>
    public static TestUser HrAtRhq { get; } = new("hr-rhq", "Helen Hughes", "RHQ", ["hr_issuer"]) { Email = "helen.hughes@northgate.nhs.test" };

    /// <summary>RHQ's organisation administrator (settings, signing keys, and everything HR does).</summary>
    public static TestUser AdminAtRhq { get; } = new("admin-rhq", "Arun Ahmed", "RHQ", ["org_admin"]);

    /// <summary>A member of RXH's staffing team (Eastbrook, the host trust of the demo data), who checks people and deploys them.</summary>
    public static TestUser VerifierAtRxh { get; } = new("verifier-rxh", "Vera Vaughan", "RXH", ["verifier"]);

    /// <summary>RXH's organisation administrator (agreements).</summary>
    public static TestUser AdminAtRxh { get; } = new("admin-rxh", "Owen Okafor", "RXH", ["org_admin"]);

    /// <summary>A member of staff of <paramref name="organisation"/>, signed in to see their own passport.</summary>
    public static TestUser Staff(Guid staffId, string name, string organisation = "RHQ") =>
        new($"staff-{staffId:N}", name, organisation, ["staff"]) { StaffId = staffId };

    public static IReadOnlyList<TestUser> Presets { get; } = [HrAtRhq, AdminAtRhq, VerifierAtRxh, AdminAtRxh];
}

/// <summary>A relying party registered with the test identity provider.</summary>
/// <param name="Secret">A confidential client's secret; null for a public client (PKCE alone).</param>
public sealed record TestClient(string ClientId, string? Secret, IReadOnlyList<Uri> RedirectUris, IReadOnlyList<Uri> PostLogoutRedirectUris);

/// <summary>The claim names the provider puts the organisation, roles, staff record and name under (the Web's claim mapping reads them).</summary>
public sealed class ProviderClaimNames
{
    public string Organisation { get; set; } = "org";
    public string Roles { get; set; } = "roles";
    public string StaffId { get; set; } = "staff_id";
    public string Name { get; set; } = "name";
}
