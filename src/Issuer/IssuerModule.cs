namespace Passport.Issuer;

public static class IssuerModule
{
    public static IHostApplicationBuilder AddIssuer(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks();
        return builder;
    }

    public static IEndpointRouteBuilder MapIssuer(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/health/live");
        return app;
    }
}
