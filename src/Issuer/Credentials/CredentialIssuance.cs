using Passport.ServiceDefaults;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Contracts;
using Passport.Credentials.StatusList;
using Passport.Issuer.Audit;
using Passport.Issuer.Catalogue;
using Passport.Issuer.Data;
using Passport.Issuer.Keys;
using Passport.Issuer.Organisations;
using Passport.Issuer.Staff;
using Passport.Issuer.Status;
using Passport.Messaging;

namespace Passport.Issuer.Credentials;

/// <summary>One credential to issue: whose, which type, the facts (as the catalogue type's input) and the source's own reference.</summary>
public sealed record IssueItem
{
    public required Guid StaffId { get; init; }
    public required string Type { get; init; }

    /// <summary>The source system's record reference: issuing it again returns the credential already issued and changes nothing.</summary>
    public string? SourceReference { get; init; }

    public JsonObject? Claims { get; init; }
    public JsonObject? Provenance { get; init; }

    /// <summary>Why, for the audit trail.</summary>
    public string? Reason { get; init; }

    /// <summary>A credential this one re-issues: it is withdrawn as superseded in the same transaction.</summary>
    public Guid? Replaces { get; init; }
}

public enum IssueOutcomeKind
{
    Issued,
    Existing,
    Invalid,
    NotFound,
    Conflict,
}

/// <summary>
/// What became of one item: issued (or already issued under the same source reference), or why not: <see cref="Code"/>
/// is a stable problem code and <see cref="Errors"/> names each bad field (<c>type</c>, <c>claims.x</c>, <c>provenance.x</c>).
/// </summary>
public sealed record IssueOutcome(int Index, IssueOutcomeKind Kind, IssuedCredential? Credential, string? Code, string? Detail, IReadOnlyDictionary<string, string[]>? Errors)
{
    public bool Succeeded => Kind is IssueOutcomeKind.Issued or IssueOutcomeKind.Existing;
}

