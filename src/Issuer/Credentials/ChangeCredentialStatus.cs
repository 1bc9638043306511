using System.ComponentModel;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Contracts;
using Passport.Credentials.StatusList;
using Passport.Issuer.Audit;
using Passport.Issuer.Data;
using Passport.Messaging;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Credentials;

/// <summary>HR withdraws, suspends or reinstates a credential. The status list bits, the event and the audit entry commit together.</summary>
internal static class ChangeCredentialStatus
{
    public static readonly string[] Reasons = ["issued_in_error", "update_pending", "no_longer_valid"];

    public sealed record StatusChangeRequest(
        [Description("Why: required to withdraw or suspend, not to reinstate.")][AllowedValuesFrom(typeof(ChangeCredentialStatus), nameof(Reasons))] string? Reason,
        [Description("Words for the audit trail, at most 1,000 characters.")][Example("Wrong DBS certificate number entered")] string? Note = null);

    public sealed record CredentialStatusResponse(Guid Id, [AllowedValuesFrom(typeof(CredentialStatus))] string Status, string? Reason, DateTimeOffset? ChangedAt, int StatusListId, int StatusIndex);

    public static Task<Results<Ok<CredentialStatusResponse>, ProblemHttpResult, ValidationProblem>> Revoke(
        Guid id, StatusChangeRequest request, ClaimsPrincipal user, IssuerDbContext db, IOptions<IssuerOptions> options, TimeProvider time, CancellationToken ct) =>
        ChangeAsync(id, request, requireReason: true, user, db, options, time, static (c, reason, now) => (c.TryRevoke(reason!, now, out var p), p), StatusType.Invalid, AuditActions.Withdrawn,
            static (c, ods, uri, now) => new CredentialRevoked
            {
                CredentialId = c.Id, IssuerOdsCode = ods, StaffId = c.StaffId, CredentialType = c.Type, Reason = c.StatusReason!, RevokedAt = now,
                StatusListUri = uri, StatusIndex = c.StatusIndex,
            }, ct);

    public static Task<Results<Ok<CredentialStatusResponse>, ProblemHttpResult, ValidationProblem>> Suspend(
        Guid id, StatusChangeRequest request, ClaimsPrincipal user, IssuerDbContext db, IOptions<IssuerOptions> options, TimeProvider time, CancellationToken ct) =>
        ChangeAsync(id, request, requireReason: true, user, db, options, time, static (c, reason, now) => (c.TrySuspend(reason!, now, out var p), p), StatusType.Suspended, AuditActions.Suspended,
            static (c, ods, uri, now) => new CredentialSuspended
            {
                CredentialId = c.Id, IssuerOdsCode = ods, StaffId = c.StaffId, CredentialType = c.Type, Reason = c.StatusReason!, SuspendedAt = now,
                StatusListUri = uri, StatusIndex = c.StatusIndex,
            }, ct);

    public static Task<Results<Ok<CredentialStatusResponse>, ProblemHttpResult, ValidationProblem>> Reinstate(
        Guid id, StatusChangeRequest? request, ClaimsPrincipal user, IssuerDbContext db, IOptions<IssuerOptions> options, TimeProvider time, CancellationToken ct) =>
        ChangeAsync(id, request ?? new StatusChangeRequest(null, null), requireReason: false, user, db, options, time, static (c, _, now) => (c.TryReinstate(now, out var p), p), StatusType.Valid, AuditActions.Reinstated,
            static (c, ods, _, now) => new CredentialReinstated { CredentialId = c.Id, IssuerOdsCode = ods, StaffId = c.StaffId, ReinstatedAt = now }, ct);

    private static async Task<Results<Ok<CredentialStatusResponse>, ProblemHttpResult, ValidationProblem>> ChangeAsync<TEvent>(
        Guid id, StatusChangeRequest request, bool requireReason, ClaimsPrincipal user, IssuerDbContext db, IOptions<IssuerOptions> options, TimeProvider time,
        Func<IssuedCredential, string?, DateTimeOffset, (bool Ok, string? Problem)> transition, byte status, string auditAction,
        Func<IssuedCredential, string, string, DateTimeOffset, TEvent> makeEvent, CancellationToken cancellationToken) where TEvent : class
    {
        if (requireReason && (request.Reason is null || !Reasons.Contains(request.Reason)))
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["reason"] = [$"Give a reason: one of {string.Join(", ", Reasons)}."],
            });
        }
        if (request.Note is { Length: > 1000 })
            return Problems.Validation(new Dictionary<string, string[]> { ["note"] = ["Keep the note under 1,000 characters."] });

        var ods = user.OdsCode();
        // Two HR users changing credentials on the same status list race on its version; the loser retries.
        for (var attempt = 0; ; attempt++)
        {
            var credential = await db.Credentials.FirstOrDefaultAsync(c => c.Id == id && c.OdsCode == ods, cancellationToken);
            if (credential is null)
                return Problems.NotFound("credential_not_found", $"Your organisation has no credential {id}.");
            var now = time.GetUtcNow();
            var (ok, problem) = transition(credential, request.Reason, now);
            if (!ok)
                return Problems.Conflict("invalid_status_transition", problem!);

            var list = await db.StatusLists.FirstAsync(l => l.Id == credential.StatusListId, cancellationToken);
            list.Set(credential.StatusIndex, status, now);
            var uri = options.Value.StatusListUri(ods, list.Id);
            db.AddOutboxMessage(makeEvent(credential, ods, uri, now), now);
            db.Audit.Add(new AuditEntry
            {
                OdsCode = ods, StaffId = credential.StaffId, CredentialId = credential.Id, Action = auditAction, Actor = user.Actor(),
                Reason = request.Note is null ? request.Reason : $"{request.Reason}: {request.Note}", At = now,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return TypedResults.Ok(new CredentialStatusResponse(credential.Id, credential.Status.ToString().ToLowerInvariant(), credential.StatusReason,
                    credential.StatusChangedAt, credential.StatusListId, credential.StatusIndex));
            }
            catch (DbUpdateConcurrencyException) when (attempt < 8)
            {
                db.ChangeTracker.Clear();
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 50) * (attempt + 1)), cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Problems.Problem(StatusCodes.Status503ServiceUnavailable, "status_list_busy",
                    "Many changes to this organisation's status list are racing; nothing was changed. Try again in a moment.");
            }
        }
    }
}
