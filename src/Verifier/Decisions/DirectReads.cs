using Microsoft.EntityFrameworkCore;
using Passport.Verifier.Agreements;
using Passport.Verifier.Data;
using Passport.Verifier.Trust;

namespace Passport.Verifier.Decisions;

/// <summary>
/// Everything <c>POST /api/verify</c> reads before verifying, in one round trip: which version of the agreement is current,
/// whether the nonce was used, and the status notices at the entries the presentations claim (<see cref="ClaimedStatusEntries"/>).
/// </summary>
internal static class DirectReads
{
    public sealed record Found(int Version, bool NonceUsed, PrefetchedNotices Notices);

    private sealed record Row(int Version, bool NonceUsed, List<StatusNotice.NoticeRow> Notices);

    /// <summary>Null when the agreement is not this organisation's. The unique (organisation, nonce) index still refuses a replay that races this check.</summary>
    public static async Task<Found?> ReadAsync(
        VerifierDbContext db, string ods, Guid agreementId, string nonce, IEnumerable<string> presentations, CancellationToken cancellationToken)
    {
        var claimed = ClaimedStatusEntries.Of(presentations);
        var uris = claimed.Select(e => e.Uri).Distinct(StringComparer.Ordinal).ToList();
        var indexes = claimed.Select(e => (long?)e.Index).Distinct().ToList();
        Row? row = null;
        if (db.Database.IsSqlite())
        {
            // SQLite cannot join the notices to the agreement's row (EF Core needs an APPLY for it): two queries there.
            if (await CurrentVersionAndNonce.For(db)(db, ods, agreementId, nonce, cancellationToken) is { } current)
                row = current with { Notices = await StatusNotice.RowsAtAsync(db, uris, indexes, cancellationToken) };
        }
        else
        {
            await foreach (var found in Query.For(db)(db, ods, agreementId, nonce, uris, indexes).WithCancellation(cancellationToken))
                row = found;
        }
        return row is null ? null : new Found(row.Version, row.NonceUsed, new PrefetchedNotices(claimed, row.Notices));
    }

    private static readonly PerModel<Func<VerifierDbContext, string, Guid, string, CancellationToken, Task<Row?>>> CurrentVersionAndNonce = new(() =>
        EF.CompileAsyncQuery((VerifierDbContext db, string ods, Guid id, string nonce, CancellationToken _) =>
            db.Set<Agreement>().Where(a => a.Id == id && a.OdsCode == ods)
                .Select(a => new Row(a.CurrentVersion, db.Set<Decision>().Any(d => d.OdsCode == ods && d.Nonce == nonce), new List<StatusNotice.NoticeRow>()))
                .FirstOrDefault()));

    // Compiled: asked on every decision, and a LINQ query re-walks its expression tree on every execution. The notices are read
    // for every claimed list and every claimed index (a superset); StatusNotice.Match keeps only each credential's own entry.
    // At most one row (the agreement's key); no FirstOrDefault, whose LIMIT would need an APPLY that SQLite does not have.
    private static readonly PerModel<Func<VerifierDbContext, string, Guid, string, List<string>, List<long?>, IAsyncEnumerable<Row>>> Query = new(() =>
        EF.CompileAsyncQuery((VerifierDbContext db, string ods, Guid id, string nonce, List<string> uris, List<long?> indexes) =>
            db.Set<Agreement>().Where(a => a.Id == id && a.OdsCode == ods)
                .Select(a => new Row(
                    a.CurrentVersion,
                    db.Set<Decision>().Any(d => d.OdsCode == ods && d.Nonce == nonce),
                    db.Set<StatusNotice>().Where(n => uris.Contains(n.StatusListUri!) && indexes.Contains(n.StatusIndex))
                        .Select(n => new StatusNotice.NoticeRow(n.IssuerOdsCode, n.StatusListUri, n.StatusIndex, n.Status)).ToList()))));
}
