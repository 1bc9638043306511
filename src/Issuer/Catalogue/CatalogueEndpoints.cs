namespace Passport.Issuer.Catalogue;

internal static class CatalogueEndpoints
{
    public static IEndpointRouteBuilder MapCatalogue(this IEndpointRouteBuilder app)
    {
        app.MapGet("/vct/{type}", GetTypeMetadata.Handle)
            .AllowAnonymous()
            .WithTags("Catalogue")
            .WithSummary("SD-JWT VC Type Metadata for a credential type's vct");

        app.MapGet("/api/catalogue", ListCatalogue.Handle)
            .RequireAuthorization()
            .WithTags("Catalogue")
            .WithSummary("The credential types HR can issue, and the claims each takes");
        return app;
    }
}
