using Microsoft.EntityFrameworkCore;
using Passport.Contracts;
using Passport.Messaging;
using Passport.Verifier.Data;
using Passport.Verifier.Trust;

namespace Passport.Verifier.Deployments;

/// <summary>A withdrawn credential flags every active or requested deployment that relied on it.</summary>
internal sealed class CredentialRevokedConsumer(VerifierDbContext db, TimeProvider time) : InboxBatchConsumer<VerifierDbContext, CredentialRevoked>(db, time)
{
    protected override Task ApplyAsync(VerifierDbContext db, CredentialRevoked m, Guid messageId, DateTimeOffset now, CancellationToken ct) =>
        new StatusChange(m.IssuerOdsCode, m.CredentialId, StatusListValues.Invalid, m.RevokedAt, "credential_revoked", m.Reason, m.StatusListUri, m.StatusIndex)
            .ApplyAsync(db, now, messageId, ct);
}

/// <summary>A suspended credential flags every active or requested deployment that relied on it.</summary>
internal sealed class CredentialSuspendedConsumer(VerifierDbContext db, TimeProvider time) : InboxBatchConsumer<VerifierDbContext, CredentialSuspended>(db, time)
{
    protected override Task ApplyAsync(VerifierDbContext db, CredentialSuspended m, Guid messageId, DateTimeOffset now, CancellationToken ct) =>
        new StatusChange(m.IssuerOdsCode, m.CredentialId, StatusListValues.Suspended, m.SuspendedAt, "credential_suspended", m.Reason, m.StatusListUri, m.StatusIndex)
            .ApplyAsync(db, now, messageId, ct);
}

/// <summary>A withdrawal or suspension the credential's issuer announced on the bus.</summary>
internal sealed record StatusChange(
    string IssuerOdsCode, Guid CredentialId, byte Status, DateTimeOffset At, string Kind, string Reason, string? StatusListUri, long? StatusIndex)
{
    /// <summary>
    /// Records the status, so that new presentations of the credential are refused at once, and flags the deployments that
    /// relied on it; an event that does not say where the credential's status lives can flag none. The caller saves.
    /// </summary>
    public async Task ApplyAsync(VerifierDbContext db, DateTimeOffset now, Guid? correlationId, CancellationToken cancellationToken)
    {
        await StatusNotice.RecordAsync(db, IssuerOdsCode, CredentialId, Status, At, StatusListUri, StatusIndex, cancellationToken);
        if (StatusListUri is { } uri && StatusIndex is { } index)
            await DeploymentFlagging.FlagAsync(db, new CredentialFlag(CredentialId, Kind, Reason, uri, index), now, correlationId, cancellationToken);
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
