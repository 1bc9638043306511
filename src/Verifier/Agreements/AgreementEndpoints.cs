using Passport.ServiceDefaults;

namespace Passport.Verifier.Agreements;

internal static class AgreementEndpoints
{
    public static IEndpointRouteBuilder MapAgreements(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/agreements").RequireAuthorization(PassportPolicies.Verifier).WithTags("Agreements");
        group.MapGet("/", ListAgreements.Handle).WithName("ListAgreements");
        group.MapGet("/{id:guid}", GetAgreement.Handle).WithName("GetAgreement");
        group.MapGet("/{id:guid}/audit", GetAgreementAudit.Handle).WithName("GetAgreementAudit");
        // An agreement names the issuers a verifier trusts: a verifier who could edit it could trust anyone and approve its own case.
        group.MapPost("/", CreateAgreement.Handle).WithName("CreateAgreement").RequireAuthorization(PassportPolicies.OrganisationAdmin);
        group.MapPut("/{id:guid}", UpdateAgreement.Handle).WithName("UpdateAgreement").RequireAuthorization(PassportPolicies.OrganisationAdmin);
        return app;
    }
}
