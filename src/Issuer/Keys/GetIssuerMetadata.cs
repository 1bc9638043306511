using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Keys;

/// <summary>JWT VC Issuer Metadata (draft-ietf-oauth-sd-jwt-vc §5): the issuer identifier and its keys, inline.</summary>
public sealed record IssuerMetadataResponse(string Issuer, JsonObject Jwks);

/// <summary>
/// Serves <c>/.well-known/jwt-vc-issuer/issuers/{ods}</c>, the well-known location for the issuer identifier
/// <c>{base}/issuers/{ods}</c>. An organisation with no key yet publishes an empty set: it has signed nothing, and an
/// anonymous read should not create keys (or call Key Vault).
/// </summary>
internal static class GetIssuerMetadata
{
    public static async Task<Results<Ok<IssuerMetadataResponse>, ProblemHttpResult>> Handle(
        string ods, HttpContext http, IssuerDbContext db, [FromServices] SigningKeys keys, IOptions<IssuerOptions> options,
        CancellationToken cancellationToken)
    {
        if (ods.Length > 10 || !await db.Organisations.AnyAsync(o => o.OdsCode == ods, cancellationToken))
            return Problems.NotFound("issuer_not_found", $"There is no issuer for organisation '{ods}' here.");

        var jwks = await keys.GetPublishedAsync(ods, cancellationToken);
        // Modest: a verifier meeting an unknown kid after a rotation refetches within minutes.
        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(new IssuerMetadataResponse(options.Value.IssuerIdFor(ods), jwks.ToJson()));
    }
}
