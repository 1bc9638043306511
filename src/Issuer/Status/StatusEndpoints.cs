namespace Passport.Issuer.Status;

internal static class StatusEndpoints
{
    public static IEndpointRouteBuilder MapIssuerStatus(this IEndpointRouteBuilder app)
    {
        app.MapGet("/status/{ods}/{listId:int}", GetStatusList.Handle)
            .AllowAnonymous()
            .WithTags("Status")
            .WithSummary("The organisation's Token Status List (application/statuslist+jwt)");
        return app;
    }
}
