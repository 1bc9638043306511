using Passport.Issuer.Audit;
using Passport.Issuer.Catalogue;
using Passport.Issuer.Organisations;
using Passport.Issuer.Staff;

namespace Passport.Issuer.Credentials;

/// <summary>Organisations, staff, the credential catalogue, issuance and the audit trail.</summary>
internal static class IssuerCore
{
    public static IHostApplicationBuilder AddIssuerCore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CatalogueOptions>().BindConfiguration(CatalogueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<CredentialMinter>();
        builder.Services.AddScoped<CredentialIssuance>();
        builder.Services.AddSingleton<Staff.EnrolmentCodes>();
        // Outside Development, minimal APIs answer a body they cannot bind with a bare 400; throwing lets the service
        return builder;
    }

    public static IEndpointRouteBuilder MapIssuerCore(this IEndpointRouteBuilder app) => app
        .MapOrganisations()
        .MapStaff()
        .MapCatalogue()
        .MapCredentials()
        .MapAudit();
}
