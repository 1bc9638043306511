using System.Globalization;
using Passport.Contracts;
using Passport.Messaging;
using Passport.Verifier.Data;

namespace Passport.Verifier.Deployments;

/// <summary>
/// A credential will lapse: every active or requested deployment that relied on it and runs past its expiry is flagged,
/// once per credential however many of the issuer's alert thresholds arrive.
/// </summary>
internal sealed class CredentialExpiringConsumer(VerifierDbContext db, TimeProvider time) : InboxBatchConsumer<VerifierDbContext, CredentialExpiring>(db, time)
{
    public const string Kind = "credential_expiring";

    private StatusLookups _lookups = StatusLookups.None;

    protected override async Task LoadAsync(VerifierDbContext db, IReadOnlyList<CredentialExpiring> messages, CancellationToken ct) =>
        _lookups = await StatusLookups.LoadAsync(db, [.. messages.Select(m => (m.IssuerOdsCode, m.CredentialId, m.StatusListUri, m.StatusIndex))], notices: false, ct);

    protected override Task ApplyAsync(VerifierDbContext db, CredentialExpiring m, Guid messageId, DateTimeOffset now, CancellationToken ct)
    {
        // An alert from an issuer that does not yet say where the credential's status lives cannot be matched to a deployment.
        if (m.StatusListUri is { } uri && m.StatusIndex is { } index)
        {
            var reason = "expires " + m.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            // The deployment's last day is worked in full: a credential must be valid until midnight (UTC) at its close.
            var lastDayCovered = DateOnly.FromDateTime(m.ExpiresAt.UtcDateTime).AddDays(-1);
            DeploymentFlagging.Flag(db, _lookups.RelyingOn(uri, index), new CredentialFlag(m.CredentialId, Kind, reason, uri, index), now, messageId, lastDayCovered);
        }
        return Task.CompletedTask;
    }
}
