namespace Passport.Verifier;

public static class VerifierModule
{
    public static IHostApplicationBuilder AddVerifier(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks();
        return builder;
    }

    public static IEndpointRouteBuilder MapVerifier(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/health/live");
        return app;
    }
}
