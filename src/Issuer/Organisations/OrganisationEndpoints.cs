using Passport.ServiceDefaults;

namespace Passport.Issuer.Organisations;

internal static class OrganisationEndpoints
{
    public static IEndpointRouteBuilder MapOrganisations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organisation").WithTags("Organisation");
        group.MapPut("/", RegisterOrganisation.Handle).RequireAuthorization(PassportPolicies.OrganisationAdmin)
            .WithSummary("Register your organisation (from your token's ODS code), or rename it");
        group.MapGet("/", GetOrganisation.Handle).RequireAuthorization(PassportPolicies.Hr)
            .WithSummary("Your organisation, with its issuer identifier");
        app.MapGet("/api/organisations", ListOrganisations.Handle).RequireAuthorization().WithTags("Organisation")
            .WithSummary("Every registered organisation by name, with its issuer identifier (any signed-in caller)");
        return app;
    }
}
