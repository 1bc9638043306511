using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Host;

/// <summary>
/// A development identity provider for the embedded default: mints real signed access tokens for demo users.
/// It refuses to exist outside the Development environment, whatever the configuration says.
/// </summary>
internal sealed class DevelopmentTokens
{
    public const string Issuer = "https://dev-login.passport.local";
    public const string Audience = "passport-api";

    private readonly ECDsaSecurityKey _key;
    private readonly JsonWebTokenHandler _handler = new();

    private DevelopmentTokens(ECDsaSecurityKey key) => _key = key;

    public string Jwks
    {
        get
        {
            var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(_key);
            return JsonSerializer.Serialize(new { keys = new[] { new { kty = jwk.Kty, crv = jwk.Crv, x = jwk.X, y = jwk.Y, kid = jwk.Kid, alg = "ES256", use = "sig" } } });
        }
    }

    /// <summary>Loads the development signing key from the data folder, creating it on first run.</summary>
    public static DevelopmentTokens Create(IHostEnvironment environment, string dataFolder)
    {
        if (!environment.IsDevelopment())
            throw new InvalidOperationException("The development token issuer can only run in the Development environment.");
        var file = Path.Combine(dataFolder, "dev-token-issuer.pem");
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(file))
        {
            ecdsa.ImportFromPem(File.ReadAllText(file));
        }
        else
        {
            Directory.CreateDirectory(dataFolder);
            File.WriteAllText(file, ecdsa.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var key = new ECDsaSecurityKey(ecdsa);
        key.KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(key).ComputeJwkThumbprint());
        return new DevelopmentTokens(key);
    }

    public sealed record TokenRequest(
        [Required(ErrorMessage = "Give the ODS code of the organisation the user belongs to.")] string? Organisation, string[]? Roles, Guid? StaffId,
        string? Subject) : IValidatableObject
    {
        private static readonly string[] Known = [PassportRoles.HrIssuer, PassportRoles.OrganisationAdmin, PassportRoles.Staff, PassportRoles.Verifier];

        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        {
            if (Roles is not { Length: > 0 } || Roles.Any(r => !Known.Contains(r)))
                yield return new ValidationResult($"Give one or more of: {string.Join(", ", Known)}.", [nameof(Roles)]);
            else if (Roles.Contains(PassportRoles.Staff) && StaffId is null)
                yield return new ValidationResult("A staff token needs the member of staff's id.", [nameof(StaffId)]);
        }
    }

    public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn);

    /// <summary>
    /// A development sign-in. A staff token stands for a member of staff who has already enrolled: a record not yet linked
    /// to a sign-in is linked here to the token's subject (<c>dev-staff-{id}</c> unless one is given), as redeeming HR's
    /// enrolment code would; a linked record's token carries the subject it is linked to.
    /// </summary>
    public async Task<Results<Ok<TokenResponse>, ValidationProblem>> MintAsync(TokenRequest request, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var subject = request.Subject;
        if (request.Roles!.Contains(PassportRoles.Staff))
        {
            var staff = await db.Staff.FirstOrDefaultAsync(s => s.Id == request.StaffId && s.OdsCode == request.Organisation, cancellationToken);
            if (staff is null)
                return Problems.Validation(new Dictionary<string, string[]> { ["staffId"] = [$"{request.Organisation} has no staff record {request.StaffId}."] });
            if (staff.Subject is null)
            {
                staff.Subject = subject ?? $"dev-staff-{staff.Id}";
                await db.SaveChangesAsync(cancellationToken);
            }
            subject ??= staff.Subject;
        }
        var token = CreateToken(request.Organisation!, request.Roles!, request.StaffId, subject);
        return TypedResults.Ok(new TokenResponse(token, "Bearer", 8 * 3600));
    }

    /// <summary>A signed access token for a demo user of <paramref name="organisation"/> with <paramref name="roles"/>.</summary>
    public string CreateToken(string organisation, string[] roles, Guid? staffId = null, string? subject = null)
    {
        var claims = new Dictionary<string, object> { ["org"] = organisation, ["roles"] = roles };
        if (staffId is { } staff)
            claims["staff_id"] = staff.ToString();
        var now = DateTime.UtcNow;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject ?? $"dev-{organisation}-{string.Join('-', roles)}")]),
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(8),
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.EcdsaSha256),
        });
    }
}