/// <summary>
/// Issues credentials in batches: per batch, one query each for staff, existing source references and replaced credentials,
/// one status-slot allocation, one signing key, and one SaveChanges that commits the credentials, their outbox events
/// and their audit entries together. Used by the HR endpoints and by bulk import.
/// </summary>
internal sealed class CredentialIssuance(
    IssuerDbContext db, StatusLists statusLists, ISigningKeys keys, CredentialMinter minter, IOptions<IssuerOptions> issuerOptions,
    IOptions<CatalogueOptions> catalogueOptions, OutboxSignal outboxSignal, TimeProvider time)
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
                    await IssueBatchAsync(organisation, items, start, count, actor, outcomes, added, cancellationToken);
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

    private async Task IssueBatchAsync(
        Organisation organisation, IReadOnlyList<IssueItem> items, int start, int count, string actor, IssueOutcome[] outcomes, List<object> added,
        CancellationToken cancellationToken)
    {
        var ods = organisation.OdsCode;
        var batch = items.Skip(start).Take(count).ToList();
        var now = time.GetUtcNow();

        var staffIds = batch.Select(i => i.StaffId).Distinct().ToList();
        var staff = await db.Staff.AsNoTracking().Where(s => s.OdsCode == ods && staffIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var references = batch.Where(i => i.SourceReference is not null).Select(i => i.SourceReference!).Distinct().ToList();
        var existing = references.Count == 0
            ? []
            : (await db.Credentials.AsNoTracking().Where(c => c.OdsCode == ods && references.Contains(c.SourceReference!)).ToListAsync(cancellationToken))
                .ToDictionary(c => (c.Type, c.SourceReference!));
        var replacedIds = batch.Where(i => i.Replaces is not null).Select(i => i.Replaces!.Value).Distinct().ToList();
        var replaced = replacedIds.Count == 0
            ? []
            : await db.Credentials.Where(c => c.OdsCode == ods && replacedIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        added.AddRange(replaced.Values);
        var alreadyReplaced = replacedIds.Count == 0
            ? []
            : (await db.Credentials.AsNoTracking().Where(c => c.OdsCode == ods && c.ReplacesId != null && replacedIds.Contains(c.ReplacesId.Value))
                .Select(c => c.ReplacesId!.Value).ToListAsync(cancellationToken)).ToHashSet();

        var pending = new List<(int Index, IssueItem Item, CredentialType Type, JsonObject Claims, DateTimeOffset ExpiresAt)>();
        var pendingByReference = new Dictionary<(string, string), int>();
        var duplicates = new List<(int Index, int Pending)>();
        for (var n = 0; n < batch.Count; n++)
        {
            var index = start + n;
            var item = batch[n];
            var type = CredentialCatalogue.Find(item.Type);
            if (type is null)
            {
                outcomes[index] = Invalid(index, "unknown_credential_type", $"There is no credential type '{item.Type}'.",
                    new() { ["type"] = [$"Use one of: {CredentialCatalogue.TypeList}."] });
                continue;
            }
            if (item.SourceReference is { } r && (r.Length is 0 or > 200 || r.Trim() != r))
            {
                outcomes[index] = Invalid(index, "validation_failed", "The source reference is not valid.",
                    new() { ["sourceReference"] = ["Give the source record's reference: 1 to 200 characters, no surrounding spaces."] });
                continue;
            }
            if (!staff.TryGetValue(item.StaffId, out var member))
            {
                outcomes[index] = new(index, IssueOutcomeKind.NotFound, null, "staff_not_found", $"Your organisation has no staff record {item.StaffId}.", null);
                continue;
            }
            if (item.SourceReference is { } reference)
            {
                if (existing.TryGetValue((type.Key, reference), out var found))
                {
                    outcomes[index] = SameReference(index, found, item);
                    continue;
                }
                if (pendingByReference.TryGetValue((type.Key, reference), out var earlier))
                {
                    if (pending[earlier].Item.StaffId == item.StaffId)
                        duplicates.Add((index, earlier));
                    else
                        outcomes[index] = ReferenceInUse(index, reference);
                    continue;
                }
            }
            if (item.Replaces is { } replacesId)
            {
                if (!replaced.TryGetValue(replacesId, out var old) || old.StaffId != item.StaffId)
                {
                    outcomes[index] = new(index, IssueOutcomeKind.NotFound, null, "credential_not_found", $"This member of staff has no credential {replacesId} to re-issue.", null);
                    continue;
                }
                if (old.Type != type.Key)
                {
                    outcomes[index] = Invalid(index, "validation_failed", "A re-issued credential has the type of the one it replaces.", new() { ["type"] = [$"Use {old.Type}."] });
                    continue;
                }
                if (alreadyReplaced.Contains(replacesId) || pending.Any(p => p.Item.Replaces == replacesId))
                {
                    outcomes[index] = new(index, IssueOutcomeKind.Conflict, null, "already_reissued", $"Credential {replacesId} has already been re-issued; re-issue its replacement instead.", null);
                    continue;
                }
            }
            var context = new IssueContext(organisation, member, now, actor, catalogueOptions.Value);
            var (claims, expiresAt, errors) = type.Build(item.Claims, item.Provenance, context);
            if (claims is null)
            {
                outcomes[index] = Invalid(index, "validation_failed", $"Some of the {type.Key} credential's fields are missing or invalid.", errors.ToDictionary());
                continue;
            }
            if (item.SourceReference is { } newReference)
                pendingByReference[(type.Key, newReference)] = pending.Count;
            pending.Add((index, item, type, claims, expiresAt));
        }
        if (pending.Count == 0)
            return;

        var slots = await statusLists.AllocateAsync(ods, pending.Count, cancellationToken);
        var key = await keys.GetActiveAsync(ods, cancellationToken);
        var options = issuerOptions.Value;
        var listsToChange = replaced.Values.Select(c => c.StatusListId).Distinct().ToList();
        var lists = listsToChange.Count == 0
            ? []
            : await db.StatusLists.Where(l => listsToChange.Contains(l.Id)).ToDictionaryAsync(l => l.Id, cancellationToken);
        var credentials = new IssuedCredential[pending.Count];
        for (var n = 0; n < pending.Count; n++)
        {
            var (_, item, type, claims, expiresAt) = pending[n];
            credentials[n] = new IssuedCredential
            {
                OdsCode = ods,
                StaffId = item.StaffId,
                Type = type.Key,
                Vct = CredentialCatalogue.VctFor(options, catalogueOptions.Value, type.Key),
                Claims = claims.ToJsonString(),
                SourceReference = item.SourceReference,
                StatusListId = slots[n].ListId,
                StatusIndex = slots[n].Index,
                IssuedAt = now,
                ExpiresAt = expiresAt,
                KeyId = key.Reference.KeyId,
                ReplacesId = item.Replaces,
            };
        }
        // Signing is the CPU-bound part and touches no DbContext, so the batch's credentials are minted on every core.
        await Parallel.ForEachAsync(Enumerable.Range(0, credentials.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (n, token) => credentials[n].SdJwt = await minter.MintAsync(credentials[n], pending[n].Claims, key, holderKey: null, token));
        var outbox = new List<OutboxMessage>(pending.Count);
        var audit = new List<AuditEntry>(pending.Count);
        for (var n = 0; n < pending.Count; n++)
        {
            var (index, item, _, _, expiresAt) = pending[n];
            var credential = credentials[n];
            outbox.Add(OutboxModel.NewOutboxMessage(new CredentialIssued
            {
                CredentialId = credential.Id, IssuerOdsCode = ods, StaffId = credential.StaffId, CredentialType = credential.Type,
                IssuedAt = now, ExpiresAt = expiresAt,
            }, now));
            audit.Add(NewAudit(credential, item.Replaces is null ? AuditActions.Issued : AuditActions.Reissued, actor, item.Reason, now));
            if (item.Replaces is { } replacesId)
                Supersede(replaced[replacesId], credential, lists, actor, now, added);
            outcomes[index] = new(index, IssueOutcomeKind.Issued, credential, null, null, null);
        }
        foreach (var (index, earlier) in duplicates)
            outcomes[index] = new(index, IssueOutcomeKind.Existing, outcomes[pending[earlier].Index].Credential, null, null, null);
        added.AddRange(credentials);
        added.AddRange(outbox);
        added.AddRange(audit);
        await SaveAsync(credentials, outbox, audit, cancellationToken);
    }

    /// <summary>
    /// Commits the batch: the tracked changes (status lists, superseded credentials) and the new credentials with their outbox
    /// rows and audit entries, all or nothing. On PostgreSQL the new rows go in by binary COPY in the same transaction (or under
    /// a savepoint of the caller's, as the import does): at thousands of credentials a second, one INSERT per row and change
    /// tracking for every entity cost more than signing them.
    /// </summary>
    private async Task SaveAsync(IssuedCredential[] credentials, List<OutboxMessage> outbox, List<AuditEntry> audit, CancellationToken cancellationToken)
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

    private void Supersede(IssuedCredential old, IssuedCredential replacement, Dictionary<int, StatusListRecord> lists, string actor, DateTimeOffset now, List<object> added)
    {
        // Already withdrawn (for example issued in error): it stays as it is, and the replacement records that it follows it.
        if (!old.TryRevoke(SupersededReason, now, out _))
            return;
        var list = lists[old.StatusListId];
        list.Set(old.StatusIndex, StatusType.Invalid, now);
        added.Add(db.AddOutboxMessage(new CredentialRevoked
        {
            CredentialId = old.Id, IssuerOdsCode = old.OdsCode, StaffId = old.StaffId, CredentialType = old.Type, Reason = SupersededReason,
            RevokedAt = now, StatusListUri = issuerOptions.Value.StatusListUri(old.OdsCode, old.StatusListId), StatusIndex = old.StatusIndex,
        }, now));
        var entry = NewAudit(old, AuditActions.Withdrawn, actor, $"{SupersededReason} by {replacement.Id}", now);
        db.Audit.Add(entry);
        added.Add(entry);
    }

    private static AuditEntry NewAudit(IssuedCredential credential, string action, string actor, string? reason, DateTimeOffset now) => new()
    {
        OdsCode = credential.OdsCode, StaffId = credential.StaffId, CredentialId = credential.Id, Action = action, Actor = actor,
        Reason = reason is { Length: > 1000 } ? reason[..1000] : reason, At = now,
    };

    private static IssueOutcome SameReference(int index, IssuedCredential found, IssueItem item) =>
        found.StaffId == item.StaffId
            ? new(index, IssueOutcomeKind.Existing, found, null, null, null)
            : ReferenceInUse(index, item.SourceReference!);

    private static IssueOutcome ReferenceInUse(int index, string reference) =>
        new(index, IssueOutcomeKind.Conflict, null, "source_reference_in_use", $"Source reference '{reference}' was already used for another member of staff's credential of this type.", null);

    private static IssueOutcome Invalid(int index, string code, string detail, Dictionary<string, string[]> errors) =>
        new(index, IssueOutcomeKind.Invalid, null, code, detail, errors);
}
