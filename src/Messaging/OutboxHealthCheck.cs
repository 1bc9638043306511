using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Passport.Messaging;

/// <summary>
/// Informational: how many outbox rows wait to be published and how old the oldest is, and how many messages the inbox
/// has recorded since start. A backlog never fails readiness (the database and bus checks do that); it is there to be seen.
/// </summary>
internal sealed class OutboxHealthCheck<TContext>(IServiceScopeFactory scopes, TimeProvider time) : IHealthCheck where TContext : DbContext
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var name = typeof(TContext).Name;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            // Both read the partial index of unsent rows, however large the table of sent ones grows.
            var pending = db.Set<OutboxMessage>().AsNoTracking().Where(x => x.SentAt == null);
            var count = await pending.CountAsync(cancellationToken);
            var oldest = count == 0 ? null : await pending.OrderBy(x => x.Id).Select(x => (DateTimeOffset?)x.CreatedAt).FirstOrDefaultAsync(cancellationToken);
            var data = new Dictionary<string, object>
            {
                ["outboxPending"] = count,
                ["oldestPendingSeconds"] = oldest is { } at ? Math.Round((time.GetUtcNow() - at).TotalSeconds, 1) : 0,
                ["inboxProcessedSinceStart"] = MessagingTelemetry.InboxProcessed(name),
            };
            return HealthCheckResult.Healthy($"{count} outbox rows pending", data);
        }
#pragma warning disable CA1031 // Informational: the database check reports the outage itself.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Degraded("The outbox could not be counted.", ex);
        }
    }
}
