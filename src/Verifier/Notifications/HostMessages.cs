using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Contracts;
using Passport.Messaging;
using Passport.Notifications;
using Passport.Verifier.Data;
using Passport.Verifier.Deployments;
using static Passport.Notifications.MessageWords;

namespace Passport.Verifier.Notifications;

/// <summary>
/// Tells the receiving organisation's contacts (<c>Notifications:Contacts:{host}:verifier</c>) when a deployment with
/// them is flagged: a credential of the person was withdrawn or suspended, or lapses before the deployment ends. It
/// consumes the Verifier's own <see cref="DeploymentFlagged"/> event, so the message commits with its inbox row.
/// </summary>
internal sealed class HostDeploymentFlaggedNotifier(VerifierDbContext db, IOptions<NotificationOptions> options, IOptions<VerifierOptions> verifier, TimeProvider time)
    : IConsumer<DeploymentFlagged>
{
    public const string ContactRole = "verifier";

    public async Task Consume(ConsumeContext<DeploymentFlagged> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var now = time.GetUtcNow();
        var contacts = options.Value.ContactsFor(m.HostOdsCode, ContactRole);
        if (contacts.Count == 0 || context.MessageId is not { } messageId)
            return;
        if (!await db.TryRecordInboxAsync(messageId, nameof(HostDeploymentFlaggedNotifier), now, ct))
            return;
        var deployment = await db.Set<Deployment>().AsNoTracking().Where(d => d.Id == m.DeploymentId && d.HostOdsCode == m.HostOdsCode)
            .Select(d => new { d.GivenName, d.FamilyName, d.HostSite, d.Start, d.End }).FirstOrDefaultAsync(ct);
        if (deployment is not null)
        {
            var person = string.Join(' ', new[] { deployment.GivenName, deployment.FamilyName }.Where(n => !string.IsNullOrWhiteSpace(n)));
            if (person.Length == 0)
                person = "a person deployed with you";
            var period = $"{Date(deployment.Start)} to {Date(deployment.End)} at {deployment.HostSite}";
            var link = WebPages.Link(options.Value.WebBaseUrl ?? verifier.Value.PublicBaseUrl, WebPages.HostDeployment(m.DeploymentId));
            var content = m.Reason.StartsWith(CredentialExpiringConsumer.Kind, StringComparison.Ordinal)
                ? new MessageContent("deployment_credential_lapses", "A deployed person's credential lapses before the deployment ends",
                    $"A credential that {person} presented for their deployment ({period}) expires before the deployment ends. Check it with them and their home organisation before then."
                    + SignIn(link))
                : new MessageContent("deployment_credential_withdrawn", "A deployed person's credential was withdrawn",
                    $"Their home organisation has withdrawn or suspended a credential that {person} presented for their deployment ({period}). Review the deployment now."
                    + SignIn(link));
            db.QueueNotifications(m.HostOdsCode, messageId, contacts, content, options.Value.Sms.Enabled, now);
        }
        await db.SaveChangesAsync(ct);
    }
}
