using Passport.ServiceDefaults;

namespace Passport.Verifier.Deployments;

internal static class DeploymentEndpoints
{
    public static IEndpointRouteBuilder MapDeployments(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/deployments").RequireAuthorization(PassportPolicies.Verifier).WithTags("Deployments");
        group.MapPost("/", CreateDeployment.Handle).WithName("CreateDeployment").WithSummary("Start a deployment from an accepted decision")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", GetDeployments.List).WithName("ListDeployments").WithSummary("Your deployments, optionally in one state");
        group.MapGet("/{id:guid}", GetDeployments.One).WithName("GetDeployment").WithSummary("A deployment, with its credentials and any flags")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/extend", ChangeDeployment.Extend).WithName("ExtendDeployment").WithSummary("Extend within the agreement's maximum")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/end", ChangeDeployment.End).WithName("EndDeployment").WithSummary("End a deployment on a given day")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }
}
