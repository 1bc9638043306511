using System.ComponentModel.DataAnnotations;

namespace Passport.Web;

/// <summary>The web front end's settings (section <c>Web</c>).</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>Where the Issuer's HTTP API answers. Empty: this same process (the embedded host).</summary>
    public Uri? IssuerApiBaseUrl { get; set; }

    /// <summary>Where the Verifier's HTTP API answers. Empty: this same process (the embedded host).</summary>
    public Uri? VerifierApiBaseUrl { get; set; }

    /// <summary>
    /// Development only: a sign-in page to pick a demo organisation and role, or a demo member of staff, with tokens from
    /// the embedded host's <c>POST /dev/token</c>. Refused outside the Development environment.
    /// </summary>
    public bool DevelopmentSignIn { get; set; }

    /// <summary>How long a sign-in lasts without activity.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "12:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// Behind a TLS-terminating load balancer or ingress: take the scheme and client address from X-Forwarded-Proto and
    /// X-Forwarded-For, so that secure cookies, antiforgery and the sign-in redirect see https. Only where every request
    /// comes through that proxy.
    /// </summary>
    public bool TrustForwardedHeaders { get; set; }

    /// <summary>
    /// The standalone web front end (<c>src/Web</c>) only: a folder, shared by every replica and kept across restarts, for the
    /// Data Protection key ring that protects its sign-in, antiforgery and OpenID Connect correlation cookies. Empty: keys
    /// live in memory, so a restart signs everyone out and a second replica cannot read the first one's cookies.
    /// </summary>
    public string? DataProtectionKeysPath { get; set; }
}

/// <summary>
/// The organisation's identity provider (Entra ID, NHS CIS2): OpenID Connect authorization code flow with PKCE, and how
/// its claims map to Passport's organisation, roles and staff record.
/// </summary>
public sealed class OidcOptions
{
    public const string Section = "Web:Oidc";

    /// <summary>The provider's issuer URL (its discovery document is at <c>/.well-known/openid-configuration</c>). Empty: no OpenID Connect sign-in.</summary>
    public Uri? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>A confidential client's secret (environment variable or secret store, never appsettings).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for besides <c>openid profile</c>; include the Passport API's scope so the access token is for it.</summary>
    public string[] Scopes { get; set; } = [];

    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// Ask the provider's UserInfo endpoint for more claims after sign-in (NHS CIS2 returns its claims only there). Turn it
    /// off for Entra ID: its UserInfo endpoint is on Microsoft Graph and refuses an access token issued for Passport's API.
    /// </summary>
    public bool GetClaimsFromUserInfoEndpoint { get; set; } = true;

    /// <summary>The claim (in the ID token or user info) holding the person's organisation ODS code.</summary>
    public string OrganisationClaim { get; set; } = "org";

    /// <summary>A fixed ODS code for every user, when the provider is the organisation's own (Entra ID tenant) and sends none.</summary>
    public string? Organisation { get; set; }

    /// <summary>The claim holding the person's roles (one claim per role, or a JSON array).</summary>
    public string RolesClaim { get; set; } = "roles";

    /// <summary>Provider role or group value → Passport role (hr_issuer, org_admin, verifier, staff). Unmapped values pass through unchanged.</summary>
    public Dictionary<string, string> RoleMap { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The claim holding a member of staff's staff record id in their home organisation.</summary>
    public string StaffIdClaim { get; set; } = "staff_id";

    /// <summary>The claim with the person's display name.</summary>
    public string NameClaim { get; set; } = "name";
}
