using System.Net.Sockets;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Passport.ServiceDefaults;

namespace Passport.Events.Tests;

public sealed class RetryPolicyTests
{
    private static PostgresException Postgres(string sqlState) => new("message", "FATAL", "FATAL", sqlState);

    [Fact]
    public void By_default_a_transient_failure_is_retried_for_about_two_minutes_with_waits_doubling_up_to_ten_seconds()
    {
        var intervals = new BusOptions().TransientRetryIntervals();

        Assert.Equal([1, 2, 4, 8, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10], intervals.Select(i => i.TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(125), intervals.Aggregate(TimeSpan.Zero, (sum, i) => sum + i));
    }

    [Fact]
    public void A_long_window_with_short_waits_does_not_overflow()
    {
        var intervals = new BusOptions { TransientRetryWindow = TimeSpan.FromMinutes(20), TransientRetryMaxInterval = TimeSpan.FromMilliseconds(100) }
            .TransientRetryIntervals();

        Assert.Equal(12_000, intervals.Count);
    }

    [Fact]
    public void A_zero_window_retries_transient_failures_like_any_other()
    {
        Assert.Empty(new BusOptions { TransientRetryWindow = TimeSpan.Zero }.TransientRetryIntervals());
    }

    [Fact]
    public void The_database_being_unreachable_is_transient_however_ef_core_wraps_it()
    {
        var refused = new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));
        Exception[] transient =
        [
            refused,
            new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", refused),
            new DbUpdateException("An error occurred while saving the entity changes.",
                new NpgsqlException("Exception while reading from stream", new EndOfStreamException())),
            new RetryLimitExceededException("The maximum number of retries (6) was exceeded.", refused),
            new NpgsqlException("The operation has timed out", new TimeoutException()),
            Postgres(PostgresErrorCodes.AdminShutdown),
            Postgres(PostgresErrorCodes.CannotConnectNow),
            Postgres(PostgresErrorCodes.ConnectionFailure),
            Postgres(PostgresErrorCodes.TooManyConnections),
            Postgres(PostgresErrorCodes.SerializationFailure),
            new TimeoutException(),
        ];

        Assert.All(transient, e => Assert.True(TransientFailure.Is(e), e.ToString()));
    }

    [Fact]
    public void A_bug_or_a_message_the_code_cannot_apply_is_not_transient()
    {
        Exception[] lasting =
        [
            new InvalidOperationException("The instance of entity type 'InboxMessage' cannot be tracked."),
            new DbUpdateException("An error occurred while saving the entity changes.", Postgres(PostgresErrorCodes.ForeignKeyViolation)),
            Postgres(PostgresErrorCodes.UniqueViolation),
            Postgres(PostgresErrorCodes.UndefinedTable),
            new NpgsqlException("Something the driver does not count as transient"),
            new JsonException("The JSON value could not be converted."),
            new ArgumentNullException("message"),
        ];

        Assert.All(lasting, e => Assert.False(TransientFailure.Is(e), e.ToString()));
    }
}
