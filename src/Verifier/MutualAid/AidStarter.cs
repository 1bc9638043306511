using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.ServiceDefaults;
using Passport.Verifier.Agreements;
using Passport.Verifier.Data;
using Passport.Verifier.Decisions;
using Passport.Verifier.Deployments;

namespace Passport.Verifier.MutualAid;

/// <summary>
/// Finishes every recorded start-all: starts, a batch per transaction, an ordinary deployment for each accepted member that
/// has none. The deployment takes the member's id and its decision (both unique), so a batch repeated by a second instance
/// or after a crash starts nobody twice. Woken by a new start-all, and every <see cref="MutualAidOptions.ResumeInterval"/>
/// for one a crash or restart left unfinished.
/// </summary>
internal sealed partial class AidStarter(
    IServiceScopeFactory scopes, IOptions<MutualAidOptions> options, TimeProvider time, ILogger<AidStarter> log) : BackgroundService
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _wake.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(options.Value.ResumeInterval);
                try
                {
                    await _wake.Reader.ReadAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A database outage must not stop the host finishing start-all later.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(log, ex);
                await Task.Delay(options.Value.ResumeInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        List<Guid> pending;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<VerifierDbContext>();
            pending = await db.Set<AidStart>().AsNoTracking().Where(s => s.CompletedAt == null).Select(s => s.RequestId).Take(50).ToListAsync(cancellationToken);
        }
        foreach (var requestId in pending)
            await FinishAsync(requestId, cancellationToken);
    }

    private async Task FinishAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var o = options.Value;
        for (var conflicts = 0; conflicts < 5;)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<VerifierDbContext>();
            var start = await db.Set<AidStart>().FirstOrDefaultAsync(s => s.RequestId == requestId, cancellationToken);
            if (start is null || start.CompletedAt is not null)
                return;
            var now = time.GetUtcNow();
            var batch = await db.Set<HostAidMember>()
                .Where(m => m.RequestId == requestId && m.HostOdsCode == start.HostOdsCode && m.Accepted == true && m.DeploymentId == null && m.StartProblem == null)
                .OrderBy(m => m.Id).Take(o.StartBatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
                start.CompletedAt = now;
            else
                await StartBatchAsync(db, start, batch, now, cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || UniqueViolation.Is(ex))
            {
                // Another instance started some of this batch first: read again and carry on from what is left.
                conflicts++;
                continue;
            }
            if (batch.Count == 0)
            {
                LogFinished(log, requestId);
                return;
            }
            if (o.StartBatchPause > TimeSpan.Zero)
                await Task.Delay(o.StartBatchPause, time, cancellationToken);
        }
    }

    private static async Task StartBatchAsync(VerifierDbContext db, AidStart start, List<HostAidMember> batch, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var decisionIds = batch.Select(m => m.DecisionId!.Value).ToList();
        var decisions = await db.Set<Decision>().AsNoTracking().Where(d => decisionIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, cancellationToken);
        // A deployment the host already started by hand from the same decision is the member's deployment.
        var existing = await db.Set<Deployment>().AsNoTracking().Where(d => decisionIds.Contains(d.DecisionId))
            .Select(d => new { d.Id, d.DecisionId }).ToDictionaryAsync(d => d.DecisionId, d => d.Id, cancellationToken);
        var agreements = new Dictionary<(Guid, int), LoadedAgreement?>();
        foreach (var member in batch)
        {
            var decisionId = member.DecisionId!.Value;
            if (existing.TryGetValue(decisionId, out var deploymentId))
            {
                member.Deployed(deploymentId);
                continue;
            }
            if (!decisions.TryGetValue(decisionId, out var decision))
            {
                member.CannotStart("The decision was deleted under the retention policy; ask the person to present again.");
                continue;
            }
            var key = (decision.AgreementId, decision.AgreementVersion);
            if (!agreements.TryGetValue(key, out var agreement))
                agreements[key] = agreement = await AgreementLookup.LoadAsync(db, start.HostOdsCode, decision.AgreementId, decision.AgreementVersion, cancellationToken);
            if (agreement is null)
            {
                member.CannotStart("The agreement the decision used no longer exists.");
                continue;
            }
            var rules = agreement.Rules;
            if (AgreementTerms.CheckDates(rules, member.Start, member.End).Count > 0)
            {
                member.CannotStart(AgreementTerms.InWords(rules));
                continue;
            }
            var deployment = DeploymentStart.Add(db, decision, agreement,
                new DeploymentAsked(member.HomeOdsCode, member.StaffId, start.HostSite, member.Start, member.End, start.RequestedBy) { Id = member.Id }, now);
            member.Deployed(deployment.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mutual aid: start-all for request {RequestId} finished")]
    private static partial void LogFinished(ILogger logger, Guid requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mutual aid: start-all pass failed; it resumes at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
