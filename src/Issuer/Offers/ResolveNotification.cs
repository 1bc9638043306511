using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Audit;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;
using static Passport.Issuer.Offers.ListNotifications;

namespace Passport.Issuer.Offers;

/// <summary>HR closes a rejection or failure, saying what they did (for example, re-issued a corrected credential).</summary>
internal static class ResolveNotification
{
    public sealed record ResolveRequest([Required(ErrorMessage = ResolutionError)][MaxLength(1000, ErrorMessage = ResolutionError)] string? Resolution);

    private const string ResolutionError = "Say what was done, in at most 1,000 characters.";

    public static async Task<Results<Ok<NotificationResponse>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, ResolveRequest request, ClaimsPrincipal user, IssuerDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var resolution = request.Resolution!.Trim();

        var ods = user.OdsCode();
        var notification = await db.WalletNotifications.FirstOrDefaultAsync(n => n.Id == id && n.OdsCode == ods, cancellationToken);
        if (notification is null)
            return Problems.NotFound("notification_not_found", $"Your organisation has no wallet notification {id}.");
        var now = time.GetUtcNow();
        if (!notification.TryResolve(resolution, user.Actor(), now, out var problem))
            return Problems.Conflict("notification_not_resolvable", problem!);

        db.Audit.Add(new AuditEntry
        {
            OdsCode = ods, StaffId = notification.StaffId, CredentialId = notification.CredentialId, Action = AuditActions.Resolved,
            Actor = user.Actor(), Reason = resolution, At = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        var type = await db.Credentials.AsNoTracking().Where(c => c.Id == notification.CredentialId).Select(c => c.Type).FirstAsync(cancellationToken);
        return TypedResults.Ok(notification.ToResponse(type));
    }
}
