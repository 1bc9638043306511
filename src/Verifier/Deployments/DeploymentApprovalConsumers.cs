using MassTransit;
using Microsoft.EntityFrameworkCore;
using Passport.Contracts;
using Passport.Messaging;
using Passport.Verifier.Data;

namespace Passport.Verifier.Deployments;

/// <summary>The home organisation approved: the deployment starts, and says so.</summary>
internal sealed class DeploymentApprovedConsumer(VerifierDbContext db, TimeProvider time) : IConsumer<DeploymentApproved>
{
    public async Task Consume(ConsumeContext<DeploymentApproved> context)
    {
        var ct = context.CancellationToken;
        var now = time.GetUtcNow();
        var m = context.Message;
        // Only the person's home organisation can approve; an approval from anyone else, or for a settled deployment, changes nothing.
        var deployment = await db.Set<Deployment>().FirstOrDefaultAsync(d => d.Id == m.DeploymentId && d.HomeOdsCode == m.HomeOdsCode, ct);
        if (deployment is not null && deployment.TryApprove(now, out _))
            db.AddOutboxMessage(deployment.Started(), now, correlationId: context.MessageId);
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>The home organisation declined: the deployment does not go ahead.</summary>
internal sealed class DeploymentDeclinedConsumer(VerifierDbContext db, TimeProvider time) : IConsumer<DeploymentDeclined>
{
    public async Task Consume(ConsumeContext<DeploymentDeclined> context)
    {
        var ct = context.CancellationToken;
        var now = time.GetUtcNow();
        var m = context.Message;
        var deployment = await db.Set<Deployment>().FirstOrDefaultAsync(d => d.Id == m.DeploymentId && d.HomeOdsCode == m.HomeOdsCode, ct);
        deployment?.TryDecline(m.Reason.Length > 500 ? m.Reason[..500] : m.Reason, now, out _);
        await db.SaveChangesAsync(ct);
    }
}
