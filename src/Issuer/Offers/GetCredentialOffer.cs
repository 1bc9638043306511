using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Offers;

/// <summary>The wallet fetches an open offer by reference (OpenID4VCI 1.0 §4.1.3); the tx_code still guards the code inside it.</summary>
internal static class GetCredentialOffer
{
    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> Handle(
        string ods, Guid id, HttpContext http, IssuerDbContext db, IDataProtectionProvider dataProtection, IOptions<IssuerOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var offer = await db.Offers.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id && o.OdsCode == ods, cancellationToken);
        if (offer is null)
            return Problems.NotFound("offer_not_found", $"There is no credential offer {id}; check the link or ask HR for a new one.");
        var state = offer.StateAt(time.GetUtcNow());
        if (state != OfferState.Open || offer.ProtectedPreAuthorizedCode is null)
            return Problems.NotFound($"offer_{state.ToString().ToLowerInvariant()}", $"This credential offer is {state.ToString().ToLowerInvariant()}; ask HR for a new one.");

        string code;
        try
        {
            code = dataProtection.CreateProtector(OfferSecrets.ProtectorPurpose).Unprotect(offer.ProtectedPreAuthorizedCode);
        }
        catch (CryptographicException)
        {
            // The Data Protection key ring that protected it is gone (for example, not shared between instances).
            return Problems.NotFound("offer_unavailable", "This credential offer can no longer be opened; ask HR for a new one.");
        }
        var types = await db.Credentials.AsNoTracking()
            .Where(c => offer.CredentialIds.Contains(c.Id))
            .Select(c => c.Type).Distinct().ToListAsync(cancellationToken);
        var body = CreateOffer.OfferObject(options.Value.IssuerIdFor(ods), types.Order(StringComparer.Ordinal), code, offer.TxCodeLength);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(body.ToJsonString(), "application/json");
    }
}
