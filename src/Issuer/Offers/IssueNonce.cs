using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Passport.Issuer.Data;

namespace Passport.Issuer.Offers;

/// <summary>The nonce endpoint (OpenID4VCI 1.0 §7): a fresh, single-use c_nonce for key proofs. Only its hash is kept.</summary>
internal static class IssueNonce
{
    public static async Task<ContentHttpResult> Handle(HttpContext http, IssuerDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var nonce = OfferSecrets.NewToken();
        db.Nonces.Add(new IssuanceNonce { Hash = OfferSecrets.Hash(nonce), ExpiresAt = time.GetUtcNow() + OfferSecrets.NonceLifetime });
        await db.SaveChangesAsync(cancellationToken);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(new JsonObject { ["c_nonce"] = nonce }.ToJsonString(), "application/json");
    }
}
