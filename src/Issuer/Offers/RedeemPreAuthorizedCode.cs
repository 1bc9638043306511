using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;

namespace Passport.Issuer.Offers;

/// <summary>
/// The token endpoint for the pre-authorized code grant (OpenID4VCI 1.0 §6): the code is single use, the tx_code
/// is counted and locks the offer after <see cref="CredentialOffer.MaxTxCodeAttempts"/> attempts, and the answer is an
/// opaque Bearer access token of which only the hash is kept.
/// </summary>
internal static class RedeemPreAuthorizedCode
{
    public const string GrantType = "urn:ietf:params:oauth:grant-type:pre-authorized_code";

    public static async Task<Results<ContentHttpResult, OAuthError>> Handle(
        string ods, HttpContext http, IssuerDbContext db, TxCodeDigests txCodes, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!http.Request.HasFormContentType)
            return OAuthError.InvalidRequest("Send the token request as application/x-www-form-urlencoded (RFC 6749 §4.1.3).");
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException)
        {
            return OAuthError.InvalidRequest("The form body could not be read: too many or too long parameters.");
        }
        foreach (var (name, values) in form)
        {
            // RFC 6749 §3.2: request parameters must not be repeated.
            if (values.Count > 1)
                return OAuthError.InvalidRequest($"The parameter '{name}' is repeated.");
        }
        var grantType = form["grant_type"].ToString();
        if (grantType.Length == 0)
            return OAuthError.InvalidRequest("The grant_type parameter is missing.");
        if (grantType != GrantType)
            return OAuthError.UnsupportedGrantType($"Only the {GrantType} grant is supported here.");
        var code = form["pre-authorized_code"].ToString();
        if (code.Length == 0)
            return OAuthError.InvalidRequest("The pre-authorized_code parameter is missing.");
        var txCode = form["tx_code"].ToString();
        if (txCode.Length == 0)
            return OAuthError.InvalidRequest("This offer needs the transaction code (tx_code) that HR gave the member of staff.");

        var codeHash = OfferSecrets.Hash(code);
        for (var attempt = 0; ; attempt++)
        {
            var offer = await db.Offers.FirstOrDefaultAsync(o => o.PreAuthorizedCodeHash == codeHash && o.OdsCode == ods, cancellationToken);
            if (offer is null)
                return OAuthError.InvalidGrant("The pre-authorized code is not known to this issuer.");
            var now = time.GetUtcNow();
            if (!offer.TryCountTxCodeAttempt(now, out var problem))
                return OAuthError.InvalidGrant(problem!);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 10)
            {
                // Another attempt on the same offer was counted first: count this one again on fresh state.
                db.ChangeTracker.Clear();
                continue;
            }

            if (!txCodes.Matches(txCode, codeHash, offer.TxCodeHash))
            {
                var left = CredentialOffer.MaxTxCodeAttempts - offer.TxCodeAttempts;
                return OAuthError.InvalidGrant(left > 0
                    ? $"The transaction code is wrong; {left} attempt(s) left."
                    : "The transaction code is wrong and the offer is now locked; ask HR for a new offer.");
            }

            var accessToken = OfferSecrets.NewToken();
            if (!offer.TryRedeem(OfferSecrets.Hash(accessToken), now, OfferSecrets.AccessTokenLifetime, out problem))
                return OAuthError.InvalidGrant(problem!);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return OAuthError.InvalidGrant("The pre-authorized code has already been used; ask HR for a new offer.");
            }

            var configurations = await db.Credentials.AsNoTracking()
                .Where(c => offer.CredentialIds.Contains(c.Id))
                .Select(c => new { c.Id, c.Type })
                .ToListAsync(cancellationToken);
            var body = new JsonObject
            {
                ["access_token"] = accessToken,
                ["token_type"] = "Bearer",
                ["expires_in"] = (int)OfferSecrets.AccessTokenLifetime.TotalSeconds,
                // OpenID4VCI 1.0 §6.2: which credential datasets the token covers, so a wallet can ask for each one.
                ["authorization_details"] = new JsonArray([.. configurations
                    .GroupBy(c => c.Type, StringComparer.Ordinal)
                    .OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => (JsonNode)new JsonObject
                    {
                        ["type"] = "openid_credential",
                        ["credential_configuration_id"] = g.Key,
                        ["credential_identifiers"] = new JsonArray([.. g.Select(c => (JsonNode)c.Id.ToString())]),
                    })]),
            };
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers.Pragma = "no-cache";
            return TypedResults.Content(body.ToJsonString(), "application/json");
        }
    }
}
