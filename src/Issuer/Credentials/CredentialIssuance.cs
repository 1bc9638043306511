using Passport.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Contracts;
using Passport.Issuer.Audit;
using Passport.Issuer.Catalogue;
using Passport.Issuer.Data;
using Passport.Issuer.Keys;
using Passport.Issuer.Organisations;
using Passport.Issuer.Status;
using Passport.Messaging;

namespace Passport.Issuer.Credentials;

/// <summary>
/// Issues credentials in batches: per batch, one query each for staff, existing source references and replaced credentials,
/// then a pure <see cref="IssuePlan"/>, then one status-slot allocation, one signing key, and one SaveChanges that commits the
/// credentials, their outbox events and their audit entries together. Used by the HR endpoints and by bulk import.
/// </summary>
internal sealed class CredentialIssuance(
    IssuerDbContext db, StatusLists statusLists, CredentialStatusChanges statusChanges, SigningKeys keys, CredentialMinter minter,
    IOptions<IssuerOptions> issuerOptions, IOptions<CatalogueOptions> catalogueOptions, OutboxSignal outboxSignal, TimeProvider time)
{
    public const int BatchSize = 500;
    public const string SupersededReason = "superseded";
    private const int MaxAttempts = 8;

    /// <summary>
    /// Issues every valid item and reports each one, in order. Commits once per <see cref="BatchSize"/> items; on a clash with a
    /// concurrent issuance the batch is re-evaluated (so a source reference issued meanwhile comes back as existing).
    /// </summary>
    public async Task<IReadOnlyList<IssueOutcome>> IssueAsync(string odsCode, IReadOnlyList<IssueItem> items, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var outcomes = new IssueOutcome[items.Count];
        var organisation = await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.OdsCode == odsCode, cancellationToken);
        if (organisation is null)
        {
            for (var i = 0; i < items.Count; i++)
                outcomes[i] = new(i, IssueOutcomeKind.Conflict, null, "organisation_not_registered", $"Organisation {odsCode} is not registered yet.", null);
            return outcomes;
        }
        for (var start = 0; start < items.Count; start += BatchSize)
        {
            var count = Math.Min(BatchSize, items.Count - start);
            for (var attempt = 1; ; attempt++)
            {
                var added = new List<object>();
                try
                {
                    var now = time.GetUtcNow();
                    var lookups = await LookUpAsync(organisation, items, start, count, added, cancellationToken);
                    var plan = IssuePlan.Make(items, start, count, lookups, now, actor, catalogueOptions.Value);
                    foreach (var outcome in plan.Decided)
                        outcomes[outcome.Index] = outcome;
                    foreach (var issued in await SaveAsync(plan, lookups, actor, now, added, cancellationToken))
                        outcomes[issued.Index] = issued;
                    break;
                }
                catch (Exception e) when (e is DbUpdateConcurrencyException || UniqueViolation.Is(e))
                {
                    if (attempt == MaxAttempts)
                    {
                        throw new ServiceBusyException("issuance_busy",
                            $"Issuances for this organisation are racing; the last {count} item(s) from item {start} were not issued (those before were). " +
                            "Send the request again in a moment: items with a source reference already issued come back as existing.", e);
                    }
                    foreach (var entry in db.ChangeTracker.Entries().Where(x => added.Contains(x.Entity) || x.Entity is StatusListRecord).ToList())
                        entry.State = EntityState.Detached;
                    // Concurrent writers to the same status list: back off a little, with jitter, before re-evaluating.
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 50) * attempt), cancellationToken);
                }
            }
        }
        return outcomes;
    }

    private async Task<IssueLookups> LookUpAsync(
        Organisation organisation, IReadOnlyList<IssueItem> items, int start, int count, List<object> added, CancellationToken cancellationToken)
    {
        var ods = organisation.OdsCode;
        var batch = items.Skip(start).Take(count).ToList();
        var staffIds = batch.Select(i => i.StaffId).Distinct().ToList();
        var staff = await db.Staff.AsNoTracking().Where(s => s.OdsCode == ods && staffIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var wanted = batch.Where(i => i.SourceReference is not null && CredentialCatalogue.Find(i.Type) is not null)
            .Select(i => (CredentialCatalogue.Find(i.Type)!.Key, i.SourceReference!));
        var existing = CredentialIssuanceReferences.Filter(ods, wanted) is { } filter
            ? (await db.Credentials.AsNoTracking().Where(filter).ToListAsync(cancellationToken)).ToDictionary(c => (c.Type, c.SourceReference!))
            : [];
        var replacedIds = batch.Where(i => i.Replaces is not null).Select(i => i.Replaces!.Value).Distinct().ToList();
        // Tracked: a re-issue withdraws the credential it replaces in the same SaveChanges.
        var replaced = replacedIds.Count == 0
            ? []
            : await db.Credentials.Where(c => c.OdsCode == ods && replacedIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        added.AddRange(replaced.Values);
        var alreadyReplaced = replacedIds.Count == 0
            ? []
            : (await db.Credentials.AsNoTracking().Where(c => c.OdsCode == ods && c.ReplacesId != null && replacedIds.Contains(c.ReplacesId.Value))
                .Select(c => c.ReplacesId!.Value).ToListAsync(cancellationToken)).ToHashSet();
        return new IssueLookups(organisation, staff, existing, replaced, alreadyReplaced);
    }

    /// <summary>
    /// Issues what the plan says: status slots, one signing key, the signatures, the events and audit entries, and the withdrawal of
    /// the credentials re-issued, committed together. Returns the outcome of every item issued, and of every repeat of one.
    /// </summary>
    private async Task<IReadOnlyList<IssueOutcome>> SaveAsync(
        IssuePlan plan, IssueLookups lookups, string actor, DateTimeOffset now, List<object> added, CancellationToken cancellationToken)
    {
        var planned = plan.ToIssue;
        if (planned.Count == 0)
            return [];
        var ods = lookups.Organisation.OdsCode;
        var slots = await statusLists.AllocateAsync(ods, planned.Count, cancellationToken);
        var key = await keys.GetActiveAsync(ods, cancellationToken);
        var listsToChange = lookups.Replaced.Values.Select(c => c.StatusListId).Distinct().ToList();
        if (listsToChange.Count > 0)
            await db.StatusLists.Where(l => listsToChange.Contains(l.Id)).LoadAsync(cancellationToken);
        var credentials = planned.Select((p, n) => NewCredential(p, ods, slots[n], key.Reference.KeyId, now)).ToArray();
        // Signing is the CPU-bound part and touches no DbContext, so the batch's credentials are minted on every core.
        await Parallel.ForEachAsync(Enumerable.Range(0, credentials.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (n, token) => credentials[n].SdJwt = await minter.MintAsync(credentials[n], planned[n].Claims, key, holderKey: null, token));

        var outcomes = new List<IssueOutcome>(planned.Count + plan.Repeats.Count);
        var byIndex = new Dictionary<int, IssuedCredential>(planned.Count);
        var outbox = new List<OutboxMessage>(planned.Count);
        var audit = new List<AuditEntry>(planned.Count);
        for (var n = 0; n < planned.Count; n++)
        {
            var (index, item, _, _, expiresAt) = planned[n];
            var credential = credentials[n];
            outbox.Add(OutboxModel.NewOutboxMessage(new CredentialIssued
            {
                CredentialId = credential.Id, IssuerOdsCode = ods, StaffId = credential.StaffId, CredentialType = credential.Type,
                IssuedAt = now, ExpiresAt = expiresAt,
            }, now));
            audit.Add(new AuditEntry
            {
                OdsCode = ods, StaffId = credential.StaffId, CredentialId = credential.Id, Actor = actor, At = now,
                Action = item.Replaces is null ? AuditActions.Issued : AuditActions.Reissued,
                Reason = item.Reason is { Length: > CredentialStatusChanges.MaxAuditReason } reason ? reason[..CredentialStatusChanges.MaxAuditReason] : item.Reason,
            });
            // Already withdrawn (for example issued in error), the old one stays as it is, and the replacement records that it follows it.
            if (item.Replaces is { } replacesId
                && await statusChanges.RevokeAsync(lookups.Replaced[replacesId], SupersededReason, actor, $"{SupersededReason} by {credential.Id}", now, cancellationToken) is { Changed: true } superseded)
            {
                added.Add(superseded.Event!);
                added.Add(superseded.Audit!);
            }
            byIndex[index] = credential;
            outcomes.Add(new(index, IssueOutcomeKind.Issued, credential, null, null, null));
        }
        foreach (var (index, earlier) in plan.Repeats)
            outcomes.Add(new(index, IssueOutcomeKind.Existing, byIndex[earlier.Index], null, null, null));
        added.AddRange(credentials);
        added.AddRange(outbox);
        added.AddRange(audit);
        await CommitAsync(credentials, outbox, audit, cancellationToken);
        return outcomes;
    }

    private IssuedCredential NewCredential(PlannedCredential planned, string ods, StatusSlot slot, string keyId, DateTimeOffset now) => new()
    {
        OdsCode = ods,
        StaffId = planned.Item.StaffId,
        Type = planned.Type.Key,
        Vct = CredentialCatalogue.VctFor(issuerOptions.Value, catalogueOptions.Value, planned.Type.Key),
        Claims = planned.Claims.ToJsonString(),
        SourceReference = planned.Item.SourceReference,
        StatusListId = slot.ListId,
        StatusIndex = slot.Index,
        IssuedAt = now,
        ExpiresAt = planned.ExpiresAt,
        KeyId = keyId,
        ReplacesId = planned.Item.Replaces,
    };

    /// <summary>
    /// Commits the batch: the tracked changes (status lists, superseded credentials) and the new credentials with their outbox
    /// rows and audit entries, all or nothing. On PostgreSQL the new rows go in by binary COPY in the same transaction (or under
    /// a savepoint of the caller's, as the import does): at thousands of credentials a second, one INSERT per row and change
    /// tracking for every entity cost more than signing them.
    /// </summary>
    private async Task CommitAsync(IssuedCredential[] credentials, List<OutboxMessage> outbox, List<AuditEntry> audit, CancellationToken cancellationToken)
    {
        if (!db.Database.CanCopy())
        {
            db.Credentials.AddRange(credentials);
            db.Set<OutboxMessage>().AddRange(outbox);
            db.Audit.AddRange(audit);
            await db.SaveChangesAsync(cancellationToken);
            return;
        }
        const string Savepoint = "issue_batch";
        var outer = db.Database.CurrentTransaction;
        await using var own = outer is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        if (outer is not null)
            await outer.CreateSavepointAsync(Savepoint, cancellationToken);
        try
        {
            // The new rows first, as SaveChanges would order them: a re-issue's events and audit entries read issued, then superseded.
            await db.CopyAsync(credentials, cancellationToken);
            await db.CopyAsync(outbox, cancellationToken);
            await db.CopyAsync(audit, cancellationToken);
            await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
            if (own is not null)
                await own.CommitAsync(cancellationToken);
            else
                await outer!.ReleaseSavepointAsync(Savepoint, cancellationToken);
        }
        catch when (outer is not null)
        {
            await outer.RollbackToSavepointAsync(Savepoint, CancellationToken.None);
            throw;
        }
        db.ChangeTracker.AcceptAllChanges();
        if (own is not null)
            outboxSignal.Notify();
    }
}
