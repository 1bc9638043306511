using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Keys;

internal static class KeyEndpoints
{
    public static IEndpointRouteBuilder MapIssuerKeys(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/jwt-vc-issuer/issuers/{ods}", GetIssuerMetadata.Handle)
            .AllowAnonymous()
            .WithTags("Keys")
            .WithSummary("JWT VC Issuer Metadata: the organisation's issuer identifier and published keys (JWKS)");

        var keys = app.MapGroup("/api/keys").RequireAuthorization(PassportPolicies.OrganisationAdmin).WithTags("Keys");
        keys.MapGet("/", ListKeys.Handle).WithSummary("The organisation's signing keys (public lifecycle only)");
        keys.MapPost("/rotate", RotateKey.Handle).WithSummary("Switch signing to a new key; the old one stays published until what it signed expires");
        return app;
    }
}
