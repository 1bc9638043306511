using Microsoft.EntityFrameworkCore;
using Passport.Verifier.Data;

namespace Passport.Verifier.Agreements;

/// <summary>An agreement version's rules, as requests and decisions use them.</summary>
internal sealed record LoadedAgreement(Guid Id, string OdsCode, int Version, AgreementRules Rules);

internal static class AgreementLookup
{
    // Compiled: every decision loads its agreement, and a LINQ query re-walks its expression tree on every execution.
    // One round trip: the version row, only when the agreement is this organisation's.
    private static readonly PerModel<Func<VerifierDbContext, Guid, string, int?, CancellationToken, Task<AgreementVersion?>>> FindVersion = new(() =>
        EF.CompileAsyncQuery((VerifierDbContext db, Guid id, string odsCode, int? version, CancellationToken _) =>
            db.Set<AgreementVersion>().AsNoTracking()
                .FirstOrDefault(v => v.AgreementId == id
                    && db.Set<Agreement>().Any(a => a.Id == id && a.OdsCode == odsCode && v.Version == (version ?? a.CurrentVersion)))));

    /// <summary>The organisation's agreement at <paramref name="version"/> (the current one when null), or null when it has none.</summary>
    public static async Task<LoadedAgreement?> LoadAsync(VerifierDbContext db, string odsCode, Guid id, int? version, CancellationToken cancellationToken)
    {
        var stored = await FindVersion.For(db)(db, id, odsCode, version, cancellationToken);
        if (stored is null)
            return null;
        var rules = AgreementValidation.Validate(stored.ReadDocument(), odsCode, out _)
            ?? throw new InvalidOperationException($"Agreement {id} version {stored.Version} was stored valid but no longer validates.");
        return new LoadedAgreement(id, odsCode, stored.Version, rules);
    }
}
