using Passport.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Issuer.Credentials;
using Passport.Issuer.Data;
using Passport.Issuer.Organisations;

namespace Passport.Issuer.Import;

/// <summary>
/// Runs queued imports. A worker takes a job with an atomic conditional update (only a job nobody holds, or whose holder's
/// lease has run out), so several instances never run one job at once. Each batch of rows (staff records, then credentials through
/// <see cref="CredentialIssuance"/>, their outbox rows and audit entries, the row errors, and the job's progress) commits in one
/// transaction, so a stop at any point loses nothing and repeats nothing: the next worker resumes after the last committed batch,
/// and issuance is idempotent by source reference besides.
/// </summary>
internal sealed partial class ImportWorker(IServiceScopeFactory scopes, IOptions<ImportOptions> options, TimeProvider time, ILogger<ImportWorker> log)
    : BackgroundService
{
    private const int MaxBatchAttempts = 3;
    private readonly string _instance = Guid.NewGuid().ToString("N");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await TryClaimAsync(stoppingToken) is { } id)
                {
                    await RunAsync(id, stoppingToken);
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogPollFailed(log, e);
            }
            try
            {
                await Task.Delay(options.Value.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<Guid?> TryClaimAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        var now = time.GetUtcNow();
        var candidates = await db.ImportJobs.AsNoTracking()
            .Where(j => (j.State == ImportState.Queued || j.State == ImportState.Running) && (j.LeaseExpiresAt == null || j.LeaseExpiresAt < now))
            .OrderBy(j => j.CreatedAt).Select(j => j.Id).Take(5).ToListAsync(cancellationToken);
        var until = now + options.Value.LeaseDuration;
        foreach (var id in candidates)
        {
            // The condition is re-checked by the UPDATE itself: of two instances racing for a job, one updates a row and the other none.
            var claimed = await db.ImportJobs
                .Where(j => j.Id == id && (j.State == ImportState.Queued || j.State == ImportState.Running) && (j.LeaseExpiresAt == null || j.LeaseExpiresAt < now))
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, ImportState.Running).SetProperty(j => j.LeaseOwner, _instance).SetProperty(j => j.LeaseExpiresAt, until),
                    cancellationToken);
            if (claimed == 1)
                return id;
        }
        return null;
    }

    private async Task RunAsync(Guid id, CancellationToken cancellationToken)
    {
        var finished = false;
        try
        {
            finished = await ProcessAsync(id, cancellationToken);
        }
        // Stopping can surface as a database error of the cancelled command, not only as a cancellation.
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            LogJobFailed(log, id, e);
            finished = await FailAsync(id, "An internal error stopped the import; it has been logged. Upload the file again to finish it: rows already imported are unchanged.");
        }
        finally
        {
            if (!finished)
                await ReleaseAsync(id);
        }
    }

    /// <summary>Processes the job's remaining rows; true when it ended (completed or failed), false when its lease was lost.</summary>
    private async Task<bool> ProcessAsync(Guid id, CancellationToken cancellationToken)
    {
        ImportJob job;
        await using (var scope = scopes.CreateAsyncScope())
        {
            job = await scope.ServiceProvider.GetRequiredService<IssuerDbContext>().ImportJobs.AsNoTracking().SingleAsync(j => j.Id == id, cancellationToken);
        }
        var o = options.Value;
        if (job.Content is null)
            return await FailAsync(id, "The uploaded file is no longer kept; upload it again.");
        var (records, error) = Csv.Parse(job.Content, int.MaxValue);
        var (columns, _) = records is { Count: > 0 } ? ImportFormat.ReadHeader(records[0].Fields) : (null, []);
        if (error is not null || columns is null)
            return await FailAsync(id, "The stored file is no longer readable as an import; upload it again.");

        var width = records![0].Fields.Length;
        var rows = ImportPlan.Order(records.Skip(1).Select(r => ImportFormat.Read(r, columns, width)).ToList());
        if (rows.Count != job.TotalRows)
            return await FailAsync(id, "The stored file no longer has the rows it had when uploaded; upload it again.");

        for (var position = job.ProcessedRows; position < rows.Count;)
        {
            var count = Math.Min(o.BatchSize, rows.Count - position);
            var batch = rows.GetRange(position, count);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    if (!await ImportPlan.CommitBatchAsync(scopes, time, o, job, _instance, batch, position + count, position + count == rows.Count, cancellationToken))
                        return false;
                    break;
                }
                // A staff record created meanwhile by someone else (the API, another import): the batch is rolled back and read again.
                catch (Exception e) when (attempt < MaxBatchAttempts && (e is ServiceBusyException || UniqueViolation.Is(e)))
                {
                }
            }
            position += count;
        }
        return true;
    }

    private async Task<bool> FailAsync(Guid id, string reason)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        var now = time.GetUtcNow();
        var updated = await db.ImportJobs.Where(j => j.Id == id && j.LeaseOwner == _instance).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.State, ImportState.Failed).SetProperty(j => j.FailureReason, reason).SetProperty(j => j.CompletedAt, now)
            .SetProperty(j => j.Content, (string?)null)
            .SetProperty(j => j.LeaseOwner, (string?)null).SetProperty(j => j.LeaseExpiresAt, (DateTimeOffset?)null), CancellationToken.None);
        return updated == 1;
    }

    /// <summary>Lets another worker (or this service after a restart) take the job at once instead of waiting for the lease to run out.</summary>
    private async Task ReleaseAsync(Guid id)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
            await db.ImportJobs.Where(j => j.Id == id && j.LeaseOwner == _instance)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseOwner, (string?)null).SetProperty(j => j.LeaseExpiresAt, (DateTimeOffset?)null), CancellationToken.None);
        }
        catch (Exception e)
        {
            // The lease then runs out by itself.
            LogReleaseFailed(log, id, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for import jobs failed; trying again later")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Import {JobId} failed")]
    private static partial void LogJobFailed(ILogger logger, Guid jobId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release import {JobId}; its lease will run out")]
    private static partial void LogReleaseFailed(ILogger logger, Guid jobId, Exception exception);
}
