using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Passport.Issuer.Staff;

namespace Passport.Issuer.Data;

/// <summary>
/// Every place where the Issuer's two stores differ: PostgreSQL in production, SQLite as the embedded default for a first run.
/// Features ask here rather than branching on the provider themselves.
/// </summary>
internal static class StoreDifferences
{
    /// <summary>Bulk rows go in with PostgreSQL's binary COPY; SQLite, a small site's store, takes them through SaveChanges.</summary>
    public static bool CanCopy(this DatabaseFacade database) => database.IsNpgsql();

    /// <summary>
    /// Staff whose name contains <paramref name="term"/> or whose assignment number is it, ignoring case on both stores:
    /// PostgreSQL's LIKE is case-sensitive, SQLite's is not (for ASCII).
    /// </summary>
    public static IQueryable<StaffMember> NamedOrNumbered(this IQueryable<StaffMember> staff, DatabaseFacade database, string term)
    {
        var escaped = term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
        var pattern = "%" + escaped + "%";
        return database.IsNpgsql()
            ? staff.Where(s => EF.Functions.ILike(s.GivenName + " " + s.FamilyName, pattern, "\\") || EF.Functions.ILike(s.FamilyName, pattern, "\\")
                || EF.Functions.ILike(s.AssignmentNumber, escaped, "\\"))
            : staff.Where(s => EF.Functions.Like(s.GivenName + " " + s.FamilyName, pattern, "\\") || EF.Functions.Like(s.FamilyName, pattern, "\\")
                || EF.Functions.Like(s.AssignmentNumber, escaped, "\\"));
    }

    /// <summary>The latest of some moments, or null. SQLite cannot compare DateTimeOffset in SQL, so it reads them and compares here.</summary>
    public static async Task<DateTimeOffset?> LatestAsync(this IQueryable<DateTimeOffset> moments, DatabaseFacade database, CancellationToken cancellationToken)
    {
        if (!database.IsSqlite())
            return await moments.MaxAsync(e => (DateTimeOffset?)e, cancellationToken);
        DateTimeOffset? last = null;
        await foreach (var moment in moments.AsAsyncEnumerable().WithCancellation(cancellationToken))
            last = last is null || moment > last ? moment : last;
        return last;
    }

    /// <summary>Whether any of the moments is after <paramref name="after"/>; on SQLite compared here, as for <see cref="LatestAsync"/>.</summary>
    public static async Task<bool> AnyAfterAsync(this IQueryable<DateTimeOffset> moments, DatabaseFacade database, DateTimeOffset after, CancellationToken cancellationToken)
    {
        if (!database.IsSqlite())
            return await moments.AnyAsync(m => m > after, cancellationToken);
        await foreach (var moment in moments.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (moment > after)
                return true;
        }
        return false;
    }
}
