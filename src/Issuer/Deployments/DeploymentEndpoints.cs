using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Deployments;

internal static class DeploymentEndpoints
{
    public static IEndpointRouteBuilder MapIssuerDeployments(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").RequireAuthorization(PassportPolicies.Hr).WithTags("Deployments (home organisation)");
        // Not /api/deployments: the Verifier's list of the deployments an organisation hosts answers there, and both run in one host.
        group.MapGet("/home-deployments", ListDeployments.ForOrganisation).WithSummary("Where our staff are deployed");
        group.MapGet("/home-deployments/{id:guid}", ListDeployments.One).WithSummary("One deployment of our staff, with its history")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/staff/{staffId:guid}/deployments", ListDeployments.ForStaff).WithSummary("One member of staff's deployments and their history");
        group.MapPost("/home-deployments/{id:guid}/approve", DecideDeployment.Approve).WithSummary("Approve a deployment that needs the home organisation's approval");
        group.MapPost("/home-deployments/{id:guid}/decline", DecideDeployment.Decline).WithSummary("Decline it, with a reason");
        app.MapGet("/api/me/deployments", ListDeployments.ForMe).RequireAuthorization(PassportPolicies.Staff).WithTags("My passport")
            .WithSummary("Where you are deployed, now and before");
        return app;
    }
}

internal sealed class HomeDeploymentConfiguration : IEntityTypeConfiguration<HomeDeployment>
{
    public void Configure(EntityTypeBuilder<HomeDeployment> e)
    {
        e.ToTable("home_deployments");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).ValueGeneratedNever();
        e.Property(x => x.HomeOdsCode).HasMaxLength(10);
        e.Property(x => x.HostOdsCode).HasMaxLength(10);
        e.Property(x => x.HostSite).HasMaxLength(200);
        e.Property(x => x.State).HasMaxLength(30);
        e.HasIndex(x => new { x.HomeOdsCode, x.StaffId });
        e.OwnsMany(x => x.History, h => h.ToJson());
    }
}
