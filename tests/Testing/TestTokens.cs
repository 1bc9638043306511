using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Passport.Testing;

/// <summary>
/// A test identity provider: a real ES256 key whose JWKS the service under test trusts (Auth:SigningKeys),
/// minting real signed access tokens, so tests authenticate exactly as production callers do.
/// </summary>
public sealed class TestTokens : IDisposable
{
    public const string Issuer = "https://login.test.passport.nhs.uk";
    public const string Audience = "passport-api";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsaSecurityKey _securityKey;
    private readonly JsonWebTokenHandler _handler = new();

    public TestTokens()
    {
        _securityKey = new ECDsaSecurityKey(_key) { KeyId = $"test-idp-{Guid.NewGuid():N}" };
    }

    /// <summary>The JWKS to configure as Auth:SigningKeys.</summary>
    public string Jwks
    {
        get
        {
            var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(_securityKey);
            return JsonSerializer.Serialize(new
            {
                keys = new[] { new { kty = jwk.Kty, crv = jwk.Crv, x = jwk.X, y = jwk.Y, kid = jwk.Kid, alg = "ES256", use = "sig" } },
            });
        }
    }

    /// <summary>Settings that make a Passport service trust this identity provider.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Auth:Issuer", Issuer),
        new("Auth:Audience", Audience),
        new("Auth:SigningKeys", Jwks),
        new("Auth:RequireHttpsMetadata", "false"),
    ];

    public string Mint(string odsCode, IEnumerable<string> roles, Guid? staffId = null, string? subject = null, TimeSpan? lifetime = null,
        string audience = Audience, SecurityKey? signWith = null, string? type = null, IReadOnlyDictionary<string, object>? extraClaims = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["org"] = odsCode,
            ["roles"] = roles.ToArray(),
        };
        if (staffId is { } id)
            claims["staff_id"] = id.ToString();
        foreach (var (name, value) in extraClaims ?? new Dictionary<string, object>())
            claims[name] = value;
        var now = DateTime.UtcNow;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject ?? $"user-{Guid.NewGuid():N}")]),
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromMinutes(30)),
            SigningCredentials = new SigningCredentials(signWith ?? _securityKey, SecurityAlgorithms.EcdsaSha256),
            TokenType = type,
        });
    }

    public void Dispose() => _key.Dispose();
}
