using Passport.ServiceDefaults;

namespace Passport.Verifier.Decisions;

internal static class DecisionEndpoints
{
    public static IHostApplicationBuilder AddDecisions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<PresentationCheck>();
        DecisionWebhook.Register(builder.Services);
        return builder;
    }

    public static IEndpointRouteBuilder MapDecisions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").RequireAuthorization(PassportPolicies.Verifier).WithTags("Decisions");
        group.MapPost("/verify", VerifyDirect.Handle).WithName("VerifyPresentations").WithBodyLimit(BoundedBody.Limit)
            .Accepts<VerifyDirect.Request>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapGet("/decisions/{id:guid}", GetDecision.Handle).WithName("GetDecision");
        return app;
    }
}
