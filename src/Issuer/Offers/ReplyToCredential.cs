using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Audit;
using Passport.Issuer.Data;
using Passport.Issuer.Notifications;
using Passport.Issuer.Staff;
using Passport.ServiceDefaults;
using static Passport.Issuer.Offers.ListNotifications;

namespace Passport.Issuer.Offers;

/// <summary>
/// The member of staff accepts or rejects a credential offered to them from the browser: the same record as the wallet's
/// OpenID4VCI notification, so HR sees the reply (and resolves a rejection) in one place whichever way it came.
/// </summary>
internal static class ReplyToCredential
{
    public sealed record ReplyRequest(
        [AllowedValues("accepted", "rejected", ErrorMessage = "Say whether you accept or reject the credential.")] string? Reply,
        [Description("Why you reject it: required when rejecting.")][AllowedValuesFrom(typeof(WalletNotification), nameof(WalletNotification.Reasons))] string? Reason = null,
        [Description("In your words, at most 1,000 characters: required when the reason is other.")][MaxLength(1000, ErrorMessage = "Say why in at most 1,000 characters.")]
        string? Description = null) : IValidatableObject
    {
        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        {
            if (Reply != "rejected")
                yield break;
            if (Reason is null || !WalletNotification.Reasons.Contains(Reason.Trim()))
                yield return new ValidationResult("Choose why you are rejecting the credential.", [nameof(Reason)]);
            else if (Reason.Trim() == "other" && string.IsNullOrWhiteSpace(Description))
                yield return new ValidationResult("Say why you are rejecting the credential.", [nameof(Description)]);
        }
    }

    public static async Task<Results<Ok<NotificationResponse>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, ReplyRequest request, ClaimsPrincipal user, IssuerDbContext db, TimeProvider time, IssuerMessages messages, CancellationToken cancellationToken)
    {
        var reply = request.Reply;
        var reason = request.Reason?.Trim();
        var description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();

        var (staff, problem) = await CurrentStaff.FindAsync(user, db, cancellationToken);
        if (problem is not null)
            return problem;
        var credential = await db.Credentials.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.StaffId == staff!.Id, cancellationToken);
        if (credential is null)
            return Problems.NotFound("credential_not_found", "You have no such credential in your passport.");

        var now = time.GetUtcNow();
        var notification = await db.WalletNotifications.Where(n => n.CredentialId == id && n.StaffId == staff!.Id)
            .OrderByDescending(n => n.DeliveredAt).FirstOrDefaultAsync(cancellationToken);
        if (notification is null)
        {
            var offers = await db.Offers.AsNoTracking().Where(o => o.StaffId == staff!.Id).ToListAsync(cancellationToken);
            var offer = offers.Where(o => o.CredentialIds.Contains(id)).MaxBy(o => o.CreatedAt);
            if (offer is null)
                return Problems.Conflict("credential_not_offered", "This credential has not been offered to you yet, so there is nothing to accept or reject.");
            notification = new WalletNotification
            {
                OdsCode = staff!.OdsCode, StaffId = staff.Id, OfferId = offer.Id, CredentialId = id,
                NotificationId = $"web-{Guid.CreateVersion7():N}", DeliveredAt = now,
            };
            db.WalletNotifications.Add(notification);
        }

        var @event = reply == "accepted" ? WalletNotification.EventAccepted : WalletNotification.EventDeleted;
        notification.Record(@event, reply == "rejected" ? reason : null, description, now);
        db.Audit.Add(new AuditEntry
        {
            OdsCode = staff!.OdsCode, StaffId = staff.Id, CredentialId = id, Actor = user.Actor(), At = now,
            Action = reply == "accepted" ? AuditActions.Accepted : AuditActions.Rejected,
            Reason = reply == "accepted" ? description : description is null ? reason : $"{reason}: {description}",
        });
        if (@event == WalletNotification.EventDeleted)
            await messages.RejectedAsync(db, staff.OdsCode, notification.NotificationId, id, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(notification.ToResponse(credential.Type));
    }
}
