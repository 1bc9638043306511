using System.Security.Claims;
using System.Text.Json;
using Passport.ServiceDefaults;

namespace Passport.Web.SignIn;

/// <summary>Turns the identity provider's claims into Passport's: organisation (ODS code), roles, staff record and a display name.</summary>
internal static class ClaimMapping
{
    public const string Name = "name";

    public static ClaimsPrincipal ToPassport(ClaimsPrincipal source, OidcOptions options)
    {
        var claims = new List<Claim>();
        if (source.FindFirst("sub") is { } sub)
            claims.Add(new Claim("sub", sub.Value));
        var organisation = options.Organisation ?? source.FindFirst(options.OrganisationClaim)?.Value;
        if (!string.IsNullOrWhiteSpace(organisation))
            claims.Add(new Claim(PassportClaims.Organisation, organisation.Trim().ToUpperInvariant()));
        foreach (var role in Roles(source, options.RolesClaim).Select(r => options.RoleMap.TryGetValue(r, out var mapped) ? mapped : r).Distinct(StringComparer.Ordinal))
            claims.Add(new Claim(PassportClaims.Roles, role));
        if (source.FindFirst(options.StaffIdClaim)?.Value is { } staffId && Guid.TryParse(staffId, out _))
            claims.Add(new Claim(PassportClaims.StaffId, staffId));
        var name = source.FindFirst(options.NameClaim)?.Value;
        if (!string.IsNullOrWhiteSpace(name))
            claims.Add(new Claim(Name, name));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "oidc", Name, PassportClaims.Roles));
    }

    /// <summary>One claim per role, or one claim holding a JSON array of them (as some providers send).</summary>
    private static IEnumerable<string> Roles(ClaimsPrincipal source, string claimType)
    {
        foreach (var claim in source.FindAll(claimType))
        {
            var value = claim.Value.Trim();
            if (value.StartsWith('['))
            {
                string[]? values = null;
                try
                {
                    values = JsonSerializer.Deserialize<string[]>(value);
                }
                catch (JsonException)
                {
                }
                foreach (var v in values ?? [])
                    yield return v;
            }
            else if (value.Length > 0)
            {
                yield return value;
            }
        }
    }
}
