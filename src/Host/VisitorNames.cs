using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Placements;
using Passport.Verifier.Data;
using Passport.Verifier.Deployments;

namespace Passport.Host;

/// <summary>
/// With the Issuer and the Verifier in one process, the host's placement credential names the visitor as their own credentials
/// disclosed it to the host's Verifier (kept on the deployment), without the name ever travelling on the bus.
/// </summary>
internal sealed class VisitorNamesFromDeployments(VerifierDbContext verifier) : IVisitorNames
{
    public async Task<(string? GivenName, string? FamilyName)> FindAsync(string hostOdsCode, Guid deploymentId, CancellationToken cancellationToken)
    {
        var names = await verifier.Set<Deployment>().AsNoTracking().Where(d => d.Id == deploymentId && d.HostOdsCode == hostOdsCode)
            .Select(d => new { d.GivenName, d.FamilyName }).FirstOrDefaultAsync(cancellationToken);
        return (names?.GivenName, names?.FamilyName);
    }
}

internal static class VisitorNamesRegistration
{
    public static IHostApplicationBuilder AddVisitorNamesFromDeployments(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<IVisitorNames, VisitorNamesFromDeployments>();
        return builder;
    }
}
