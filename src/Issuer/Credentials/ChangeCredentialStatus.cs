using System.ComponentModel.DataAnnotations;
using System.ComponentModel;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Credentials;

/// <summary>HR withdraws, suspends or reinstates a credential. The status list bits, the event and the audit entry commit together.</summary>
internal static class ChangeCredentialStatus
{
    public static readonly string[] Reasons = ["issued_in_error", "update_pending", "no_longer_valid"];

    public sealed record StatusChangeRequest(
        [Description("Why: required to withdraw or suspend, not to reinstate.")][AllowedValuesFrom(typeof(ChangeCredentialStatus), nameof(Reasons))] string? Reason,
        [Description("Words for the audit trail, at most 1,000 characters.")][Example("Wrong DBS certificate number entered")][MaxLength(1000, ErrorMessage = "Keep the note under 1,000 characters.")] string? Note = null);

    public sealed record CredentialStatusResponse(Guid Id, [AllowedValuesFrom(typeof(GetCredential), nameof(GetCredential.StatusName))] string Status, string? Reason, DateTimeOffset? ChangedAt, int StatusListId, int StatusIndex);

    public static Task<Results<Ok<CredentialStatusResponse>, ProblemHttpResult, ValidationProblem>> Revoke(
        Guid id, StatusChangeRequest request, ClaimsPrincipal user, IssuerDbContext db, CredentialStatusChanges changes, TimeProvider time, CancellationToken ct) =>
        ChangeAsync(id, StatusChange.Revoke, request, user, db, changes, time, ct);

    public static Task<Results<Ok<CredentialStatusResponse>, ProblemHttpResult, ValidationProblem>> Suspend(
        Guid id, StatusChangeRequest request, ClaimsPrincipal user, IssuerDbContext db, CredentialStatusChanges changes, TimeProvider time, CancellationToken ct) =>
        ChangeAsync(id, StatusChange.Suspend, request, user, db, changes, time, ct);

    public static Task<Results<Ok<CredentialStatusResponse>, ProblemHttpResult, ValidationProblem>> Reinstate(
        Guid id, StatusChangeRequest? request, ClaimsPrincipal user, IssuerDbContext db, CredentialStatusChanges changes, TimeProvider time, CancellationToken ct) =>
        ChangeAsync(id, StatusChange.Reinstate, request ?? new StatusChangeRequest(null, null), user, db, changes, time, ct);

    private static async Task<Results<Ok<CredentialStatusResponse>, ProblemHttpResult, ValidationProblem>> ChangeAsync(
        Guid id, StatusChange change, StatusChangeRequest request, ClaimsPrincipal user, IssuerDbContext db, CredentialStatusChanges changes, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (change != StatusChange.Reinstate && (request.Reason is null || !Reasons.Contains(request.Reason)))
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["reason"] = [$"Give a reason: one of {string.Join(", ", Reasons)}."],
            });
        }

        var ods = user.OdsCode();
        var auditReason = request.Note is null ? request.Reason : $"{request.Reason}: {request.Note}";
        // Two HR users changing credentials on the same status list race on its version; the loser retries.
        for (var attempt = 0; ; attempt++)
        {
            var credential = await db.Credentials.FirstOrDefaultAsync(c => c.Id == id && c.OdsCode == ods, cancellationToken);
            if (credential is null)
                return GetCredential.NotFound(id);
            var result = await changes.ChangeAsync(credential, change, request.Reason, user.Actor(), auditReason, time.GetUtcNow(), cancellationToken);
            if (!result.Changed)
                return Problems.Conflict("invalid_status_transition", result.Problem!);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return TypedResults.Ok(new CredentialStatusResponse(credential.Id, credential.StatusName(), credential.StatusReason,
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
