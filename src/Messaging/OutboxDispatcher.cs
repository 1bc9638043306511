using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Passport.Messaging;

public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    public int BatchSize { get; set; } = 100;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Wakes the dispatcher as soon as a transaction with outbox rows commits, instead of waiting for the next poll.</summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Dispose() => _signal.Dispose();

    public void Notify()
    {
        try { _signal.Release(); }
        catch (SemaphoreFullException) { }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

internal sealed class OutboxSaveInterceptor(OutboxSignal signal) : SaveChangesInterceptor
{
    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Signal(eventData);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Signal(eventData);
        return result;
    }

    private void Signal(SaveChangesCompletedEventData eventData)
    {
        // Inside an explicit transaction the rows are not visible yet; the poll picks them up after commit.
        if (eventData.Context?.ChangeTracker.Entries<OutboxMessage>().Any() == true)
            signal.Notify();
    }
}

/// <summary>
/// Publishes pending outbox rows in order. On PostgreSQL rows are claimed with FOR UPDATE SKIP LOCKED so several
/// instances can run at once; a crash after publishing and before marking re-publishes with the same MessageId,
/// which consumers' inboxes turn into a no-op.
/// </summary>
public sealed partial class OutboxDispatcher<TContext>(
    IServiceScopeFactory scopes, IBus bus, OutboxSignal signal, TimeProvider time, IOptions<OutboxOptions> options, ILogger<OutboxDispatcher<TContext>> log)
    : BackgroundService where TContext : DbContext
{
    private static readonly Type AnchorType = typeof(Contracts.CredentialIssued);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var published = await DispatchBatchAsync(stoppingToken);
                failures = 0;
                if (published >= options.Value.BatchSize)
                    continue;
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The dispatcher must outlive a database or broker outage; it logs and backs off.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(options.Value.MaxBackoff.TotalMilliseconds, 200 * Math.Pow(2, Math.Min(failures, 10))));
                LogDispatchFailed(log, ex, delay.TotalMilliseconds);
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Publishes one batch; returns how many rows it published.</summary>
    public async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var rows = await Pending(db, options.Value.BatchSize).ToListAsync(cancellationToken);
        if (rows.Count == 0)
            return 0;
        foreach (var row in rows)
        {
            var type = AnchorType.Assembly.GetType(row.MessageType, throwOnError: false)
                ?? throw new InvalidOperationException($"Outbox row {row.Id} names unknown message type '{row.MessageType}'.");
            var message = JsonSerializer.Deserialize(row.Body, type)!;
            await bus.Publish(message, type, context =>
            {
                context.MessageId = row.MessageId;
                if (row.CorrelationId is { } correlation)
                    context.CorrelationId = correlation;
            }, cancellationToken);
            row.SentAt = time.GetUtcNow();
            row.Attempts++;
        }
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return rows.Count;
    }

    private static IQueryable<OutboxMessage> Pending(TContext db, int batch)
    {
        var set = db.Set<OutboxMessage>();
        if (!db.Database.IsNpgsql())
            return set.Where(x => x.SentAt == null).OrderBy(x => x.Id).Take(batch);
        var entity = db.Model.FindEntityType(typeof(OutboxMessage))!;
        var table = $"\"{entity.GetSchema() ?? "public"}\".\"{entity.GetTableName()}\"";
#pragma warning disable EF1002 // The table name comes from our own model, never from input.
        return set.FromSqlRaw($"SELECT * FROM {table} WHERE sent_at IS NULL ORDER BY id LIMIT {batch} FOR UPDATE SKIP LOCKED");
#pragma warning restore EF1002
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox dispatch failed; retrying in {DelayMs} ms")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception, double delayMs);
}

public static class OutboxServiceCollectionExtensions
{
    /// <summary>Registers the dispatcher for <typeparamref name="TContext"/>; add <see cref="OutboxInterceptor"/> to its options.</summary>
    public static IServiceCollection AddOutbox<TContext>(this IServiceCollection services) where TContext : DbContext
    {
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section);
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxSaveInterceptor>();
        services.AddHostedService<OutboxDispatcher<TContext>>();
        return services;
    }

    public static DbContextOptionsBuilder OutboxInterceptor(this DbContextOptionsBuilder builder, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddInterceptors(services.GetRequiredService<OutboxSaveInterceptor>());
    }
}
