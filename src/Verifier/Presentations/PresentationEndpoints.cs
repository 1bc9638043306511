using Passport.ServiceDefaults;
using Passport.Verifier.Decisions;

namespace Passport.Verifier.Presentations;

internal static class PresentationEndpoints
{
    public static IEndpointRouteBuilder MapPresentations(this IEndpointRouteBuilder app)
    {
        var verifier = app.MapGroup("/api/presentation-requests").RequireAuthorization(PassportPolicies.Verifier).WithTags("Presentation requests");
        verifier.MapPost("/", CreatePresentationRequest.Handle).WithName("CreatePresentationRequest")
            .WithSummary("Ask a member of staff for what an agreement requires of a role: an OpenID4VP request to show as a QR code or link")
            .ProducesProblem(StatusCodes.Status404NotFound);
        verifier.MapGet("/{id:guid}", GetPresentationRequest.Handle).WithName("GetPresentationRequest")
            .WithSummary("A presentation request and its state (open, answered, declined or expired)").ProducesProblem(StatusCodes.Status404NotFound);
        verifier.MapGet("/{id:guid}/decision", GetPresentationRequest.Decision).WithName("GetPresentationDecision")
            .WithSummary("The decision on what the wallet presented; 409 while it has not answered, or if it declined or the request expired")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        verifier.MapGet("/{id:guid}/qr.png", GetPresentationRequest.QrPng).WithName("GetPresentationRequestQrPng")
            .WithSummary("The request's wallet link as a PNG QR code, while it is open").Produces(StatusCodes.Status200OK, contentType: "image/png")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        verifier.MapGet("/{id:guid}/qr.svg", GetPresentationRequest.QrSvg).WithName("GetPresentationRequestQrSvg")
            .WithSummary("The request's wallet link as an SVG QR code, while it is open").Produces(StatusCodes.Status200OK, contentType: "image/svg+xml")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        // Wallet-facing (OpenID4VP): anonymous; the signed request object and the nonce-bound presentations carry the trust.
        var wallet = app.MapGroup("/verifiers/{ods}").AllowAnonymous().WithTags("OpenID4VP");
        wallet.MapGet("/requests/{id:guid}", GetRequestObject.Handle).WithName("GetRequestObject")
            .WithSummary("The signed request object (application/oauth-authz-req+jwt), fetched by the wallet while the request is open")
            .Produces(StatusCodes.Status200OK, contentType: RequestObjectSigner.MediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        wallet.MapPost("/responses", ReceiveResponse.Handle).WithName("ReceivePresentationResponse")
            .WithSummary("The wallet's answer (direct_post): its vp_token, or an error if the person declined")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .Accepts<Dictionary<string, string>>("application/x-www-form-urlencoded")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .DisableAntiforgery();
        return app;
    }
}
