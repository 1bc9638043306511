using Microsoft.EntityFrameworkCore;
using Passport.Contracts;
using Passport.Issuer.Data;
using Passport.Messaging;

namespace Passport.Issuer.Deployments;

// Thin batch consumers (InboxBatchConsumer): the inbox rows commit with the changes, so a redelivery is a no-op. Deployments
// of staff of an organisation this Issuer does not serve are not ours and change nothing.

internal sealed class DeploymentRequestedConsumer(IssuerDbContext db, TimeProvider time)
    : InboxBatchConsumer<IssuerDbContext, DeploymentRequested>(db, time)
{
    protected override async Task ApplyAsync(IssuerDbContext db, DeploymentRequested m, Guid messageId, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.Organisations.AnyAsync(o => o.OdsCode == m.HomeOdsCode, ct) && await db.Set<HomeDeployment>().FindAsync([m.DeploymentId], ct) is null)
            db.Add(HomeDeployment.Requested(m, now));
    }
}

internal sealed class DeploymentStartedConsumer(IssuerDbContext db, TimeProvider time)
    : InboxBatchConsumer<IssuerDbContext, DeploymentStarted>(db, time)
{
    protected override async Task ApplyAsync(IssuerDbContext db, DeploymentStarted m, Guid messageId, DateTimeOffset now, CancellationToken ct)
    {
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
    }
}

internal sealed class DeploymentExtendedConsumer(IssuerDbContext db, TimeProvider time)
    : InboxBatchConsumer<IssuerDbContext, DeploymentExtended>(db, time)
{
    protected override Task LoadAsync(IssuerDbContext db, IReadOnlyList<DeploymentExtended> messages, CancellationToken ct) =>
        HomeDeployments.LoadAsync(db, messages.Select(m => m.DeploymentId), ct);

    protected override async Task ApplyAsync(IssuerDbContext db, DeploymentExtended m, Guid messageId, DateTimeOffset now, CancellationToken ct) =>
        (await HomeDeployments.FindAsync(db, m.DeploymentId, m.HomeOdsCode, ct))?.Extended(m.PreviousEnd, m.NewEnd, now);
}

internal sealed class DeploymentEndedConsumer(IssuerDbContext db, TimeProvider time)
    : InboxBatchConsumer<IssuerDbContext, DeploymentEnded>(db, time)
{
    protected override Task LoadAsync(IssuerDbContext db, IReadOnlyList<DeploymentEnded> messages, CancellationToken ct) =>
        HomeDeployments.LoadAsync(db, messages.Select(m => m.DeploymentId), ct);

    protected override async Task ApplyAsync(IssuerDbContext db, DeploymentEnded m, Guid messageId, DateTimeOffset now, CancellationToken ct) =>
        (await HomeDeployments.FindAsync(db, m.DeploymentId, m.HomeOdsCode, ct))?.Ended(m.EndedOn, now);
}

internal sealed class DeploymentFlaggedConsumer(IssuerDbContext db, TimeProvider time)
    : InboxBatchConsumer<IssuerDbContext, DeploymentFlagged>(db, time)
{
    protected override Task LoadAsync(IssuerDbContext db, IReadOnlyList<DeploymentFlagged> messages, CancellationToken ct) =>
        HomeDeployments.LoadAsync(db, messages.Select(m => m.DeploymentId), ct);

    protected override async Task ApplyAsync(IssuerDbContext db, DeploymentFlagged m, Guid messageId, DateTimeOffset now, CancellationToken ct) =>
        (await HomeDeployments.FindAsync(db, m.DeploymentId, m.HomeOdsCode, ct))?.Flagged(m.Reason, m.FlaggedAt, now);
}

internal static class HomeDeployments
{
    /// <summary>Tracks the deployments of a batch's events in one query, where <see cref="FindAsync"/> then finds them.</summary>
    public static Task LoadAsync(IssuerDbContext db, IEnumerable<Guid> deploymentIds, CancellationToken cancellationToken)
    {
        var ids = deploymentIds.Distinct().ToList();
        return db.Set<HomeDeployment>().Where(d => ids.Contains(d.Id)).LoadAsync(cancellationToken);
    }

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
