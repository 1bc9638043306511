using System.Diagnostics;
using Npgsql;

namespace Passport.Load;

/// <summary>
/// The Verifier's outbox: each decision commits a PresentationVerified event that the dispatcher publishes to RabbitMQ
/// afterwards. Under load it falls behind, so the run waits for it to drain before and after the measured window, and the
/// CPU of that publishing is charged to the verifications that caused it.
/// </summary>
internal sealed class Outbox(string connectionString)
{
    public async Task<long> PendingAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM verifier.outbox_messages WHERE sent_at IS NULL", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Waits until nothing is left to publish (at most <paramref name="limit"/>); returns what was pending at first and how long it took.</summary>
    public async Task<(long Backlog, double Seconds, long Left)> DrainAsync(TimeSpan limit)
    {
        var start = Stopwatch.GetTimestamp();
        var backlog = await PendingAsync();
        var left = backlog;
        while (left > 0 && Stopwatch.GetElapsedTime(start) < limit)
        {
            await Task.Delay(100);
            left = await PendingAsync();
        }
        return (backlog, Stopwatch.GetElapsedTime(start).TotalSeconds, left);
    }
}
