using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using Passport.Contracts;
using Passport.Issuer.Credentials;
using Passport.Issuer.Data;
using Passport.Messaging;

namespace Passport.Issuer.Expiry;

public sealed class ExpiryOptions
{
    public const string Section = "Issuer:Expiry";

    /// <summary>Days ahead of expiry at which a <c>CredentialExpiring</c> event is published, once per threshold.</summary>
    public int[] ThresholdDays { get; set; } = [30, 14, 1];

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    public int BatchSize { get; set; } = 1000;
}

/// <summary>That a credential's expiry alert for one threshold was published; its key makes the alert at-most-once.</summary>
public sealed class ExpiryAlert
{
    public required Guid CredentialId { get; init; }
    public required int ThresholdDays { get; init; }
    public required DateTimeOffset At { get; init; }
}

internal sealed class ExpiryAlertConfiguration : IEntityTypeConfiguration<ExpiryAlert>
{
    public void Configure(EntityTypeBuilder<ExpiryAlert> e)
    {
        e.ToTable("expiry_alerts");
        e.HasKey(x => new { x.CredentialId, x.ThresholdDays });
    }
}

/// <summary>
/// Finds active credentials entering an alert window and publishes <c>CredentialExpiring</c> through the outbox,
/// recording each (credential, threshold) so a restart or a second instance never alerts twice.
/// </summary>
internal sealed partial class ExpiryAlertJob(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<ExpiryOptions> options, IOptions<IssuerOptions> issuer, ILogger<ExpiryAlertJob> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RunOnceAsync(stoppingToken) >= options.Value.BatchSize)
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A scheduled job must survive a database outage and try again next time.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(log, ex);
            }
            await Task.Delay(options.Value.Interval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>One pass: returns how many alerts it queued.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        var now = time.GetUtcNow();
        var queued = 0;
        // Each credential is alerted for the nearest threshold it has reached: one expiring in 10 days gets the
        // 14-day alert, not a late 30-day one as well; the 1-day alert follows when its window comes.
        var lower = 0;
        foreach (var days in options.Value.ThresholdDays.Distinct().Order())
        {
            var from = now.AddDays(lower);
            var to = now.AddDays(days);
            lower = days;
            var due = await db.Credentials.AsNoTracking()
                .Where(c => c.Status == CredentialStatus.Active && c.ExpiresAt > from && c.ExpiresAt <= to)
                .Where(c => !db.Set<ExpiryAlert>().Any(a => a.CredentialId == c.Id && a.ThresholdDays == days))
                .OrderBy(c => c.Id)
                .Take(options.Value.BatchSize - queued)
                .Select(c => new { c.Id, c.OdsCode, c.StaffId, c.Type, c.ExpiresAt, c.StatusListId, c.StatusIndex })
                .ToListAsync(cancellationToken);
            foreach (var c in due)
            {
                db.Add(new ExpiryAlert { CredentialId = c.Id, ThresholdDays = days, At = now });
                db.AddOutboxMessage(new CredentialExpiring
                {
                    CredentialId = c.Id, IssuerOdsCode = c.OdsCode, StaffId = c.StaffId, CredentialType = c.Type, ExpiresAt = c.ExpiresAt, ThresholdDays = days,
                    StatusListUri = issuer.Value.StatusListUri(c.OdsCode, c.StatusListId), StatusIndex = c.StatusIndex,
                }, now);
            }
            queued += due.Count;
            if (queued >= options.Value.BatchSize)
                break;
        }
        if (queued > 0)
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another instance queued the same alerts first: its rows stand, ours are dropped with the transaction.
                return 0;
            }
        }
        return queued;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expiry alert pass failed; it will run again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

internal static class ExpiryRegistration
{
    public static IHostApplicationBuilder AddIssuerExpiryAlerts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ExpiryOptions>().BindConfiguration(ExpiryOptions.Section)
            .Validate(o => o.ThresholdDays.Length > 0 && o.ThresholdDays.All(d => d is > 0 and <= 365), "Issuer:Expiry:ThresholdDays must list days between 1 and 365.")
            .Validate(o => o.Interval >= TimeSpan.FromSeconds(1), "Issuer:Expiry:Interval must be at least a second.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ExpiryAlertJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ExpiryAlertJob>());
        return builder;
    }
}
