using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Passport.Contracts;
using Passport.Messaging;
using Passport.Verifier.Data;

namespace Passport.Verifier.Trust;

/// <summary>
/// What the issuers of this installation told us on the bus about one credential's status: withdrawn, suspended, or valid
/// again. It takes effect at once, where a cached status list would only show it when its ttl runs out. The latest event
/// wins; a withdrawal is final.
/// </summary>
public sealed class StatusNotice
{
    public required string IssuerOdsCode { get; init; }
    public required Guid CredentialId { get; init; }

    /// <summary>The credential's status list entry; unknown until a withdrawal or suspension names it (a reinstatement does not).</summary>
    public string? StatusListUri { get; private set; }

    public long? StatusIndex { get; private set; }

    /// <summary>As in a status list: 0 valid (reinstated), 1 invalid (withdrawn), 2 suspended.</summary>
    public byte Status { get; private set; }

    public DateTimeOffset ChangedAt { get; private set; }

    public static StatusNotice New(string issuerOdsCode, Guid credentialId, byte status, DateTimeOffset at, string? uri, long? index) => new()
    {
        IssuerOdsCode = issuerOdsCode, CredentialId = credentialId, Status = status, ChangedAt = at, StatusListUri = uri, StatusIndex = index,
    };

    /// <summary>Applies a later event; an earlier one (delivered out of order) and anything after a withdrawal change only the entry's location.</summary>
    public void Apply(byte status, DateTimeOffset at, string? uri, long? index)
    {
        if (uri is not null && index is not null)
            (StatusListUri, StatusIndex) = (uri, index);
        if (Status == StatusListValues.Invalid || at < ChangedAt)
            return;
        (Status, ChangedAt) = (status, at);
    }

    /// <summary>The status to act on: the list's, unless a notice from the bus is newer news. A list that says withdrawn is always believed.</summary>
    internal static byte Combine(byte fromList, byte? fromNotice) => (fromList, fromNotice) switch
    {
        (StatusListValues.Invalid, _) => StatusListValues.Invalid,
        (_, null) => fromList,
        (_, StatusListValues.Invalid or StatusListValues.Suspended) => fromNotice.Value,
        (StatusListValues.Suspended, StatusListValues.Valid) => StatusListValues.Valid,
        _ => fromList,
    };

    internal static async Task RecordAsync(VerifierDbContext db, string issuerOdsCode, Guid credentialId, byte status, DateTimeOffset at, string? uri, long? index,
        CancellationToken cancellationToken)
    {
        var notice = await db.Set<StatusNotice>().FirstOrDefaultAsync(n => n.IssuerOdsCode == issuerOdsCode && n.CredentialId == credentialId, cancellationToken);
        if (notice is null)
            db.Set<StatusNotice>().Add(New(issuerOdsCode, credentialId, status, at, uri, index));
        else
            notice.Apply(status, at, uri, index);
    }

    internal sealed record NoticeRow(string IssuerOdsCode, string? Uri, long? Index, byte Status);

    // Compiled: read on every decision, and a LINQ query re-walks its expression tree on every execution.
    private static readonly PerModel<Func<VerifierDbContext, List<string>, List<long?>, IAsyncEnumerable<NoticeRow>>> NoticesAt = new(() =>
        EF.CompileAsyncQuery((VerifierDbContext db, List<string> uris, List<long?> indexes) =>
            db.Set<StatusNotice>().AsNoTracking()
                .Where(n => uris.Contains(n.StatusListUri!) && indexes.Contains(n.StatusIndex))
                .Select(n => new NoticeRow(n.IssuerOdsCode, n.StatusListUri, n.StatusIndex, n.Status))));

    /// <summary>What the bus said about each of these issuers' status list entries, in one query; an entry it said nothing about is absent.</summary>
    internal static async Task<Dictionary<(string Issuer, string Uri, long Index), byte>> FindAllAsync(
        VerifierDbContext db, ITrustedIssuers trust, IReadOnlyCollection<(string Issuer, string Uri, long Index)> entries, CancellationToken cancellationToken)
    {
        var uris = entries.Select(e => e.Uri).Distinct(StringComparer.Ordinal).ToList();
        var indexes = entries.Select(e => (long?)e.Index).Distinct().ToList();
        return Match(await RowsAtAsync(db, uris, indexes, cancellationToken), trust, entries);
    }

    /// <summary>Every notice at any of these lists and any of these indexes (a superset of the entries they were taken from).</summary>
    internal static async Task<List<NoticeRow>> RowsAtAsync(VerifierDbContext db, List<string> uris, List<long?> indexes, CancellationToken cancellationToken)
    {
        var notices = new List<NoticeRow>();
        await foreach (var row in NoticesAt.For(db)(db, uris, indexes).WithCancellation(cancellationToken))
            notices.Add(row);
        return notices;
    }

    /// <summary>
    /// The notices of <paramref name="notices"/> (read for any superset of these entries) that speak for each entry: the same list
    /// and index, from the credential's own issuer. A withdrawal among them wins.
    /// </summary>
    internal static Dictionary<(string Issuer, string Uri, long Index), byte> Match(
        IReadOnlyList<NoticeRow> notices, ITrustedIssuers trust, IReadOnlyCollection<(string Issuer, string Uri, long Index)> entries)
    {
        ArgumentNullException.ThrowIfNull(notices);
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(entries);
        var found = new Dictionary<(string Issuer, string Uri, long Index), byte>();
        if (notices.Count == 0)
            return found;
        foreach (var entry in entries)
        {
            // Only the credential's own issuer speaks for its entry.
            var ours = notices.Where(n => n.Uri == entry.Uri && n.Index == entry.Index
                    && string.Equals(trust.IssuerIdFor(n.IssuerOdsCode), entry.Issuer, StringComparison.Ordinal))
                .Select(n => n.Status).ToList();
            if (ours.Count > 0)
                found[entry] = ours.Contains(StatusListValues.Invalid) ? StatusListValues.Invalid : ours.Max();
        }
        return found;
    }
}

internal static class StatusListValues
{
    public const byte Valid = 0;
    public const byte Invalid = 1;
    public const byte Suspended = 2;
}

/// <summary>A suspended credential is valid again: accepted at once, without waiting for a cached status list to expire.</summary>
internal sealed class CredentialReinstatedConsumer(VerifierDbContext db) : IConsumer<CredentialReinstated>
{
    public async Task Consume(ConsumeContext<CredentialReinstated> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        await StatusNotice.RecordAsync(db, m.IssuerOdsCode, m.CredentialId, StatusListValues.Valid, m.ReinstatedAt, null, null, ct);
        await db.SaveChangesAsync(ct);
    }
}

internal sealed class StatusNoticeConfiguration : IEntityTypeConfiguration<StatusNotice>
{
    public void Configure(EntityTypeBuilder<StatusNotice> builder)
    {
        builder.ToTable("status_notices");
        builder.HasKey(n => new { n.IssuerOdsCode, n.CredentialId });
        builder.Property(n => n.IssuerOdsCode).HasMaxLength(10);
        builder.Property(n => n.StatusListUri).HasMaxLength(2048);
        builder.HasIndex(n => new { n.StatusListUri, n.StatusIndex });
    }
}
