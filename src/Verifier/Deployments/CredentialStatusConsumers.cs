using MassTransit;
using Microsoft.EntityFrameworkCore;
using Passport.Contracts;
using Passport.Messaging;
using Passport.Verifier.Data;
using Passport.Verifier.Trust;

namespace Passport.Verifier.Deployments;

/// <summary>A withdrawn credential flags every active or requested deployment that relied on it.</summary>
internal sealed class CredentialRevokedConsumer(VerifierDbContext db, TimeProvider time) : IConsumer<CredentialRevoked>
{
    public async Task Consume(ConsumeContext<CredentialRevoked> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var now = time.GetUtcNow();
        await StatusNotice.RecordAsync(db, m.IssuerOdsCode, m.CredentialId, StatusListValues.Invalid, m.RevokedAt, m.StatusListUri, m.StatusIndex, ct);
        if (m.StatusListUri is { } uri && m.StatusIndex is { } index)
            await DeploymentFlagging.FlagAsync(db, new CredentialFlag(m.CredentialId, "credential_revoked", m.Reason, uri, index), now, context.MessageId, ct);
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>A suspended credential flags every active or requested deployment that relied on it.</summary>
internal sealed class CredentialSuspendedConsumer(VerifierDbContext db, TimeProvider time) : IConsumer<CredentialSuspended>
{
    public async Task Consume(ConsumeContext<CredentialSuspended> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var now = time.GetUtcNow();
        await StatusNotice.RecordAsync(db, m.IssuerOdsCode, m.CredentialId, StatusListValues.Suspended, m.SuspendedAt, m.StatusListUri, m.StatusIndex, ct);
        if (m.StatusListUri is { } uri && m.StatusIndex is { } index)
            await DeploymentFlagging.FlagAsync(db, new CredentialFlag(m.CredentialId, "credential_suspended", m.Reason, uri, index), now, context.MessageId, ct);
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>What happened to a credential, found again by its place in its issuer's status list.</summary>
internal sealed record CredentialFlag(Guid CredentialId, string Kind, string Reason, string StatusListUri, long StatusIndex);

internal static class DeploymentFlagging
{
    /// <summary>
    /// Flags every active or requested deployment that relied on the credential (and, given <paramref name="lastDayCovered"/>,
    /// runs past it), each with its <see cref="DeploymentFlagged"/> event; one already flagged for the same credential and
    /// kind is left alone. The caller saves.
    /// </summary>
    public static async Task FlagAsync(VerifierDbContext db, CredentialFlag credential, DateTimeOffset now, Guid? correlationId, CancellationToken cancellationToken,
        DateOnly? lastDayCovered = null)
    {
        var (uri, index) = (credential.StatusListUri, credential.StatusIndex);
        var affected = db.Set<Deployment>()
            .Where(d => d.State == DeploymentState.Active || d.State == DeploymentState.AwaitingApproval)
            .Where(d => d.Credentials.Any(c => c.StatusListUri == uri && c.StatusIndex == index));
        if (lastDayCovered is { } covered)
            affected = affected.Where(d => d.End > covered);
        foreach (var deployment in await affected.ToListAsync(cancellationToken))
        {
            var flag = new DeploymentFlag
            {
                CredentialId = credential.CredentialId, Kind = credential.Kind, Reason = credential.Reason, StatusListUri = uri, StatusIndex = index, FlaggedAt = now,
            };
            if (!deployment.TryFlag(flag, now))
                continue;
            var reason = $"{credential.Kind}: {credential.Reason}";
            db.AddOutboxMessage(new DeploymentFlagged
            {
                DeploymentId = deployment.Id, HostOdsCode = deployment.HostOdsCode, HomeOdsCode = deployment.HomeOdsCode, CredentialId = credential.CredentialId,
                Reason = lastDayCovered is null ? reason : $"{reason}, before the deployment's last day {deployment.End:yyyy-MM-dd}", FlaggedAt = now,
            }, now, correlationId);
        }
    }
}
