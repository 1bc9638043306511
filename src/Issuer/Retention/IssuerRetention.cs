using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Passport.ServiceDefaults;
using Microsoft.Extensions.Options;
using Passport.Issuer.Data;
using Passport.Issuer.Import;

namespace Passport.Issuer.Retention;

/// <summary>How long the Issuer keeps what it no longer needs (<c>Issuer:Retention</c>).</summary>
public sealed class RetentionOptions
{
    public const string Section = "Issuer:Retention";

    /// <summary>How long an ended import job (its counters and row errors) is kept after it ended; its file is dropped at once.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan ImportJobs { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long an audit entry keeps its free-text reason; who did what to which passport, and when, is kept.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "36500.00:00:00")]
    public TimeSpan AuditPayloads { get; set; } = TimeSpan.FromDays(6 * 365);

    /// <summary>How often the purge runs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Deletes ended import jobs and empties audit reasons once they are older than their retention.</summary>
internal sealed partial class IssuerRetentionPurge(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<RetentionOptions> options, ILogger<IssuerRetentionPurge> log) : Housekeeping(time, log)
{
    protected override TimeSpan Interval => options.Value.PurgeInterval;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => PurgeAsync(cancellationToken);

    /// <summary>One pass: (import jobs deleted, audit reasons emptied). Instances may run it at once.</summary>
    public async Task<(int ImportJobs, int AuditPayloads)> PurgeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        var now = Time.GetUtcNow();
        var jobsBefore = now - options.Value.ImportJobs;
        var auditBefore = now - options.Value.AuditPayloads;
        // Row errors go with their job (ON DELETE CASCADE).
        var jobs = await db.ImportJobs
            .Where(j => (j.State == ImportState.Completed || j.State == ImportState.Failed) && j.CompletedAt < jobsBefore)
            .ExecuteDeleteAsync(cancellationToken);
        var audit = await db.Audit.Where(a => a.At < auditBefore && a.Reason != null)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Reason, (string?)null), cancellationToken);
        if (jobs + audit > 0)
            LogPurged(Log, jobs, audit);
        return (jobs, audit);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention purge: {ImportJobs} import job(s) deleted, {AuditPayloads} audit reason(s) emptied")]
    private static partial void LogPurged(ILogger logger, int importJobs, int auditPayloads);

}

internal static class RetentionServices
{
    public static IHostApplicationBuilder AddIssuerRetention(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IssuerRetentionPurge>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IssuerRetentionPurge>());
        return builder;
    }
}
