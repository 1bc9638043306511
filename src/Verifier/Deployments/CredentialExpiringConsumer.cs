using System.Globalization;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Passport.Contracts;
using Passport.Messaging;
using Passport.Verifier.Data;

namespace Passport.Verifier.Deployments;

/// <summary>
/// A credential will lapse: every active or requested deployment that relied on it and runs past its expiry is flagged,
/// once per credential however many of the issuer's alert thresholds arrive.
/// </summary>
internal sealed class CredentialExpiringConsumer(VerifierDbContext db, TimeProvider time) : IConsumer<CredentialExpiring>
{
    public const string Kind = "credential_expiring";

    public async Task Consume(ConsumeContext<CredentialExpiring> context)
    {
        var ct = context.CancellationToken;
        var now = time.GetUtcNow();
        if (context.MessageId is not { } messageId || !await db.TryRecordInboxAsync(messageId, nameof(CredentialExpiringConsumer), now, ct))
            return;
        var m = context.Message;
        // An alert from an issuer that does not yet say where the credential's status lives cannot be matched to a deployment.
        if (m.StatusListUri is { } uri && m.StatusIndex is { } index)
        {
            // The deployment's last day is worked in full: a credential must be valid until midnight (UTC) at its close.
            var lastDayCovered = DateOnly.FromDateTime(m.ExpiresAt.UtcDateTime).AddDays(-1);
            var affected = await db.Set<Deployment>()
                .Where(d => d.State == DeploymentState.Active || d.State == DeploymentState.AwaitingApproval)
                .Where(d => d.End > lastDayCovered)
                .Where(d => d.Credentials.Any(c => c.StatusListUri == uri && c.StatusIndex == index))
                .ToListAsync(ct);
            var reason = "expires " + m.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            foreach (var deployment in affected)
            {
                var flag = new DeploymentFlag
                {
                    CredentialId = m.CredentialId, Kind = Kind, Reason = reason, StatusListUri = uri, StatusIndex = index, FlaggedAt = now,
                };
                if (!deployment.TryFlag(flag, now))
                    continue;
                db.AddOutboxMessage(new DeploymentFlagged
                {
                    DeploymentId = deployment.Id, HostOdsCode = deployment.HostOdsCode, HomeOdsCode = deployment.HomeOdsCode,
                    CredentialId = m.CredentialId, Reason = $"{Kind}: {reason}, before the deployment's last day {deployment.End:yyyy-MM-dd}",
                    FlaggedAt = now,
                }, now, correlationId: messageId);
            }
        }
        await db.SaveChangesAsync(ct);
    }
}
