using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Credentials.StatusList;
using Passport.Issuer.Data;
using Passport.Issuer.Keys;
using Passport.ServiceDefaults;
using TokenStatusList = Passport.Credentials.StatusList.StatusList;

namespace Passport.Issuer.Status;

/// <summary>
/// Serves an organisation's status list token (draft-ietf-oauth-status-list §8). The token is re-signed on the first
/// request after any change, so a withdrawal is visible at once to a verifier whose cached copy's ttl has run out.
/// </summary>
internal static class GetStatusList
{
    public const string MediaType = "application/statuslist+jwt";

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> Handle(
        string ods, int listId, HttpContext http, IssuerDbContext db, [FromServices] SigningKeys keys, IOptions<IssuerOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var list = await db.StatusLists.FirstOrDefaultAsync(l => l.Id == listId && l.OdsCode == ods, cancellationToken);
        if (list is null)
            return Problems.NotFound("status_list_not_found", $"Organisation {ods} has no status list {listId}.");

        var now = time.GetUtcNow();
        var o = options.Value;
        if (list.Token is null || list.TokenVersion != list.Version || list.TokenExpiresAt is null || list.TokenExpiresAt - now < o.StatusListLifetime / 2)
        {
            var key = await keys.GetActiveAsync(ods, cancellationToken);
            var expires = now + o.StatusListLifetime;
            list.Token = await StatusListToken.CreateAsync(new StatusListTokenClaims
            {
                Subject = o.StatusListUri(ods, listId),
                List = TokenStatusList.FromBytes(list.Data, list.Bits, list.Size),
                IssuedAt = now,
                ExpiresAt = expires,
                TimeToLive = o.StatusListTtl,
                Issuer = o.IssuerIdFor(ods),
            }, key.Signer, key.Reference, cancellationToken);
            list.TokenVersion = list.Version;
            list.TokenExpiresAt = expires;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // A status changed while we signed: serve what we made (it is valid for its version) without caching it.
                http.Response.Headers.CacheControl = "no-cache";
                return TypedResults.Content(list.Token, MediaType);
            }
        }
        http.Response.Headers.CacheControl = $"public, max-age={(int)o.StatusListTtl.TotalSeconds}";
        http.Response.Headers.LastModified = list.UpdatedAt.ToString("R");
        return TypedResults.Content(list.Token, MediaType);
    }
}
