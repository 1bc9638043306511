using System.ComponentModel.DataAnnotations;

namespace Passport.ServiceDefaults;

/// <summary>How callers authenticate: JWT bearer tokens from the organisation's identity provider (Entra ID, NHS CIS2).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>OpenID Connect authority whose discovery document gives the signing keys. Empty when <see cref="SigningKeys"/> is used.</summary>
    public string? Authority { get; set; }

    /// <summary>Expected <c>iss</c> of access tokens.</summary>
    [Required]
    public string Issuer { get; set; } = "";

    /// <summary>Expected <c>aud</c> of access tokens.</summary>
    [Required]
    public string Audience { get; set; } = "";

    /// <summary>A static JWKS (JSON) of token signing keys, for sites without discovery and for development.</summary>
    public string? SigningKeys { get; set; }

    public bool RequireHttpsMetadata { get; set; } = true;

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>Claims and roles Passport reads from access tokens.</summary>
public static class PassportClaims
{
    /// <summary>The caller's organisation, by ODS code.</summary>
    public const string Organisation = "org";

    /// <summary>For staff: their staff record id in their home organisation.</summary>
    public const string StaffId = "staff_id";

    public const string Roles = "roles";
}

public static class PassportRoles
{
    public const string HrIssuer = "hr_issuer";
    public const string OrganisationAdmin = "org_admin";
    public const string Staff = "staff";
    public const string Verifier = "verifier";
}

public static class PassportPolicies
{
    public const string Hr = "hr";
    public const string OrganisationAdmin = "org_admin";
    public const string Staff = "staff";
    public const string Verifier = "verifier";
}
