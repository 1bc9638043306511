using Microsoft.Data.Sqlite;
using Npgsql;

namespace Passport.ServiceDefaults;

/// <summary>
/// Whether a failure is the database being unreachable for a while (restarting, failing over, out of connections) rather
/// than a fault of the message or the code, so that waiting and trying again will succeed. EF Core wraps the driver's
/// exception (<c>DbUpdateException</c>, the execution strategy's <c>InvalidOperationException</c>,
/// <c>RetryLimitExceededException</c>), so the whole chain of inner exceptions is read.
/// </summary>
public static class TransientFailure
{
    public static bool Is(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } or TimeoutException or System.Net.Sockets.SocketException
                || e is PostgresException p && IsRestart(p.SqlState)
                // SQLITE_BUSY, SQLITE_LOCKED: another connection holds the embedded database's lock.
                || e is SqliteException { SqliteErrorCode: 5 or 6 })
            {
                return true;
            }
        }
        return false;
    }

    // Class 08 (connection exception); 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now: the server is
    // stopping or starting, which Npgsql does not count as transient.
    private static bool IsRestart(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
            or PostgresErrorCodes.CannotConnectNow;
}
