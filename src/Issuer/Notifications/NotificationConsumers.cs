using MassTransit;
using Passport.Contracts;
using Passport.Issuer.Data;
using Passport.Messaging;

namespace Passport.Issuer.Notifications;

// Each consumer records the event in the inbox with the messages it causes, so a redelivered event queues nothing twice;
// the notifications' unique (source, recipient, channel) is the second guard. A person with no address gets nothing.

internal sealed class CredentialRevokedNotifier(IssuerDbContext db, IssuerMessages messages, TimeProvider time) : IConsumer<CredentialRevoked>
{
    public async Task Consume(ConsumeContext<CredentialRevoked> context)
    {
        var m = context.Message;
        var now = time.GetUtcNow();
        if (!await db.TryRecordInboxAsync(context.MessageId!.Value, nameof(CredentialRevokedNotifier), now, context.CancellationToken))
            return;
        await messages.ToStaffAsync(db, m.StaffId, m.IssuerOdsCode, context.MessageId.Value, org => messages.Withdrawn(org, m.CredentialType), now, context.CancellationToken);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

internal sealed class CredentialSuspendedNotifier(IssuerDbContext db, IssuerMessages messages, TimeProvider time) : IConsumer<CredentialSuspended>
{
    public async Task Consume(ConsumeContext<CredentialSuspended> context)
    {
        var m = context.Message;
        var now = time.GetUtcNow();
        if (!await db.TryRecordInboxAsync(context.MessageId!.Value, nameof(CredentialSuspendedNotifier), now, context.CancellationToken))
            return;
        await messages.ToStaffAsync(db, m.StaffId, m.IssuerOdsCode, context.MessageId.Value, org => messages.Suspended(org, m.CredentialType), now, context.CancellationToken);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

internal sealed class CredentialExpiringNotifier(IssuerDbContext db, IssuerMessages messages, TimeProvider time) : IConsumer<CredentialExpiring>
{
    public async Task Consume(ConsumeContext<CredentialExpiring> context)
    {
        var m = context.Message;
        var now = time.GetUtcNow();
        if (!await db.TryRecordInboxAsync(context.MessageId!.Value, nameof(CredentialExpiringNotifier), now, context.CancellationToken))
            return;
        await messages.ToStaffAsync(db, m.StaffId, m.IssuerOdsCode, context.MessageId.Value,
            org => messages.Expiring(org, m.CredentialType, m.ExpiresAt, m.ThresholdDays), now, context.CancellationToken);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

internal sealed class MutualAidConsentRequestedNotifier(IssuerDbContext db, IssuerMessages messages, TimeProvider time) : IConsumer<MutualAidConsentRequested>
{
    public async Task Consume(ConsumeContext<MutualAidConsentRequested> context)
    {
        var m = context.Message;
        var now = time.GetUtcNow();
        if (!await db.TryRecordInboxAsync(context.MessageId!.Value, nameof(MutualAidConsentRequestedNotifier), now, context.CancellationToken))
            return;
        await messages.ToStaffAsync(db, m.StaffId, m.HomeOdsCode, context.MessageId.Value, org => messages.ConsentRequested(org, m.MemberId, m.Start, m.End), now, context.CancellationToken);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

internal sealed class DeploymentApprovalNotifier(IssuerDbContext db, IssuerMessages messages, TimeProvider time) : IConsumer<DeploymentRequested>
{
    public async Task Consume(ConsumeContext<DeploymentRequested> context)
    {
        var m = context.Message;
        if (!m.RequiresHomeApproval)
            return;
        var now = time.GetUtcNow();
        if (!await db.TryRecordInboxAsync(context.MessageId!.Value, nameof(DeploymentApprovalNotifier), now, context.CancellationToken))
            return;
        await messages.ToHrAsync(db, m.HomeOdsCode, context.MessageId.Value, org => messages.ApprovalNeeded(org, m.DeploymentId, m.Start, m.End), now, context.CancellationToken);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

internal sealed class DeploymentFlaggedNotifier(IssuerDbContext db, IssuerMessages messages, TimeProvider time) : IConsumer<DeploymentFlagged>
{
    public async Task Consume(ConsumeContext<DeploymentFlagged> context)
    {
        var m = context.Message;
        var now = time.GetUtcNow();
        if (!await db.TryRecordInboxAsync(context.MessageId!.Value, nameof(DeploymentFlaggedNotifier), now, context.CancellationToken))
            return;
        await messages.ToHrAsync(db, m.HomeOdsCode, context.MessageId.Value, org => messages.Flagged(org, m.DeploymentId), now, context.CancellationToken);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
