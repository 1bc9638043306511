using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Passport.ServiceDefaults;
using Microsoft.Extensions.Options;
using Passport.Verifier.Data;
using Passport.Verifier.Decisions;
using Passport.Verifier.Deployments;

namespace Passport.Verifier.Retention;

/// <summary>How long the Verifier keeps decisions (<c>Verifier:Retention</c>): they hold the disclosed claims the rules read.</summary>
public sealed class DecisionRetentionOptions
{
    public const string Section = "Verifier:Retention";

    /// <summary>
    /// How long a decision is kept after it was made; one a deployment rests on is kept until that long after the deployment's
    /// last day.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan Decisions { get; set; } = TimeSpan.FromDays(2 * 365);

    /// <summary>How often the purge runs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Deletes decisions older than their retention, unless a deployment that ended within it (or has not ended) rests on them.</summary>
internal sealed partial class DecisionPurge(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<DecisionRetentionOptions> options, ILogger<DecisionPurge> log) : Housekeeping(time, log)
{
    protected override TimeSpan Interval => options.Value.PurgeInterval;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => PurgeAsync(cancellationToken);

    /// <summary>One pass; returns how many decisions it deleted. Instances may run it at once.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VerifierDbContext>();
        var before = Time.GetUtcNow() - options.Value.Decisions;
        var lastDay = DateOnly.FromDateTime(before.UtcDateTime);
        var deleted = await db.Set<Decision>()
            .Where(d => d.DecidedAt < before && !db.Set<Deployment>().Any(p => p.DecisionId == d.Id && p.End >= lastDay))
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
            LogPurged(Log, deleted);
        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention purge: {Count} decision(s) deleted")]
    private static partial void LogPurged(ILogger logger, int count);

}

internal static class RetentionServices
{
    public static IHostApplicationBuilder AddVerifierRetention(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DecisionRetentionOptions>().BindConfiguration(DecisionRetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<DecisionPurge>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DecisionPurge>());
        return builder;
    }
}
