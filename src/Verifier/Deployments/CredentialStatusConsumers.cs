using Microsoft.EntityFrameworkCore;
using Passport.Contracts;
using Passport.Messaging;
using Passport.Verifier.Data;
using Passport.Verifier.Trust;

namespace Passport.Verifier.Deployments;

/// <summary>A withdrawn credential flags every active or requested deployment that relied on it.</summary>
internal sealed class CredentialRevokedConsumer(VerifierDbContext db, TimeProvider time) : InboxBatchConsumer<VerifierDbContext, CredentialRevoked>(db, time)
{
    private StatusLookups _lookups = StatusLookups.None;

    protected override async Task LoadAsync(VerifierDbContext db, IReadOnlyList<CredentialRevoked> messages, CancellationToken ct) =>
        _lookups = await StatusLookups.LoadAsync(db, [.. messages.Select(m => (m.IssuerOdsCode, m.CredentialId, m.StatusListUri, m.StatusIndex))], notices: true, ct);

    protected override Task ApplyAsync(VerifierDbContext db, CredentialRevoked m, Guid messageId, DateTimeOffset now, CancellationToken ct)
    {
        new StatusChange(m.IssuerOdsCode, m.CredentialId, StatusListValues.Invalid, m.RevokedAt, "credential_revoked", m.Reason, m.StatusListUri, m.StatusIndex)
            .Apply(db, _lookups, now, messageId);
        return Task.CompletedTask;
    }
}

/// <summary>A suspended credential flags every active or requested deployment that relied on it.</summary>
internal sealed class CredentialSuspendedConsumer(VerifierDbContext db, TimeProvider time) : InboxBatchConsumer<VerifierDbContext, CredentialSuspended>(db, time)
{
    private StatusLookups _lookups = StatusLookups.None;

    protected override async Task LoadAsync(VerifierDbContext db, IReadOnlyList<CredentialSuspended> messages, CancellationToken ct) =>
        _lookups = await StatusLookups.LoadAsync(db, [.. messages.Select(m => (m.IssuerOdsCode, m.CredentialId, m.StatusListUri, m.StatusIndex))], notices: true, ct);

    protected override Task ApplyAsync(VerifierDbContext db, CredentialSuspended m, Guid messageId, DateTimeOffset now, CancellationToken ct)
    {
        new StatusChange(m.IssuerOdsCode, m.CredentialId, StatusListValues.Suspended, m.SuspendedAt, "credential_suspended", m.Reason, m.StatusListUri, m.StatusIndex)
            .Apply(db, _lookups, now, messageId);
        return Task.CompletedTask;
    }
}

/// <summary>A withdrawal or suspension the credential's issuer announced on the bus.</summary>
internal sealed record StatusChange(
    string IssuerOdsCode, Guid CredentialId, byte Status, DateTimeOffset At, string Kind, string Reason, string? StatusListUri, long? StatusIndex)
{
    /// <summary>
    /// Records the status, so that new presentations of the credential are refused at once, and flags the deployments that
    /// relied on it; an event that does not say where the credential's status lives can flag none. The caller saves.
    /// </summary>
    public void Apply(VerifierDbContext db, StatusLookups lookups, DateTimeOffset now, Guid? correlationId)
    {
        if (lookups.Notice(IssuerOdsCode, CredentialId) is { } notice)
        {
            notice.Apply(Status, At, StatusListUri, StatusIndex);
        }
        else
        {
            notice = StatusNotice.New(IssuerOdsCode, CredentialId, Status, At, StatusListUri, StatusIndex);
            db.Add(notice);
            lookups.Added(notice);
        }
        if (StatusListUri is { } uri && StatusIndex is { } index)
            DeploymentFlagging.Flag(db, lookups.RelyingOn(uri, index), new CredentialFlag(CredentialId, Kind, Reason, uri, index), now, correlationId);
    }
}

