using Passport.Credentials.SdJwt;
using Passport.ServiceDefaults;

namespace Passport.Verifier.Decisions;

internal static class DecisionEndpoints
{
    public static IEndpointRouteBuilder MapDecisions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").RequireAuthorization(PassportPolicies.Verifier).WithTags("Decisions");
        group.MapPost("/verify", VerifyDirect.Handle).WithName("VerifyPresentations").WithBodyLimit(BoundedBody.Limit)
            .WithSummary("Decide presentations collected outside OpenID4VP against one of your agreements")
            .WithDescription("For integrations that are not wallets. Give the holder a fresh nonce, and have each KB-JWT bound to that nonce and "
                + "to the audience {Verifier:PublicBaseUrl}verifiers/{ODS}: this organisation's client identifier for direct verification, "
                + "where ODS is the organisation in your access token (GET /api/verifier-profile gives the wallet flow's x509_hash identifier, "
                + "which is a different one). A presentation bound to any other audience is refused (audience_not_ours, aud_mismatch).")
            .Accepts<VerifyDirect.DirectVerificationRequest>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapGet("/decisions/{id:guid}", GetDecision.Handle).WithName("GetDecision")
            .WithSummary("A decision: accepted or not, and for every requirement its outcome, why, and the credential judged")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
