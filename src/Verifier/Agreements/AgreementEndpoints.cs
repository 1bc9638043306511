using Passport.ServiceDefaults;

namespace Passport.Verifier.Agreements;

internal static class AgreementEndpoints
{
    public static IEndpointRouteBuilder MapAgreements(this IEndpointRouteBuilder app)
    {
        // AgreementValidation checks a document whole, naming each field and rule; the validation filter would walk its
        // conditions' JSON nodes through Root and Parent without end.
        var group = app.MapGroup("/api/agreements").RequireAuthorization(PassportPolicies.Verifier).WithTags("Agreements").DisableValidation();
        group.MapGet("/", ListAgreements.Handle).WithName("ListAgreements").WithSummary("Your organisation's workforce sharing agreements, current versions");
        group.MapGet("/{id:guid}", GetAgreement.Handle).WithName("GetAgreement")
            .WithSummary("An agreement: its current version, or an earlier one with ?version=")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/audit", GetAgreementAudit.Handle).WithName("GetAgreementAudit")
            .WithSummary("Who created and changed an agreement, and when").ProducesProblem(StatusCodes.Status404NotFound);
        // An agreement names the issuers a verifier trusts: a verifier who could edit it could trust anyone and approve its own case.
        group.MapPost("/", CreateAgreement.Handle).WithName("CreateAgreement").RequireAuthorization(PassportPolicies.OrganisationAdmin)
            .WithSummary("Record a workforce sharing agreement: parties, period, roles and what each role requires");
        group.MapPut("/{id:guid}", UpdateAgreement.Handle).WithName("UpdateAgreement").RequireAuthorization(PassportPolicies.OrganisationAdmin)
            .WithSummary("Save a new version of an agreement; decisions already made keep the version they were made under")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        // The home organisation's HR reads these to offer staff; a host's own agreements stay behind the verifier policy above.
        app.MapGet("/api/partner-agreements", ListPartnerAgreements.Handle).RequireAuthorization(PassportPolicies.Hr).WithTags("Agreements")
            .WithName("ListPartnerAgreements")
            .WithSummary("Other organisations' agreements that name yours as a party, in force or to come: the host, period, roles and whether the host may ask for your staff");
        return app;
    }
}
