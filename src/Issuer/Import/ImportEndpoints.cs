using Passport.ServiceDefaults;

namespace Passport.Issuer.Import;

internal static class ImportEndpoints
{
    public static IEndpointRouteBuilder MapIssuerImport(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/imports").RequireAuthorization(PassportPolicies.Hr).WithTags("Import");
        group.MapPost("/", StartImport.Handle)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Import a CSV export of staff, training and check rows; runs as a background job");
        group.MapGet("/{id:guid}", GetImport.Handle).WithSummary("An import's progress, totals and first row errors");
        group.MapGet("/{id:guid}/errors", ListImportErrors.Handle).WithSummary("An import's row errors (line, field, reason), a page at a time");
        return app;
    }
}
