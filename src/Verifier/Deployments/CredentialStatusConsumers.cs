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
    public Task Consume(ConsumeContext<CredentialRevoked> context)
    {
        var m = context.Message;
        return DeploymentFlagging.FlagAsync(db, time, context, nameof(CredentialRevokedConsumer), m.CredentialId, "credential_revoked", m.Reason,
            m.StatusListUri, m.StatusIndex, new Notice(m.IssuerOdsCode, StatusListValues.Invalid, m.RevokedAt));
    }
}

/// <summary>A suspended credential flags every active or requested deployment that relied on it.</summary>
internal sealed class CredentialSuspendedConsumer(VerifierDbContext db, TimeProvider time) : IConsumer<CredentialSuspended>
{
    public Task Consume(ConsumeContext<CredentialSuspended> context)
    {
        var m = context.Message;
        return DeploymentFlagging.FlagAsync(db, time, context, nameof(CredentialSuspendedConsumer), m.CredentialId, "credential_suspended", m.Reason,
            m.StatusListUri, m.StatusIndex, new Notice(m.IssuerOdsCode, StatusListValues.Suspended, m.SuspendedAt));
    }
}

/// <summary>The status an event announces, recorded so that new presentations of the credential are refused at once.</summary>
internal readonly record struct Notice(string IssuerOdsCode, byte Status, DateTimeOffset At);

internal static class DeploymentFlagging
{
    public static async Task FlagAsync(VerifierDbContext db, TimeProvider time, ConsumeContext context, string consumer, Guid credentialId, string kind,
        string reason, string? statusListUri, long? statusIndex, Notice notice)
    {
        var ct = context.CancellationToken;
        var now = time.GetUtcNow();
        // The inbox row commits with the notice, the flags and their events: a redelivery finds it and changes nothing.
        if (context.MessageId is not { } messageId || !await db.TryRecordInboxAsync(messageId, consumer, now, ct))
            return;
        await StatusNotice.RecordAsync(db, notice.IssuerOdsCode, credentialId, notice.Status, notice.At, statusListUri, statusIndex, ct);
        if (statusListUri is not null && statusIndex is { } index)
        {
            var affected = await db.Set<Deployment>()
                .Where(d => d.State == DeploymentState.Active || d.State == DeploymentState.AwaitingApproval)
                .Where(d => d.Credentials.Any(c => c.StatusListUri == statusListUri && c.StatusIndex == index))
                .ToListAsync(ct);
            foreach (var deployment in affected)
            {
                var flag = new DeploymentFlag
                {
                    CredentialId = credentialId, Kind = kind, Reason = reason, StatusListUri = statusListUri, StatusIndex = index, FlaggedAt = now,
                };
                if (!deployment.TryFlag(flag, now))
                    continue;
                db.AddOutboxMessage(new DeploymentFlagged
                {
                    DeploymentId = deployment.Id, HostOdsCode = deployment.HostOdsCode, HomeOdsCode = deployment.HomeOdsCode,
                    CredentialId = credentialId, Reason = $"{kind}: {reason}", FlaggedAt = now,
                }, now, correlationId: context.MessageId);
            }
        }
        await db.SaveChangesAsync(ct);
    }
}
