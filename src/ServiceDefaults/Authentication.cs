using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Passport.ServiceDefaults;

public static class Authentication
{
    /// <summary>JWT bearer authentication and the role policies. Every endpoint group requires one of them.</summary>
    public static IHostApplicationBuilder AddPassportAuthentication(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations()
            .Validate(o => !string.IsNullOrWhiteSpace(o.Authority) || !string.IsNullOrWhiteSpace(o.SigningKeys),
                "Auth: set Auth:Authority (the identity provider) or Auth:SigningKeys (a JWKS) so access tokens can be checked.")
            .ValidateOnStart();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, IServiceProvider>((jwt, auth, services) =>
                Configure(jwt, auth.Value, services.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuthorizationProblems>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PassportPolicies.Hr, p => p.RequireClaim(PassportClaims.Organisation).RequireRole(PassportRoles.HrIssuer, PassportRoles.OrganisationAdmin))
            .AddPolicy(PassportPolicies.OrganisationAdmin, p => p.RequireClaim(PassportClaims.Organisation).RequireRole(PassportRoles.OrganisationAdmin))
            .AddPolicy(PassportPolicies.Staff, p => p.RequireClaim(PassportClaims.Organisation).RequireClaim("sub").RequireRole(PassportRoles.Staff))
            .AddPolicy(PassportPolicies.Verifier, p => p.RequireClaim(PassportClaims.Organisation).RequireRole(PassportRoles.Verifier, PassportRoles.OrganisationAdmin));
        return builder;
    }

    private static void Configure(JwtBearerOptions jwt, AuthOptions auth, TimeProvider time)
    {
        jwt.MapInboundClaims = false;
        jwt.TokenHandlers.Clear();
        jwt.TokenHandlers.Add(new ValidatedTokenCache(time, auth.ValidatedTokenCacheSize));
        jwt.RequireHttpsMetadata = auth.RequireHttpsMetadata;
        if (!string.IsNullOrWhiteSpace(auth.Authority))
            jwt.Authority = auth.Authority;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = auth.Issuer,
            ValidAudience = auth.Audience,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256],
            ClockSkew = auth.ClockSkew,
            RoleClaimType = PassportClaims.Roles,
            NameClaimType = "sub",
            TryAllIssuerSigningKeys = false,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidTypes = auth.TokenTypes.Length > 0 ? auth.TokenTypes : AuthOptions.DefaultTokenTypes,
        };
        jwt.Events = new JwtBearerEvents { OnChallenge = AuthorizationProblems.ChallengeAsync };
        if (auth.RequiredScopes.Length > 0)
        {
            var required = auth.RequiredScopes.ToHashSet(StringComparer.Ordinal);
            jwt.Events.OnTokenValidated = context =>
            {
                var granted = context.Principal?.Claims.Where(c => c.Type is "scp" or "scope")
                    .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)) ?? [];
                if (!granted.Any(required.Contains))
                    context.Fail(new MissingScopeException(auth.RequiredScopes));
                return Task.CompletedTask;
            };
        }
        if (!string.IsNullOrWhiteSpace(auth.SigningKeys))
            jwt.TokenValidationParameters.IssuerSigningKeys = new JsonWebKeySet(auth.SigningKeys).GetSigningKeys();
    }

    public static string OdsCode(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue(PassportClaims.Organisation) ?? throw new InvalidOperationException("The caller has no organisation claim; the endpoint's policy should have refused it.");
    }

    public static Guid? StaffId(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Guid.TryParse(user.FindFirstValue(PassportClaims.StaffId), out var id) ? id : null;
    }

    public static string Actor(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue("sub") ?? "unknown";
    }

    public static bool IsInAnyRole(this ClaimsPrincipal user, params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(roles);
        return roles.Any(user.IsInRole);
    }

    internal static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
