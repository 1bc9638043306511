using System.Globalization;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Passport.Contracts;
using Passport.Issuer.Data;
using Passport.Issuer.Deployments;
using Passport.Messaging;

namespace Passport.Issuer.Placements;

// The host organisation's side of a deployment's events. Idempotent: the inbox row commits with the change, and one placement
// per deployment is a unique index, so a redelivered or repeated event issues nothing more.

internal sealed class DeploymentStartedPlacementConsumer(IssuerDbContext db, PlacementIssuance issuance, IVisitorNames names, TimeProvider time)
    : IConsumer<DeploymentStarted>
{
    public async Task Consume(ConsumeContext<DeploymentStarted> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var now = time.GetUtcNow();
        if (!await db.Organisations.AnyAsync(o => o.OdsCode == m.HostOdsCode, ct)
            || await db.Set<Placement>().AnyAsync(p => p.DeploymentId == m.DeploymentId, ct))
        {
            await db.SaveChangesAsync(ct);
            return;
        }

        var visitor = await db.Set<Visitor>().FirstOrDefaultAsync(v => v.HostOdsCode == m.HostOdsCode && v.HomeOdsCode == m.HomeOdsCode && v.HomeStaffId == m.StaffId, ct);
        if (visitor is null)
        {
            visitor = new Visitor { HostOdsCode = m.HostOdsCode, HomeOdsCode = m.HomeOdsCode, HomeStaffId = m.StaffId, CreatedAt = now };
            db.Add(visitor);
        }
        var (given, family) = await names.FindAsync(m.HostOdsCode, m.DeploymentId, ct);
        if (given is not null || family is not null)
            (visitor.GivenName, visitor.FamilyName) = (given, family);

        var placement = Placement.Create(new PlacementDraft
        {
            HostOdsCode = m.HostOdsCode, DeploymentId = m.DeploymentId, VisitorId = visitor.Id, HomeOdsCode = m.HomeOdsCode, DecisionId = m.DecisionId,
            AgreementId = m.AgreementId, Department = string.IsNullOrWhiteSpace(m.HostSite) ? "Not named" : m.HostSite.Trim(), Start = m.Start, End = m.End,
            HolderKeyThumbprint = m.HolderKeyThumbprint,
        }, now);
        db.Add(placement);
        if (m.HolderKeyThumbprint is null)
            placement.MarkNotIssued("The decision behind this deployment bound no wallet key, so a placement credential could not be tied to the person's wallet.", now);
        else
            await issuance.IssueAsync(placement, visitor, m.End, replaces: null, now, ct);
        await db.SaveChangesAsync(ct);
    }
}

internal sealed class DeploymentExtendedPlacementConsumer(IssuerDbContext db, PlacementIssuance issuance, TimeProvider time) : IConsumer<DeploymentExtended>
{
    public async Task Consume(ConsumeContext<DeploymentExtended> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var now = time.GetUtcNow();
        var placement = await db.Set<Placement>().FirstOrDefaultAsync(p => p.DeploymentId == m.DeploymentId, ct);
        // Events travel on separate queues and may overtake the start: retry until the placement is there.
        if (placement is null && await db.Organisations.AnyAsync(o => o.OdsCode == m.HostOdsCode, ct))
            throw new DeploymentNotYetKnownException(m.DeploymentId);
        if (placement is { State: PlacementState.Offered, CredentialId: { } current } && m.NewEnd > placement.End)
        {
            var visitor = await db.Set<Visitor>().FirstAsync(v => v.Id == placement.VisitorId, ct);
            var old = await db.Credentials.FirstAsync(c => c.Id == current, ct);
            await issuance.IssueAsync(placement, visitor, m.NewEnd, old, now, ct);
        }
        await db.SaveChangesAsync(ct);
    }
}

internal sealed class DeploymentEndedPlacementConsumer(IssuerDbContext db, PlacementIssuance issuance, TimeProvider time) : IConsumer<DeploymentEnded>
{
    public async Task Consume(ConsumeContext<DeploymentEnded> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var now = time.GetUtcNow();
        var placement = await db.Set<Placement>().FirstOrDefaultAsync(p => p.DeploymentId == m.DeploymentId, ct);
        if (placement is null && await db.Organisations.AnyAsync(o => o.OdsCode == m.HostOdsCode, ct))
        {
            // Ended before its start reached us (or before it ever started, awaiting approval): a start arriving later issues nothing.
            var ended = Placement.Create(new PlacementDraft
            {
                HostOdsCode = m.HostOdsCode, DeploymentId = m.DeploymentId, VisitorId = Guid.Empty, HomeOdsCode = m.HomeOdsCode,
                Department = "Not named", Start = m.EndedOn, End = m.EndedOn,
            }, now);
            ended.MarkNotIssued($"The deployment ended on {Day(m.EndedOn)} before a placement credential was issued.", now);
            db.Add(ended);
        }
        if (placement is { State: PlacementState.Offered })
        {
            var (code, words) = m.EndedOn < placement.Start
                ? (PlacementIssuance.CancelledReason, $"The deployment was cancelled on {Day(m.EndedOn)}, before its first day, {Day(placement.Start)}.")
                : m.EndedOn < placement.End
                    ? (PlacementIssuance.EndedReason, $"The deployment ended early, on {Day(m.EndedOn)} instead of {Day(placement.End)}.")
                    : (PlacementIssuance.EndedReason, $"The deployment ended on {Day(m.EndedOn)}.");
            await issuance.WithdrawAsync(placement, code, words, now, ct);
        }
        await db.SaveChangesAsync(ct);
    }

    private static string Day(DateOnly d) => d.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
}

/// <summary>The home organisation declined: a placement already issued for the deployment (if any) is withdrawn.</summary>
internal sealed class DeploymentDeclinedPlacementConsumer(IssuerDbContext db, PlacementIssuance issuance, TimeProvider time) : IConsumer<DeploymentDeclined>
{
    public async Task Consume(ConsumeContext<DeploymentDeclined> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var now = time.GetUtcNow();
        var placement = await db.Set<Placement>().FirstOrDefaultAsync(p => p.DeploymentId == m.DeploymentId && p.HomeOdsCode == m.HomeOdsCode, ct);
        if (placement is { State: PlacementState.Offered })
            await issuance.WithdrawAsync(placement, PlacementIssuance.CancelledReason, "The deployment was cancelled: the person's home organisation declined it.", now, ct);
        await db.SaveChangesAsync(ct);
    }
}
