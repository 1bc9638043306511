using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Placements;

internal static class PlacementEndpoints
{
    public static IEndpointRouteBuilder MapIssuerPlacements(this IEndpointRouteBuilder app)
    {
        var host = app.MapGroup("/api/placements").RequireAuthorization(PassportPolicies.Verifier).WithTags("Placements (host organisation)");
        host.MapGet("/", GetPlacements.ForHost).WithSummary("The placement credentials your organisation issued to visitors it deployed");
        host.MapGet("/{deploymentId:guid}", GetPlacements.ForDeployment).WithSummary("A deployment's placement credential and its open offer")
            .WithDescription("The offer link (for a QR code) and its transaction code are shown while the offer is open; only the wallet that presented to you can redeem it.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/staff/{staffId:guid}/placements", GetPlacements.ForStaff).RequireAuthorization(PassportPolicies.Hr).WithTags("Deployments (home organisation)")
            .WithSummary("One member of staff's placement credentials from the organisations they are deployed to, with any open offer")
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/me/placements", GetPlacements.ForMe).RequireAuthorization(PassportPolicies.Staff).WithTags("My passport")
            .WithSummary("Your placement credentials from the organisations you are deployed to, with any offer waiting for your wallet")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }
}
