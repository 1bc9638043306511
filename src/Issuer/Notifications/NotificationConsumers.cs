using MassTransit;
using Passport.Contracts;
using Passport.Issuer.Data;
using Passport.Messaging;
using Passport.Notifications;

namespace Passport.Issuer.Notifications;

// The inbox records each event with the messages it causes, so a redelivered event queues nothing twice; the
// notifications' unique (source, recipient, channel) is the second guard. A person with no address gets nothing.

/// <summary>
/// Tells a member of staff of an event on one of their credentials, a batch of events at a time
/// (<see cref="InboxBatchConsumer{TContext, TMessage}"/>): the batch's people and organisations are read in two queries, and
/// the messages commit with the batch's inbox rows. Every credential withdrawn in a bulk change is an event here.
/// </summary>
internal abstract class StaffCredentialNotifier<TMessage>(IssuerDbContext db, IssuerMessages issuerMessages, TimeProvider time)
    : InboxBatchConsumer<IssuerDbContext, TMessage>(db, time) where TMessage : class
{
    private IReadOnlyDictionary<Guid, StaffAddress> _people = new Dictionary<Guid, StaffAddress>();

    protected abstract (Guid StaffId, string OdsCode) Recipient(TMessage message);

    protected abstract MessageContent Content(IssuerMessages words, string organisation, TMessage message);

    protected override async Task LoadAsync(IssuerDbContext db, IReadOnlyList<TMessage> messages, CancellationToken cancellationToken) =>
        _people = await IssuerMessages.StaffAddressesAsync(db, messages.Select(Recipient), cancellationToken);

    protected override Task ApplyAsync(IssuerDbContext db, TMessage message, Guid messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (staffId, odsCode) = Recipient(message);
        if (_people.TryGetValue(staffId, out var person) && person.OdsCode == odsCode)
            issuerMessages.ToStaff(db, person, messageId, organisation => Content(issuerMessages, organisation, message), now);
        return Task.CompletedTask;
    }
}

internal sealed class CredentialRevokedNotifier(IssuerDbContext db, IssuerMessages messages, TimeProvider time)
    : StaffCredentialNotifier<CredentialRevoked>(db, messages, time)
{
    protected override (Guid StaffId, string OdsCode) Recipient(CredentialRevoked message) => (message.StaffId, message.IssuerOdsCode);

    protected override MessageContent Content(IssuerMessages words, string organisation, CredentialRevoked message) =>
        words.Withdrawn(organisation, message.CredentialType);
}

internal sealed class CredentialSuspendedNotifier(IssuerDbContext db, IssuerMessages messages, TimeProvider time)
    : StaffCredentialNotifier<CredentialSuspended>(db, messages, time)
{
    protected override (Guid StaffId, string OdsCode) Recipient(CredentialSuspended message) => (message.StaffId, message.IssuerOdsCode);

    protected override MessageContent Content(IssuerMessages words, string organisation, CredentialSuspended message) =>
        words.Suspended(organisation, message.CredentialType);
}

internal sealed class CredentialExpiringNotifier(IssuerDbContext db, IssuerMessages messages, TimeProvider time)
    : StaffCredentialNotifier<CredentialExpiring>(db, messages, time)
{
    protected override (Guid StaffId, string OdsCode) Recipient(CredentialExpiring message) => (message.StaffId, message.IssuerOdsCode);

    protected override MessageContent Content(IssuerMessages words, string organisation, CredentialExpiring message) =>
        words.Expiring(organisation, message.CredentialType, message.ExpiresAt, message.ThresholdDays);
}

internal sealed class MutualAidConsentRequestedNotifier(IssuerDbContext db, IssuerMessages messages, TimeProvider time) : IConsumer<MutualAidConsentRequested>
{
    public async Task Consume(ConsumeContext<MutualAidConsentRequested> context)
    {
        var m = context.Message;
        var now = time.GetUtcNow();
        await messages.ToStaffAsync(db, m.StaffId, m.HomeOdsCode, context.MessageId!.Value, org => messages.ConsentRequested(org, m.MemberId, m.Start, m.End), now, context.CancellationToken);
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
        await messages.ToHrAsync(db, m.HomeOdsCode, context.MessageId!.Value, org => messages.ApprovalNeeded(org, m.DeploymentId, m.Start, m.End), now, context.CancellationToken);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

internal sealed class DeploymentFlaggedNotifier(IssuerDbContext db, IssuerMessages messages, TimeProvider time) : IConsumer<DeploymentFlagged>
{
    public async Task Consume(ConsumeContext<DeploymentFlagged> context)
    {
        var m = context.Message;
        var now = time.GetUtcNow();
        await messages.ToHrAsync(db, m.HomeOdsCode, context.MessageId!.Value, org => messages.Flagged(org, m.DeploymentId), now, context.CancellationToken);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