/// <summary>
/// What the status events of a batch (or of one message) look up, in one query each: the notices already kept for their
/// credentials and the active or requested deployments that relied on them. Loaded in, and tracked by, the DbContext that
/// applies them, so that an event sees what an earlier one of its batch changed and not yet saved.
/// </summary>
internal sealed class StatusLookups
{
    public static readonly StatusLookups None = new([], []);

    private readonly Dictionary<(string Issuer, Guid CredentialId), StatusNotice> _notices;
    private readonly Dictionary<(string Uri, long Index), List<Deployment>> _relying;

    private StatusLookups(Dictionary<(string, Guid), StatusNotice> notices, Dictionary<(string, long), List<Deployment>> relying) =>
        (_notices, _relying) = (notices, relying);

    public static async Task<StatusLookups> LoadAsync(VerifierDbContext db, IReadOnlyCollection<(string Issuer, Guid CredentialId, string? Uri, long? Index)> events,
        bool notices, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(string, Guid), StatusNotice>();
        if (notices)
        {
            var credentialIds = events.Select(e => e.CredentialId).Distinct().ToList();
            foreach (var notice in await db.Set<StatusNotice>().Where(n => credentialIds.Contains(n.CredentialId)).ToListAsync(cancellationToken))
                found[(notice.IssuerOdsCode, notice.CredentialId)] = notice;
        }
        var relying = new Dictionary<(string, long), List<Deployment>>();
        var entries = events.Where(e => e.Uri is not null && e.Index is not null).Select(e => (Uri: e.Uri!, Index: e.Index!.Value)).Distinct().ToList();
        if (entries.Count > 0)
        {
            var uris = entries.Select(e => e.Uri).Distinct().ToList();
            var indexes = entries.Select(e => e.Index).Distinct().ToList();
            // Every pair of the lists matches, a superset of the entries: the exact ones are picked out below.
            var deployments = await db.Set<Deployment>()
                .Where(d => d.State == DeploymentState.Active || d.State == DeploymentState.AwaitingApproval)
                .Where(d => d.Credentials.Any(c => uris.Contains(c.StatusListUri) && indexes.Contains(c.StatusIndex)))
                .ToListAsync(cancellationToken);
            foreach (var entry in entries)
                relying[entry] = [.. deployments.Where(d => d.Credentials.Any(c => c.StatusListUri == entry.Uri && c.StatusIndex == entry.Index))];
        }
        return new StatusLookups(found, relying);
    }

    public StatusNotice? Notice(string issuer, Guid credentialId) => _notices.GetValueOrDefault((issuer, credentialId));

    public void Added(StatusNotice notice) => _notices[(notice.IssuerOdsCode, notice.CredentialId)] = notice;

    public IReadOnlyList<Deployment> RelyingOn(string uri, long index) => _relying.GetValueOrDefault((uri, index)) ?? [];
}

/// <summary>What happened to a credential, found again by its place in its issuer's status list.</summary>
internal sealed record CredentialFlag(Guid CredentialId, string Kind, string Reason, string StatusListUri, long StatusIndex);

internal static class DeploymentFlagging
{
    /// <summary>
    /// Flags every one of <paramref name="relying"/> (the deployments that relied on the credential, <see cref="StatusLookups"/>)
    /// that is still active or requested (and, given <paramref name="lastDayCovered"/>, runs past it), each with its
    /// <see cref="DeploymentFlagged"/> event; one already flagged for the same credential and kind is left alone. The caller saves.
    /// </summary>
    public static void Flag(VerifierDbContext db, IReadOnlyList<Deployment> relying, CredentialFlag credential, DateTimeOffset now, Guid? correlationId,
        DateOnly? lastDayCovered = null)
    {
        var (uri, index) = (credential.StatusListUri, credential.StatusIndex);
        foreach (var deployment in relying)
        {
            if (lastDayCovered is { } covered && deployment.End <= covered)
                continue;
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
