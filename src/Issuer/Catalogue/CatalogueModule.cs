namespace Passport.Issuer.Catalogue;

internal static class CatalogueModule
{
    public static IHostApplicationBuilder AddIssuerCatalogue(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CatalogueOptions>().BindConfiguration(CatalogueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }
}
