using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Passport.ServiceDefaults;

/// <summary>
/// A background pass that runs every <see cref="Interval"/> (purges of expired or retained data). A failed pass is logged
/// and tried again at the next interval: housekeeping must survive a database outage. Instances may run it at once, so a
/// pass must be safe to repeat.
/// </summary>
public abstract partial class Housekeeping(TimeProvider time, ILogger log) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    protected ILogger Log { get; } = log;

    protected abstract TimeSpan Interval { get; }

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, Time, stoppingToken).ConfigureAwait(false);
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Housekeeping must survive a database outage and try again next time.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(Log, GetType().Name, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Pass} failed; it will run again at the next interval")]
    private static partial void LogFailed(ILogger logger, string pass, Exception exception);
}
