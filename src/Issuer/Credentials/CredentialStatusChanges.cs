using Microsoft.Extensions.Options;
using Passport.Contracts;
using Passport.Credentials.StatusList;
using Passport.Issuer.Audit;
using Passport.Issuer.Data;
using Passport.Messaging;

namespace Passport.Issuer.Credentials;

internal enum StatusChange
{
    Revoke,
    Suspend,
    Reinstate,
}

/// <summary>What a status change added to the unit of work, or why it could not be made (then it added nothing).</summary>
internal sealed record StatusChangeResult(string? Problem, OutboxMessage? Event, AuditEntry? Audit)
{
    public bool Changed => Problem is null;
}

/// <summary>
/// The one way a credential's status changes, for HR's withdrawals, suspensions and reinstatements, for re-issue and for placements:
/// the credential's own transition, its entry in the status list, the event and the audit entry, added to the caller's unit of work
/// so that they commit together when the caller saves.
/// </summary>
internal sealed class CredentialStatusChanges(IssuerDbContext db, IOptions<IssuerOptions> options)
{
    public const int MaxAuditReason = 1000;

    public Task<StatusChangeResult> RevokeAsync(IssuedCredential credential, string reason, string actor, string? auditReason, DateTimeOffset now, CancellationToken cancellationToken) =>
        ChangeAsync(credential, StatusChange.Revoke, reason, actor, auditReason, now, cancellationToken);

    /// <param name="reason">The reason code the credential and its event carry: required to revoke or suspend, ignored to reinstate.</param>
    /// <param name="auditReason">Why, in the audit trail's words; cut to <see cref="MaxAuditReason"/> characters.</param>
    public async Task<StatusChangeResult> ChangeAsync(
        IssuedCredential credential, StatusChange change, string? reason, string actor, string? auditReason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (change != StatusChange.Reinstate)
            ArgumentException.ThrowIfNullOrEmpty(reason);
        var (changed, problem) = change switch
        {
            StatusChange.Revoke => (credential.TryRevoke(reason!, now, out var p), p),
            StatusChange.Suspend => (credential.TrySuspend(reason!, now, out var p), p),
            _ => (credential.TryReinstate(now, out var p), p),
        };
        if (!changed)
            return new(problem, null, null);

        // A batch loads the lists it changes in one query beforehand; Find takes them from the change tracker without another.
        var list = await db.StatusLists.FindAsync([credential.StatusListId], cancellationToken)
            ?? throw new InvalidOperationException($"Credential {credential.Id} points at status list {credential.StatusListId}, which does not exist.");
        var uri = options.Value.StatusListUri(credential.OdsCode, credential.StatusListId);
        var (ods, staffId, type, index) = (credential.OdsCode, credential.StaffId, credential.Type, credential.StatusIndex);
        list.Set(index, change switch { StatusChange.Revoke => StatusType.Invalid, StatusChange.Suspend => StatusType.Suspended, _ => StatusType.Valid }, now);
        var outbox = change switch
        {
            StatusChange.Revoke => db.AddOutboxMessage(new CredentialRevoked
            {
                CredentialId = credential.Id, IssuerOdsCode = ods, StaffId = staffId, CredentialType = type, Reason = reason!, RevokedAt = now,
                StatusListUri = uri, StatusIndex = index,
            }, now),
            StatusChange.Suspend => db.AddOutboxMessage(new CredentialSuspended
            {
                CredentialId = credential.Id, IssuerOdsCode = ods, StaffId = staffId, CredentialType = type, Reason = reason!, SuspendedAt = now,
                StatusListUri = uri, StatusIndex = index,
            }, now),
            _ => db.AddOutboxMessage(new CredentialReinstated { CredentialId = credential.Id, IssuerOdsCode = ods, StaffId = staffId, ReinstatedAt = now }, now),
        };
        var audit = new AuditEntry
        {
            OdsCode = ods, StaffId = staffId, CredentialId = credential.Id, Actor = actor, At = now,
            Action = change switch { StatusChange.Revoke => AuditActions.Withdrawn, StatusChange.Suspend => AuditActions.Suspended, _ => AuditActions.Reinstated },
            Reason = auditReason is { Length: > MaxAuditReason } ? auditReason[..MaxAuditReason] : auditReason,
        };
        db.Audit.Add(audit);
        return new(null, outbox, audit);
    }
}
