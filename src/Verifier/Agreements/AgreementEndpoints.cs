using Passport.ServiceDefaults;

namespace Passport.Verifier.Agreements;

internal static class AgreementEndpoints
{
    public static IEndpointRouteBuilder MapAgreements(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/agreements").RequireAuthorization(PassportPolicies.Verifier).WithTags("Agreements");
        group.MapPost("/", CreateAgreement.Handle).WithName("CreateAgreement");
        group.MapGet("/", ListAgreements.Handle).WithName("ListAgreements");
        group.MapGet("/{id:guid}", GetAgreement.Handle).WithName("GetAgreement");
        group.MapPut("/{id:guid}", UpdateAgreement.Handle).WithName("UpdateAgreement");
        return app;
    }
}
