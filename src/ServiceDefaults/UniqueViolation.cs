using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Passport.ServiceDefaults;

/// <summary>
/// Whether a failed save broke a unique index (PostgreSQL or SQLite), whether it came through <c>SaveChanges</c> or
/// straight from the driver (a <c>COPY</c>): the caller turns that into a 409 or a retry.
/// </summary>
public static class UniqueViolation
{
    public static bool Is(Exception exception) => exception switch
    {
        DbUpdateException { InnerException: { } inner } => Is(inner),
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };
}
