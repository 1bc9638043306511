using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;

namespace Passport.Issuer.Offers;

/// <summary>
/// Deletes spent and expired c_nonces. The nonce endpoint is open to any wallet, so without this the table would grow with
/// every request for as long as the service runs; a nonce is worthless once expired, used or not.
/// </summary>
internal sealed partial class NoncePurge(IServiceScopeFactory scopes, TimeProvider time, ILogger<NoncePurge> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
                await PurgeAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Housekeeping must survive a database outage and try again next time.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(log, ex);
            }
        }
    }

    /// <summary>One pass; returns how many nonces it deleted. Instances may run it at once: each row goes once.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        var now = time.GetUtcNow();
        return await db.Nonces.Where(n => n.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Nonce purge failed; it will run again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
