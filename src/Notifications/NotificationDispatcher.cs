using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Passport.Notifications;

/// <summary>
/// Sends due notifications one at a time, each in its own transaction: on PostgreSQL the row is claimed with
/// FOR UPDATE SKIP LOCKED so several instances share the work and none sends a row another holds. The row is marked
/// sent in the transaction that claimed it, so only a crash between the provider accepting the message and the commit
/// can repeat one (the e-mail keeps the same Message-ID). A failed send backs off exponentially and is given up after
/// <see cref="NotificationOptions.MaxAttempts"/>, with the failure recorded.
/// </summary>
public sealed partial class NotificationDispatcher<TContext>(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<NotificationOptions> options, ILogger<NotificationDispatcher<TContext>> log)
    : BackgroundService where TContext : DbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DispatchOneAsync(stoppingToken))
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The dispatcher must outlive a database outage; it logs and tries again at the next poll.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogDispatchFailed(log, ex);
            }
            try
            {
                await Task.Delay(options.Value.PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends (or records) the next due notification; false when none is due.</summary>
    public async Task<bool> DispatchOneAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var row = await Due(db, now).FirstOrDefaultAsync(cancellationToken);
        if (row is null)
            return false;
        var channel = scope.ServiceProvider.GetServices<IMessageChannel>().FirstOrDefault(c => c.Name == row.Channel);
        var o = options.Value;
        if (channel is not { IsConfigured: true })
        {
            LogRecorded(log, row.Id, row.Channel, row.Recipient, row.Subject, row.Body);
            row.MarkSent(now, logged: true);
        }
        else
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(o.SendTimeout);
            try
            {
                await channel.SendAsync(row, bounded.Token);
                row.MarkSent(time.GetUtcNow(), logged: false);
            }
#pragma warning disable CA1031 // Any failure of the provider (refused, timed out, unreachable) is one more failed attempt.
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                row.MarkFailed(ex.GetType().Name, time.GetUtcNow(), o.MaxAttempts, o.FirstBackoff, o.MaxBackoff);
                LogSendFailed(log, ex, row.Id, row.Channel, row.Attempts, row.State);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    private static IQueryable<Notification> Due(TContext db, DateTimeOffset now)
    {
        var set = db.Set<Notification>();
        if (!db.Database.IsNpgsql())
            return set.Where(x => x.State == NotificationStates.Pending && x.NextAttemptAt <= now).OrderBy(x => x.NextAttemptAt).ThenBy(x => x.Id).Take(1);
        var entity = db.Model.FindEntityType(typeof(Notification))!;
        var table = $"\"{entity.GetSchema() ?? "public"}\".\"{entity.GetTableName()}\"";
#pragma warning disable EF1003 // The table name comes from our own model, never from input; the time is a parameter.
        return set.FromSqlRaw("SELECT * FROM " + table +
            " WHERE state = 'pending' AND next_attempt_at <= {0} ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED", now);
#pragma warning restore EF1003
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {Id} recorded, not sent (no {Channel} channel configured) to {Recipient}: {Subject}\n{Body}")]
    private static partial void LogRecorded(ILogger logger, long id, string channel, string recipient, string subject, string body);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {Id} ({Channel}) attempt {Attempts} failed; now {State}")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, long id, string channel, int attempts, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification dispatch failed; it will try again at the next poll")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);
}

public static class NotificationServiceCollectionExtensions
{
    /// <summary>The channels (once per host) and a dispatcher for <typeparamref name="TContext"/>'s notifications table.</summary>
    public static IServiceCollection AddNotifications<TContext>(this IServiceCollection services) where TContext : DbContext
    {
        if (!services.Any(d => d.ServiceType == typeof(IConfigureOptions<NotificationOptions>)))
        {
            services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateDataAnnotations()
                .Validate(o => string.IsNullOrWhiteSpace(o.Smtp.Host) || MimeKit.MailboxAddress.TryParse(o.Smtp.From, out _),
                    "Notifications:Smtp:From must be an e-mail address, for example 'Passport <no-reply@trust.nhs.uk>'.")
                .Validate(o => o.Sms.BaseUrl is null || o.Sms.Enabled,
                    "Notifications:Sms: with BaseUrl set, set ApiKey (as an environment variable or secret) and TemplateId too.")
                .Validate(o => o.Sms.ApiKey is not { Length: > 0 } key || key.Length >= 74,
                    "Notifications:Sms:ApiKey must be a GOV.UK Notify API key: its name, the service id and the secret key.")
                .Validate(o => o.FirstBackoff > TimeSpan.Zero && o.MaxBackoff >= o.FirstBackoff && o.PollInterval > TimeSpan.Zero,
                    "Notifications: FirstBackoff and PollInterval must be positive and MaxBackoff at least FirstBackoff.")
                .Validate(o => o.Contacts.Values.SelectMany(r => r.Values).SelectMany(a => a).All(NotificationAddresses.IsContact),
                    "Notifications:Contacts: each contact is an e-mail address or a mobile number in international form (+447700900123).")
                .ValidateOnStart();
            services.AddHttpClient(NotifySmsChannel.ClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        }
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMessageChannel, SmtpChannel>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMessageChannel, NotifySmsChannel>());
        services.AddHostedService<NotificationDispatcher<TContext>>();
        return services;
    }
}
