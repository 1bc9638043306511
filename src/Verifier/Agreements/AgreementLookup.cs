using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Passport.Verifier.Data;

namespace Passport.Verifier.Agreements;

/// <summary>An agreement version's rules, as requests and decisions use them.</summary>
internal sealed record LoadedAgreement(Guid Id, string OdsCode, int Version, AgreementRules Rules);

/// <summary>
/// Loads an agreement version's validated rules. A stored version never changes and an agreement's organisation never changes,
/// so the rules of (agreement, version) are kept in memory once read: only which version is current is asked of the database
/// each time (or not at all when the caller names the version), so a new version is seen at once, by every instance.
/// </summary>
internal static class AgreementLookup
{
    // Compiled: every decision loads its agreement, and a LINQ query re-walks its expression tree on every execution.
    // One round trip: the version row, only when the agreement is this organisation's.
    private static readonly PerModel<Func<VerifierDbContext, Guid, string, int?, CancellationToken, Task<AgreementVersion?>>> FindVersion = new(() =>
        EF.CompileAsyncQuery((VerifierDbContext db, Guid id, string odsCode, int? version, CancellationToken _) =>
            db.Set<AgreementVersion>().AsNoTracking()
                .FirstOrDefault(v => v.AgreementId == id
                    && db.Set<Agreement>().Any(a => a.Id == id && a.OdsCode == odsCode && v.Version == (version ?? a.CurrentVersion)))));

    private static readonly PerModel<Func<VerifierDbContext, Guid, string, CancellationToken, Task<int?>>> CurrentVersionOf = new(() =>
        EF.CompileAsyncQuery((VerifierDbContext db, Guid id, string odsCode, CancellationToken _) =>
            db.Set<Agreement>().Where(a => a.Id == id && a.OdsCode == odsCode).Select(a => (int?)a.CurrentVersion).FirstOrDefault()));

    /// <summary>The organisation's agreement at <paramref name="version"/> (the current one when null), or null when it has none.</summary>
    public static async Task<LoadedAgreement?> LoadAsync(VerifierDbContext db, string odsCode, Guid id, int? version, CancellationToken cancellationToken)
    {
        if (version is null)
        {
            version = await CurrentVersionOf.For(db)(db, id, odsCode, cancellationToken);
            if (version is null)
                return null;
        }
        if (AgreementVersionCache.Find(id, version.Value) is { } cached)
            return string.Equals(cached.OdsCode, odsCode, StringComparison.Ordinal) ? cached : null;
        var stored = await FindVersion.For(db)(db, id, odsCode, version, cancellationToken);
        if (stored is null)
            return null;
        var rules = AgreementValidation.Validate(stored.ReadDocument(), odsCode, out _)
            ?? throw new InvalidOperationException($"Agreement {id} version {stored.Version} was stored valid but no longer validates.");
        return AgreementVersionCache.Keep(new LoadedAgreement(id, odsCode, stored.Version, rules));
    }
}

/// <summary>
/// The validated rules of agreement versions read in this process, by (agreement, version). Correct without invalidation: a
/// version row is written once and never updated or deleted, and its agreement's organisation is fixed when it is created.
/// Bounded: when full it starts again empty (a miss costs one read of the version row).
/// </summary>
internal static class AgreementVersionCache
{
    public const int Capacity = 4096;

    private static readonly ConcurrentDictionary<(Guid Id, int Version), LoadedAgreement> Kept = new();

    public static int Count => Kept.Count;

    public static LoadedAgreement? Find(Guid id, int version) => Kept.TryGetValue((id, version), out var found) ? found : null;

    public static LoadedAgreement Keep(LoadedAgreement agreement)
    {
        if (Kept.Count >= Capacity)
            Kept.Clear();
        return Kept.GetOrAdd((agreement.Id, agreement.Version), agreement);
    }
}
