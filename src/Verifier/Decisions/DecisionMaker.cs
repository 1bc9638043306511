using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Messaging;
using Passport.ServiceDefaults;
using Passport.Verifier.Agreements;
using Passport.Verifier.Data;
using Passport.Verifier.Trust;

namespace Passport.Verifier.Decisions;

/// <summary>What a decision is asked: presentations bound to an audience and a nonce, for a role of an agreement and a deployment's dates.</summary>
internal sealed record DecisionAsked
{
    /// <summary>The agreement version to decide under; the caller has checked the role and dates against its terms.</summary>
    public required LoadedAgreement Agreement { get; init; }

    public required RoleRules Role { get; init; }
    public required DateOnly Start { get; init; }
    public required DateOnly End { get; init; }
    public required IReadOnlyList<ReceivedPresentation> Presentations { get; init; }
    public required string Audience { get; init; }
    public required string Nonce { get; init; }

    /// <summary>The home organisation's hosted wallet attestation, when one came beside the presentations.</summary>
    public string? HostedWalletAttestation { get; init; }

    /// <summary>Status notices read before verifying, for the entries the presentations claimed; null to read them after verifying.</summary>
    public PrefetchedNotices? StatusNotices { get; init; }

    /// <summary>The presentation request answered; null for direct verification.</summary>
    public Guid? RequestId { get; init; }

    public required string Source { get; init; }
    public required string DecidedBy { get; init; }
}

/// <summary>
/// The one decide step behind every route that decides (a wallet's answer to a presentation request, POST /api/verify): check
/// the presentations (parties, audience, nonce, status), check a hosted wallet's attestation, evaluate the role's requirements,
/// then add the decision and its event. The caller adds what its route changes with the decision and commits all of it with
/// <see cref="SaveAsync"/>; a refusal adds nothing.
/// </summary>
internal sealed class DecisionMaker(PresentationCheck check, HostedWalletCheck hostedCheck, TimeProvider time)
{
    public async Task<(Decision? Decision, ProblemHttpResult? Refused)> DecideAsync(VerifierDbContext db, DecisionAsked asked, CancellationToken cancellationToken)
    {
        var (decided, refused) = await DecideUnsavedAsync(asked, cancellationToken);
        return decided is null ? (null, refused) : (DecisionRecorder.Add(db, decided), null);
    }

    /// <summary>As <see cref="DecideAsync"/>, but the decision and its event are only returned: the caller stores them (<see cref="DecisionWriter"/>).</summary>
    public async Task<(Decided? Decided, ProblemHttpResult? Refused)> DecideUnsavedAsync(DecisionAsked asked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(asked);
        var parties = asked.Agreement.Rules.Parties;
        var (credentials, refused) = await check.CheckAsync(asked.Presentations, parties, asked.Audience, asked.Nonce, asked.StatusNotices, cancellationToken);
        if (refused is not null)
            return (null, refused);
        HostedWalletRoute? hosted = null;
        if (asked.HostedWalletAttestation is { } attestation)
        {
            (hosted, refused) = await hostedCheck.CheckAsync(attestation, parties, asked.Audience, asked.Nonce, credentials!, cancellationToken);
            if (refused is not null)
                return (null, refused);
        }
        var now = time.GetUtcNow();
        var evaluation = RequirementEngine.Evaluate(asked.Role, asked.Start, asked.End, credentials!, now);
        if (hosted is not null && !asked.Role.AcceptsHostedWallet)
            evaluation = HostedWalletCheck.RefuseHosted(evaluation, asked.Role);
        return (DecisionRecorder.Create(asked, evaluation, now, credentials!, hosted), null);
    }

    /// <summary>
    /// Commits the decision, its event and the route's changes together. A second decision on the same presentations (the nonce
    /// and the request answered are unique; a request's answer is a concurrency token) commits nothing and is <paramref name="conflict"/>.
    /// </summary>
    public static async Task<ProblemHttpResult?> SaveAsync(VerifierDbContext db, Func<ProblemHttpResult> conflict, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Only the decision and its event to write, on PostgreSQL: EF sends both inserts as one multi-statement command, and
        // PostgreSQL runs the statements up to one Sync as one implicit transaction (all or nothing), so BEGIN and COMMIT
        // around it would only add a round trip. Anything else pending, or SQLite (no batching), keeps the explicit transaction.
        var alone = db.Database.IsNpgsql() && OnlyDecisionAndEvent(db);
        if (alone)
            db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        try
        {
            return await SaveChangesAsync(db, conflict, cancellationToken);
        }
        finally
        {
            if (alone)
                db.Database.AutoTransactionBehavior = AutoTransactionBehavior.WhenNeeded;
        }
    }

    private static bool OnlyDecisionAndEvent(VerifierDbContext db)
    {
        var (decisions, events) = (0, 0);
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State == EntityState.Unchanged || entry.State == EntityState.Detached)
                continue;
            if (entry.State != EntityState.Added)
                return false;
            switch (entry.Entity)
            {
                case Decision:
                    decisions++;
                    break;
                case OutboxMessage:
                    events++;
                    break;
                default:
                    return false;
            }
        }
        return decisions == 1 && events == 1;
    }

    private static async Task<ProblemHttpResult?> SaveChangesAsync(VerifierDbContext db, Func<ProblemHttpResult> conflict, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || UniqueViolation.Is(e))
        {
            return conflict();
        }
    }
}
