using Passport.ServiceDefaults;
using Passport.Verifier.Decisions;

namespace Passport.Verifier.Presentations;

internal static class PresentationEndpoints
{
    public static IHostApplicationBuilder AddPresentations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RequestSigningOptions>().BindConfiguration(RequestSigningOptions.Section);
        builder.Services.AddSingleton<RequestObjectSigner>();
        return builder;
    }

    public static IEndpointRouteBuilder MapPresentations(this IEndpointRouteBuilder app)
    {
        var verifier = app.MapGroup("/api/presentation-requests").RequireAuthorization(PassportPolicies.Verifier).WithTags("Presentation requests");
        verifier.MapPost("/", CreatePresentationRequest.Handle).WithName("CreatePresentationRequest");
        verifier.MapGet("/{id:guid}", GetPresentationRequest.Handle).WithName("GetPresentationRequest");
        verifier.MapGet("/{id:guid}/decision", GetPresentationRequest.Decision).WithName("GetPresentationDecision");
        verifier.MapGet("/{id:guid}/qr.png", GetPresentationRequest.QrPng).WithName("GetPresentationRequestQrPng");
        verifier.MapGet("/{id:guid}/qr.svg", GetPresentationRequest.QrSvg).WithName("GetPresentationRequestQrSvg");

        // Wallet-facing (OpenID4VP): anonymous; the signed request object and the nonce-bound presentations carry the trust.
        var wallet = app.MapGroup("/verifiers/{ods}").AllowAnonymous().WithTags("OpenID4VP");
        wallet.MapGet("/requests/{id:guid}", GetRequestObject.Handle).WithName("GetRequestObject");
        wallet.MapPost("/responses", ReceiveResponse.Handle).WithName("ReceivePresentationResponse")
            .Accepts<Dictionary<string, string>>("application/x-www-form-urlencoded")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .DisableAntiforgery();
        return app;
    }
}
