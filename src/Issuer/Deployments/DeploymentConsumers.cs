using MassTransit;
using Microsoft.EntityFrameworkCore;
using Passport.Contracts;
using Passport.Issuer.Data;

namespace Passport.Issuer.Deployments;

// Thin consumers: the inbox row commits with the change, so a redelivery is a no-op. Deployments of staff of an
// organisation this Issuer does not serve are not ours and change nothing.

internal sealed class DeploymentRequestedConsumer(IssuerDbContext db, TimeProvider time) : IConsumer<DeploymentRequested>
{
    public async Task Consume(ConsumeContext<DeploymentRequested> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        if (await db.Organisations.AnyAsync(o => o.OdsCode == m.HomeOdsCode, ct) && await db.Set<HomeDeployment>().FindAsync([m.DeploymentId], ct) is null)
            db.Add(HomeDeployment.Requested(m, time.GetUtcNow()));
        await db.SaveChangesAsync(ct);
    }
}

internal sealed class DeploymentStartedConsumer(IssuerDbContext db, TimeProvider time) : IConsumer<DeploymentStarted>
{
    public async Task Consume(ConsumeContext<DeploymentStarted> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var now = time.GetUtcNow();
        if (await db.Organisations.AnyAsync(o => o.OdsCode == m.HomeOdsCode, ct))
        {
            var d = await db.Set<HomeDeployment>().FindAsync([m.DeploymentId], ct);
            if (d is null)
            {
                d = HomeDeployment.KnownFromStart(m, now);
                db.Add(d);
            }
            d.Started(m.Start, m.End, now);
        }
        await db.SaveChangesAsync(ct);
    }
}

internal sealed class DeploymentExtendedConsumer(IssuerDbContext db, TimeProvider time) : IConsumer<DeploymentExtended>
{
    public async Task Consume(ConsumeContext<DeploymentExtended> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        (await HomeDeployments.FindAsync(db, m.DeploymentId, m.HomeOdsCode, ct))?.Extended(m.PreviousEnd, m.NewEnd, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
    }
}

internal sealed class DeploymentEndedConsumer(IssuerDbContext db, TimeProvider time) : IConsumer<DeploymentEnded>
{
    public async Task Consume(ConsumeContext<DeploymentEnded> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        (await HomeDeployments.FindAsync(db, m.DeploymentId, m.HomeOdsCode, ct))?.Ended(m.EndedOn, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
    }
}

internal sealed class DeploymentFlaggedConsumer(IssuerDbContext db, TimeProvider time) : IConsumer<DeploymentFlagged>
{
    public async Task Consume(ConsumeContext<DeploymentFlagged> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        (await HomeDeployments.FindAsync(db, m.DeploymentId, m.HomeOdsCode, ct))?.Flagged(m.Reason, m.FlaggedAt, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
    }
}

internal static class HomeDeployments
{
    /// <summary>
    /// The deployment a later event is about; null when its person's organisation is not ours. Events travel on separate
    /// queues and may overtake the one that introduced the deployment: then this throws, and the event is retried until it lands.
    /// </summary>
    public static async Task<HomeDeployment?> FindAsync(IssuerDbContext db, Guid deploymentId, string homeOdsCode, CancellationToken cancellationToken)
    {
        var known = await db.Set<HomeDeployment>().FindAsync([deploymentId], cancellationToken);
        if (known is null && await db.Organisations.AnyAsync(o => o.OdsCode == homeOdsCode, cancellationToken))
            throw new DeploymentNotYetKnownException(deploymentId);
        return known;
    }
}

/// <summary>A deployment event arrived before the event that introduced the deployment; MassTransit retries it.</summary>
public sealed class DeploymentNotYetKnownException(Guid deploymentId)
    : Exception($"Deployment {deploymentId} is not known here yet; the event will be retried.");
