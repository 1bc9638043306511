using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Passport.Issuer.Catalogue;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Offers;

/// <summary>
/// OpenID4VCI 1.0, pre-authorized code flow: HR's offers and the wallet's requests, and HR's view of what the wallets said.
/// The wallet-facing routes authenticate with the opaque access token from the token endpoint, not the staff login.
/// </summary>
internal static class OfferEndpoints
{
    public static IEndpointRouteBuilder MapIssuerOffers(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/openid-credential-issuer/issuers/{ods}", IssuerMetadata.CredentialIssuer)
            .AllowAnonymous().WithTags("OpenID4VCI").WithSummary("Credential issuer metadata of the organisation");
        app.MapGet("/.well-known/oauth-authorization-server/issuers/{ods}", IssuerMetadata.AuthorizationServer)
            .AllowAnonymous().WithTags("OpenID4VCI").WithSummary("OAuth authorization server metadata (the token endpoint)");

        var wallet = app.MapGroup("/issuers/{ods}").AllowAnonymous().AddEndpointFilter<KnownIssuer>().WithTags("OpenID4VCI");
        wallet.MapGet("/credential-offers/{id:guid}", GetCredentialOffer.Handle).WithSummary("An open credential offer, fetched by reference");
        wallet.MapPost("/token", RedeemPreAuthorizedCode.Handle).DisableAntiforgery().Produces<JsonObject>(StatusCodes.Status200OK)
            .WithSummary("Token endpoint: pre-authorized code and tx_code for an access token");
        wallet.MapPost("/nonce", IssueNonce.Handle).WithSummary("A fresh c_nonce for key proofs");
        wallet.MapPost("/credential", DeliverCredential.Handle).ReadsOwnJsonBody().Produces<JsonObject>(StatusCodes.Status200OK).WithSummary("Credential endpoint: an SD-JWT VC bound to the holder's key");
        wallet.MapPost("/notification", ReceiveNotification.Handle).ReadsOwnJsonBody()
            .WithSummary("The wallet's accept (credential_accepted) or reject (credential_deleted, with reason duplicate | incorrect | not_wanted | other as the member 'reason' or the start of event_description) or credential_failure");

        // A member of staff offers their own active credentials to their wallet, for instance from a computer to their phone.
        app.MapPost("/api/me/offers", (CreateOffer.CreateOfferRequest? request, ClaimsPrincipal user, IssuerDbContext db, IDataProtectionProvider dataProtection,
                IOptions<IssuerOptions> options, TxCodeDigests txCodes, TimeProvider time, CancellationToken cancellationToken) =>
                CreateOffer.Handle(user.StaffId()!.Value, request, user, db, dataProtection, options, txCodes, time, messages: null, cancellationToken))
            .RequireAuthorization(PassportPolicies.Staff).WithTags("My passport")
            .WithSummary("Offer your own active credentials to your wallet; returns the offer URI and the tx_code");

        var hr = app.MapGroup("/api").RequireAuthorization(PassportPolicies.Hr).WithTags("Offers");
        hr.MapPost("/staff/{staffId:guid}/offers", CreateOffer.Handle).WithSummary("Offer a member of staff their active credentials; returns the offer URI and the tx_code (shown once)");
        hr.MapGet("/offers/{id:guid}/qr.png", GetOfferQr.Png).WithSummary("The offer URI as a PNG QR code");
        hr.MapGet("/offers/{id:guid}/qr.svg", GetOfferQr.Svg).WithSummary("The offer URI as an SVG QR code");
        hr.MapGet("/notifications", ListNotifications.Handle).WithSummary("What wallets said about delivered credentials; unresolved=true for rejections and failures awaiting HR");
        hr.MapPost("/notifications/{id:guid}/resolve", ResolveNotification.Handle)
            .WithSummary("Close a rejection or failure with what was done (re-issue with POST /api/credentials/{id}/reissue first)");
        return app;
    }
}
