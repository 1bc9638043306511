using MassTransit;
using Microsoft.EntityFrameworkCore;
using Passport.Contracts;
using Passport.Issuer.Data;
using Passport.Messaging;

namespace Passport.Issuer.Deployments;

// Thin, idempotent consumers: the inbox row commits with the change, so a redelivery is a no-op.

internal sealed class DeploymentRequestedConsumer(IssuerDbContext db, TimeProvider time) : IConsumer<DeploymentRequested>
{
    public async Task Consume(ConsumeContext<DeploymentRequested> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        if (!await db.TryRecordInboxAsync(context.MessageId!.Value, nameof(DeploymentRequestedConsumer), time.GetUtcNow(), ct))
            return;
        if (await db.Organisations.AnyAsync(o => o.OdsCode == m.HomeOdsCode, ct) && await db.Set<HomeDeployment>().FindAsync([m.DeploymentId], ct) is null)
        {
            db.Add(new HomeDeployment
            {
                Id = m.DeploymentId, HomeOdsCode = m.HomeOdsCode, HostOdsCode = m.HostOdsCode, StaffId = m.StaffId, AgreementId = m.AgreementId,
                HostSite = m.HostSite, Start = m.Start, End = m.End, RequiresApproval = m.RequiresHomeApproval,
                State = m.RequiresHomeApproval ? DeploymentStates.AwaitingApproval : DeploymentStates.Approved, UpdatedAt = time.GetUtcNow(),
                History = [new HomeDeploymentEvent { Event = "requested", At = time.GetUtcNow(), Detail = $"by {m.HostOdsCode} for {m.Start:yyyy-MM-dd} to {m.End:yyyy-MM-dd}" }],
            });
        }
        await db.SaveChangesAsync(ct);
    }
}

internal sealed class DeploymentStartedConsumer(IssuerDbContext db, TimeProvider time) : IConsumer<DeploymentStarted>
{
    public async Task Consume(ConsumeContext<DeploymentStarted> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        if (!await db.TryRecordInboxAsync(context.MessageId!.Value, nameof(DeploymentStartedConsumer), time.GetUtcNow(), ct))
            return;
        if (await db.Organisations.AnyAsync(o => o.OdsCode == m.HomeOdsCode, ct))
        {
            var d = await db.Set<HomeDeployment>().FindAsync([m.DeploymentId], ct);
            if (d is null)
            {
                d = new HomeDeployment
                {
                    Id = m.DeploymentId, HomeOdsCode = m.HomeOdsCode, HostOdsCode = m.HostOdsCode, StaffId = m.StaffId, AgreementId = Guid.Empty,
                    Start = m.Start, End = m.End, RequiresApproval = false, State = DeploymentStates.Active, UpdatedAt = time.GetUtcNow(),
                };
                db.Add(d);
            }
            if (d.State != DeploymentStates.Ended)
                d.State = DeploymentStates.Active;
            d.Start = m.Start;
            d.End = m.End;
            d.UpdatedAt = time.GetUtcNow();
            d.History.Add(new HomeDeploymentEvent { Event = "started", At = time.GetUtcNow() });
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
        if (!await db.TryRecordInboxAsync(context.MessageId!.Value, nameof(DeploymentExtendedConsumer), time.GetUtcNow(), ct))
            return;
        var known = await db.Set<HomeDeployment>().FindAsync([m.DeploymentId], ct);
        // Events travel on separate queues and may overtake the one that introduced the deployment: retry until it lands.
        if (known is null && await db.Organisations.AnyAsync(o => o.OdsCode == m.HomeOdsCode, ct))
            throw new DeploymentNotYetKnownException(m.DeploymentId);
        if (known is { } d)
        {
            d.End = m.NewEnd;
            d.UpdatedAt = time.GetUtcNow();
            d.History.Add(new HomeDeploymentEvent { Event = "extended", At = time.GetUtcNow(), Detail = $"from {m.PreviousEnd:yyyy-MM-dd} to {m.NewEnd:yyyy-MM-dd}" });
        }
        await db.SaveChangesAsync(ct);
    }
}

internal sealed class DeploymentEndedConsumer(IssuerDbContext db, TimeProvider time) : IConsumer<DeploymentEnded>
{
    public async Task Consume(ConsumeContext<DeploymentEnded> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        if (!await db.TryRecordInboxAsync(context.MessageId!.Value, nameof(DeploymentEndedConsumer), time.GetUtcNow(), ct))
            return;
        var known = await db.Set<HomeDeployment>().FindAsync([m.DeploymentId], ct);
        // Events travel on separate queues and may overtake the one that introduced the deployment: retry until it lands.
        if (known is null && await db.Organisations.AnyAsync(o => o.OdsCode == m.HomeOdsCode, ct))
            throw new DeploymentNotYetKnownException(m.DeploymentId);
        if (known is { } d)
        {
            d.State = DeploymentStates.Ended;
            d.End = m.EndedOn;
            d.UpdatedAt = time.GetUtcNow();
            d.History.Add(new HomeDeploymentEvent { Event = "ended", At = time.GetUtcNow() });
        }
        await db.SaveChangesAsync(ct);
    }
}

internal sealed class DeploymentFlaggedConsumer(IssuerDbContext db, TimeProvider time) : IConsumer<DeploymentFlagged>
{
    public async Task Consume(ConsumeContext<DeploymentFlagged> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        if (!await db.TryRecordInboxAsync(context.MessageId!.Value, nameof(DeploymentFlaggedConsumer), time.GetUtcNow(), ct))
            return;
        var known = await db.Set<HomeDeployment>().FindAsync([m.DeploymentId], ct);
        // Events travel on separate queues and may overtake the one that introduced the deployment: retry until it lands.
        if (known is null && await db.Organisations.AnyAsync(o => o.OdsCode == m.HomeOdsCode, ct))
            throw new DeploymentNotYetKnownException(m.DeploymentId);
        if (known is { } d)
        {
            d.UpdatedAt = time.GetUtcNow();
            d.History.Add(new HomeDeploymentEvent { Event = "flagged", At = m.FlaggedAt, Detail = m.Reason });
        }
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>A deployment event arrived before the event that introduced the deployment; MassTransit retries it.</summary>
public sealed class DeploymentNotYetKnownException(Guid deploymentId)
    : Exception($"Deployment {deploymentId} is not known here yet; the event will be retried.");
