using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Issuer.Catalogue;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Offers;

/// <summary>
/// Each organisation is its own credential issuer, <c>{base}/issuers/{ods}</c>, and its own OAuth authorization server
/// for the pre-authorized code grant, so the issuer metadata leaves out <c>authorization_servers</c> (OpenID4VCI 1.0 §12.2.4)
/// and the token endpoint is found in the authorization server metadata (RFC 8414) at the same path.
/// </summary>
internal static class IssuerMetadata
{
    public static bool Supports(string configurationId) => CredentialCatalogue.Find(configurationId) is not null;

    /// <summary><c>/.well-known/openid-credential-issuer/issuers/{ods}</c> (OpenID4VCI 1.0 §12.2.2, path inserted after the host).</summary>
    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> CredentialIssuer(
        string ods, HttpContext http, IssuerDbContext db, IOptions<IssuerOptions> issuerOptions, IOptions<CatalogueOptions> catalogueOptions,
        CancellationToken cancellationToken)
    {
        var organisation = await db.Organisations.AsNoTracking().Where(o => o.OdsCode == ods).Select(o => o.Name).FirstOrDefaultAsync(cancellationToken);
        if (organisation is null)
            return Problems.NotFound("issuer_not_found", $"There is no credential issuer for organisation '{ods}' here.");

        var issuer = issuerOptions.Value.IssuerIdFor(ods);
        var configurations = new JsonObject();
        foreach (var type in CredentialCatalogue.Types)
        {
            configurations[type.Key] = new JsonObject
            {
                ["format"] = "dc+sd-jwt",
                ["vct"] = CredentialCatalogue.VctFor(issuerOptions.Value, catalogueOptions.Value, type.Key),
                ["cryptographic_binding_methods_supported"] = new JsonArray("jwk"),
                ["credential_signing_alg_values_supported"] = new JsonArray("ES256"),
                ["proof_types_supported"] = new JsonObject
                {
                    ["jwt"] = new JsonObject { ["proof_signing_alg_values_supported"] = new JsonArray("ES256") },
                },
                ["credential_metadata"] = new JsonObject
                {
                    ["display"] = new JsonArray(new JsonObject { ["name"] = type.Name, ["locale"] = "en-GB", ["description"] = type.Description }),
                },
            };
        }
        var metadata = new JsonObject
        {
            ["credential_issuer"] = issuer,
            ["credential_endpoint"] = $"{issuer}/credential",
            ["nonce_endpoint"] = $"{issuer}/nonce",
            ["notification_endpoint"] = $"{issuer}/notification",
            ["display"] = new JsonArray(new JsonObject { ["name"] = organisation, ["locale"] = "en-GB" }),
            ["credential_configurations_supported"] = configurations,
        };
        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Content(metadata.ToJsonString(), "application/json");
    }

    /// <summary><c>/.well-known/oauth-authorization-server/issuers/{ods}</c> (RFC 8414 §3): where the token endpoint is.</summary>
    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> AuthorizationServer(
        string ods, HttpContext http, IssuerDbContext db, IOptions<IssuerOptions> issuerOptions, CancellationToken cancellationToken)
    {
        if (!await db.Organisations.AsNoTracking().AnyAsync(o => o.OdsCode == ods, cancellationToken))
            return Problems.NotFound("issuer_not_found", $"There is no authorization server for organisation '{ods}' here.");
        var issuer = issuerOptions.Value.IssuerIdFor(ods);
        var metadata = new JsonObject
        {
            ["issuer"] = issuer,
            ["token_endpoint"] = $"{issuer}/token",
            // RFC 8414 requires the member; there is no authorization endpoint, so no response types.
            ["response_types_supported"] = new JsonArray(),
            ["grant_types_supported"] = new JsonArray(RedeemPreAuthorizedCode.GrantType),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("none"),
            // OpenID4VCI 1.0 §12.3: wallets need no client_id for the pre-authorized code grant.
            ["pre-authorized_grant_anonymous_access_supported"] = true,
        };
        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Content(metadata.ToJsonString(), "application/json");
    }
}
