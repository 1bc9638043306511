using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Passport.ServiceDefaults;

namespace Passport.Verifier.Tests.Auth;

/// <summary>Access tokens validated once are remembered until they expire (at most 5 minutes); nothing else about validation changes.</summary>
public sealed class ValidatedTokenCacheTests : IDisposable
{
    private const string Issuer = "https://login.test.passport.nhs.uk";
    private const string Audience = "passport-api";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsaSecurityKey _signingKey;
    private int _keyLookups;

    public ValidatedTokenCacheTests() => _signingKey = new ECDsaSecurityKey(_key) { KeyId = "idp-1" };

    public void Dispose() => _key.Dispose();

    // Counts the signature checks: the handler asks for the signing key each time it verifies a token's signature.
    private TokenValidationParameters Parameters(TimeSpan? clockSkew = null) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        RoleClaimType = "roles",
        NameClaimType = "sub",
        ClockSkew = clockSkew ?? TimeSpan.FromMinutes(1),
        IssuerSigningKeyResolver = (_, _, _, _) =>
        {
            Interlocked.Increment(ref _keyLookups);
            return [_signingKey];
        },
    };

    private string Mint(TimeSpan lifetime, SecurityKey? signWith = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer, Audience = Audience, IssuedAt = now, NotBefore = now, Expires = now + lifetime,
            Subject = new ClaimsIdentity([new Claim("sub", "user-1"), new Claim("org", "RXH"), new Claim("roles", "verifier")]),
            SigningCredentials = new SigningCredentials(signWith ?? _signingKey, SecurityAlgorithms.EcdsaSha256),
        });
    }

    [Fact]
    public async Task A_token_validated_once_is_accepted_again_without_checking_its_signature_and_with_an_identity_of_its_own()
    {
        var cache = new ValidatedTokenCache(TimeProvider.System, 100);
        var token = Mint(TimeSpan.FromMinutes(30));

        var first = await cache.ValidateTokenAsync(token, Parameters());
        var second = await cache.ValidateTokenAsync(token, Parameters());

        Assert.True(first.IsValid && second.IsValid);
        Assert.Equal(1, _keyLookups);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal(first.ClaimsIdentity.Claims.Select(c => (c.Type, c.Value)), second.ClaimsIdentity.Claims.Select(c => (c.Type, c.Value)));
        Assert.True(second.ClaimsIdentity.IsAuthenticated);
        Assert.True(new ClaimsPrincipal(second.ClaimsIdentity).IsInRole("verifier"));
        Assert.Equal("user-1", second.ClaimsIdentity.Name);
    }

    [Fact]
    public async Task A_remembered_token_is_validated_again_after_five_minutes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cache = new ValidatedTokenCache(time, 100);
        var token = Mint(TimeSpan.FromMinutes(30));
        Assert.True((await cache.ValidateTokenAsync(token, Parameters())).IsValid);

        time.Advance(ValidatedTokenCache.MaxAge - TimeSpan.FromSeconds(1));
        Assert.True((await cache.ValidateTokenAsync(token, Parameters())).IsValid);
        Assert.Equal(1, _keyLookups);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await cache.ValidateTokenAsync(token, Parameters())).IsValid);

        Assert.Equal(2, _keyLookups);
    }

    [Fact]
    public async Task A_remembered_token_is_refused_once_it_has_expired()
    {
        var cache = new ValidatedTokenCache(TimeProvider.System, 100);
        var token = Mint(TimeSpan.FromSeconds(2));
        Assert.True((await cache.ValidateTokenAsync(token, Parameters(TimeSpan.Zero))).IsValid);

        await Task.Delay(TimeSpan.FromSeconds(3));
        var late = await cache.ValidateTokenAsync(token, Parameters(TimeSpan.Zero));

        Assert.False(late.IsValid);
        Assert.IsType<SecurityTokenExpiredException>(late.Exception);
    }

    [Fact]
    public async Task A_refused_token_is_never_remembered()
    {
        var cache = new ValidatedTokenCache(TimeProvider.System, 100);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = Mint(TimeSpan.FromMinutes(30), new ECDsaSecurityKey(other) { KeyId = "idp-1" });

        Assert.False((await cache.ValidateTokenAsync(forged, Parameters())).IsValid);
        Assert.False((await cache.ValidateTokenAsync(forged, Parameters())).IsValid);

        Assert.Equal(2, _keyLookups);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task With_size_zero_every_request_is_validated_and_the_cache_never_grows_past_its_size()
    {
        var off = new ValidatedTokenCache(TimeProvider.System, 0);
        var token = Mint(TimeSpan.FromMinutes(30));
        Assert.True((await off.ValidateTokenAsync(token, Parameters())).IsValid);
        Assert.True((await off.ValidateTokenAsync(token, Parameters())).IsValid);
        Assert.Equal((2, 0), (_keyLookups, off.Count));

        var small = new ValidatedTokenCache(TimeProvider.System, 3);
        for (var i = 0; i < 10; i++)
            Assert.True((await small.ValidateTokenAsync(Mint(TimeSpan.FromMinutes(30)), Parameters())).IsValid);
        Assert.InRange(small.Count, 1, 3);
    }
}
