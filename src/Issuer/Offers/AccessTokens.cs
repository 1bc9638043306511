using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;

namespace Passport.Issuer.Offers;

/// <summary>Finds the redeemed offer an opaque access token from our token endpoint belongs to.</summary>
internal static class AccessTokens
{
    public static async Task<(CredentialOffer? Offer, OAuthError? Error)> AuthenticateAsync(
        HttpRequest request, string ods, IssuerDbContext db, DateTimeOffset now, bool tracked, CancellationToken cancellationToken)
    {
        var token = OfferSecrets.BearerToken(request.Headers.Authorization);
        if (token is null)
            return (null, OAuthError.MissingToken("Send the access token from the token endpoint as 'Authorization: Bearer <token>'."));
        var hash = OfferSecrets.Hash(token);
        var offers = tracked ? db.Offers : db.Offers.AsNoTracking();
        var offer = await offers.FirstOrDefaultAsync(o => o.AccessTokenHash == hash && o.OdsCode == ods, cancellationToken);
        if (offer is null)
            return (null, OAuthError.InvalidToken("The access token is not one this credential issuer gave out."));
        if (!offer.AccessTokenValidAt(now))
            return (null, OAuthError.InvalidToken("The access token has expired."));
        return (offer, null);
    }
}
