using System.Diagnostics;
using System.Runtime.CompilerServices;
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
        // Already signalled is the common case under load: a thrown and caught exception per commit was measurable (issue #14).
        if (_signal.CurrentCount > 0)
            return;
        try { _signal.Release(); }
        catch (SemaphoreFullException) { } // another commit signalled between the check and the release
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

internal sealed class OutboxSaveInterceptor(OutboxSignal signal) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, StrongBox<int>> _inboxAdded = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        CountInbox(eventData);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        CountInbox(eventData);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData);
        return result;
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData);
        return Task.CompletedTask;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Forget(eventData);

    // A save that did not commit counts nothing; nor may its count linger for the context's next save (a pooled context lives on).
    private void Forget(DbContextEventData eventData)
    {
        if (eventData.Context is { } db)
            _inboxAdded.Remove(db);
    }

    private void CountInbox(DbContextEventData eventData)
    {
        if (eventData.Context is not { } db)
            return;
        var added = db.ChangeTracker.Entries<InboxMessage>().Count(e => e.State == EntityState.Added);
        if (added > 0)
            _inboxAdded.AddOrUpdate(db, new StrongBox<int>(added));
        else
            _inboxAdded.Remove(db);
    }

    // A provider's subclass (the SQLite context) counts under the service's own context name.
    private static string ServiceContextName(Type type)
    {
        while (type.BaseType is { } parent && parent != typeof(DbContext))
            type = parent;
        return type.Name;
    }

    private void Saved(SaveChangesCompletedEventData eventData)
    {
        if (eventData.Context is not { } db)
            return;
        if (_inboxAdded.TryGetValue(db, out var added))
        {
            _inboxAdded.Remove(db);
            MessagingTelemetry.InboxRecorded(ServiceContextName(db.GetType()), added.Value);
        }
        // Inside an explicit transaction the rows are not visible yet; the poll picks them up after commit.
        if (db.ChangeTracker.Entries<OutboxMessage>().Any())
            signal.Notify();
    }
}

/// <summary>
/// Publishes pending outbox rows, in order per credential and per deployment (<see cref="OutboxOrder"/>). On PostgreSQL
/// several instances may run at once: they take turns, one batch each, under an advisory lock; a crash after publishing
/// and before marking re-publishes with the same MessageId, which consumers' inboxes turn into a no-op.
/// </summary>
public sealed partial class OutboxDispatcher<TContext>(
    IServiceScopeFactory scopes, IBus bus, OutboxSignal signal, TimeProvider time, IOptions<OutboxOptions> options, ILogger<OutboxDispatcher<TContext>> log)
    : BackgroundService where TContext : DbContext
{
    private static readonly Type AnchorType = typeof(Contracts.CredentialIssued);
    private static readonly TimeSpan CountEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(30);
    private readonly string _name = typeof(TContext).Name;
    private DateTimeOffset _countedAt = DateTimeOffset.MinValue;

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
                await CountPendingAsync(stoppingToken);
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

    /// <summary>
    /// Publishes one batch; returns how many rows it published. Rows that share a credential or a deployment
    /// (<see cref="OutboxOrder"/>) are published one after another in id order, each after the broker confirmed the one
    /// before; rows that share neither are published at once and their confirms awaited together. On PostgreSQL one
    /// dispatcher of a database publishes at a time (a transaction-scoped advisory lock): two instances that each took a
    /// batch would publish the rows of one key concurrently.
    /// </summary>
    public async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        // A broker that is down makes Publish wait; the rows stay locked meanwhile, so the wait is bounded.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(PublishTimeout);
        var ct = bounded.Token;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql())
        {
#pragma warning disable EF1002 // The table name comes from our own model, never from input.
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock(hashtext('{Table(db)}'))", ct);
#pragma warning restore EF1002
        }
        var rows = await Pending(db, options.Value.BatchSize).AsNoTracking().ToListAsync(ct);
        if (rows.Count == 0)
            return 0;
        var last = new Dictionary<Guid, Task>();
        var publishes = new List<Task>(rows.Count);
        foreach (var row in rows)
        {
            var keys = OutboxOrder.KeysOf(row.Body);
            var before = keys.Select(k => last.GetValueOrDefault(k)).OfType<Task>().Distinct().ToArray();
            var publish = PublishAfterAsync(before, row, ct);
            foreach (var key in keys)
                last[key] = publish;
            publishes.Add(publish);
        }
        // Every publish has finished (or failed) before the transaction ends, so none runs on after its rows are released.
        await Task.WhenAll(publishes);
        var ids = rows.Select(r => r.Id).ToList();
        var now = time.GetUtcNow();
        await db.Set<OutboxMessage>().Where(x => ids.Contains(x.Id))
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.SentAt, now).SetProperty(x => x.Attempts, x => x.Attempts + 1), ct);
        await tx.CommitAsync(ct);
        MessagingTelemetry.Published(_name, rows.Count, rows[0].CreatedAt, time.GetUtcNow());
        return rows.Count;
    }

    /// <summary>Publishes <paramref name="row"/> once the rows before it of the same keys are confirmed; if one of those failed, this one is not published.</summary>
    private async Task PublishAfterAsync(Task[] before, OutboxMessage row, CancellationToken ct)
    {
        if (before.Length > 0)
            await Task.WhenAll(before).ConfigureAwait(false);
        else
            await Task.Yield();
        var type = AnchorType.Assembly.GetType(row.MessageType, throwOnError: false)
            ?? throw new InvalidOperationException($"Outbox row {row.Id} names unknown message type '{row.MessageType}'.");
        var message = JsonSerializer.Deserialize(row.Body, type)!;
        // The publish joins the trace of the request or consumer that wrote the row, so one trace crosses the bus.
        using var activity = MessagingTelemetry.StartPublish(type, row);
        await bus.Publish(message, type, context =>
        {
            context.MessageId = row.MessageId;
            if (row.CorrelationId is { } correlation)
                context.CorrelationId = correlation;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>Refreshes the pending-rows gauge, at most every few seconds: a COUNT over the partial index of unsent rows.</summary>
    private async Task CountPendingAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - _countedAt < CountEvery)
            return;
        _countedAt = now;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        MessagingTelemetry.SetPending(_name, await db.Set<OutboxMessage>().CountAsync(x => x.SentAt == null, cancellationToken));
    }

    private static string Table(TContext db)
    {
        var entity = db.Model.FindEntityType(typeof(OutboxMessage))!;
        return $"\"{entity.GetSchema() ?? "public"}\".\"{entity.GetTableName()}\"";
    }

    private static IQueryable<OutboxMessage> Pending(TContext db, int batch)
    {
        var set = db.Set<OutboxMessage>();
        if (!db.Database.IsNpgsql())
            return set.Where(x => x.SentAt == null).OrderBy(x => x.Id).Take(batch);
#pragma warning disable EF1002 // The table name comes from our own model, never from input.
        return set.FromSqlRaw($"SELECT * FROM {Table(db)} WHERE sent_at IS NULL ORDER BY id LIMIT {batch} FOR UPDATE SKIP LOCKED");
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
        // Tagged "ready" so that it shows in the readiness output; it is informational and never fails readiness.
        services.AddHealthChecks().AddCheck<OutboxHealthCheck<TContext>>($"{typeof(TContext).Name} outbox", tags: ["ready"]);
        return services;
    }

    public static DbContextOptionsBuilder OutboxInterceptor(this DbContextOptionsBuilder builder, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddInterceptors(services.GetRequiredService<OutboxSaveInterceptor>());
    }
}
