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

    /// <summary>
    /// Accepted <c>typ</c> header values of access tokens. A token without <c>typ</c>, or a signed JWT of another kind
    /// (an ID token typed otherwise, a credential, a KB-JWT), is refused. RFC 9068 says <c>at+jwt</c>; Entra ID and CIS2
    /// access tokens say <c>JWT</c>. Narrow it to <c>at+jwt</c> where the identity provider allows. Empty: the defaults.
    /// </summary>
    public string[] TokenTypes { get; set; } = [];

    // A default in the property itself would be appended to, not replaced by, a configured list (configuration binding of arrays).
    internal static readonly string[] DefaultTokenTypes = ["at+jwt", "application/at+jwt", "JWT"];

    /// <summary>
    /// Scopes this service requires: a token must carry at least one of them in <c>scp</c> (Entra ID) or <c>scope</c>
    /// (RFC 9068), besides the <see cref="Audience"/>. Set per service (for example <c>passport.issuer</c> on the Issuer)
    /// where one audience covers several services. Empty: the audience alone decides.
    /// </summary>
    public string[] RequiredScopes { get; set; } = [];

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How many validated access tokens each service remembers (until the token's <c>exp</c>, at most 5 minutes), so that a
    /// caller reusing its token is not validated again on every request. 0: validate every request.
    /// </summary>
    [Range(0, 1_000_000)]
    public int ValidatedTokenCacheSize { get; set; } = 10_000;
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
