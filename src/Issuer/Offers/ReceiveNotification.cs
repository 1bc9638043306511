using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Audit;
using Passport.Issuer.Data;
using Passport.Issuer.Notifications;

namespace Passport.Issuer.Offers;

/// <summary>
/// The notification endpoint (OpenID4VCI 1.0 §11): the wallet says whether the member of staff kept a delivered
/// credential. <c>credential_deleted</c> is a rejection; its reason (duplicate, incorrect, not_wanted, other) is read
/// from our extension member <c>reason</c> or, for wallets that only send the standard members, from the start of
/// <c>event_description</c> (<c>"incorrect: my surname is misspelt"</c>); anything else counts as <c>other</c>.
/// </summary>
internal static class ReceiveNotification
{
    public static async Task<Results<NoContent, OAuthError>> Handle(
        string ods, HttpContext http, IssuerDbContext db, TimeProvider time, IssuerMessages messages, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (offer, tokenError) = await AccessTokens.AuthenticateAsync(http.Request, ods, db, now, tracked: false, cancellationToken);
        if (tokenError is not null)
            return tokenError;

        var (request, bodyError) = await WalletJson.ReadObjectAsync(http.Request, cancellationToken);
        if (bodyError is not null)
            return OAuthError.InvalidNotificationRequest(bodyError);
        var notificationId = Str(request!, "notification_id");
        if (string.IsNullOrEmpty(notificationId))
            return OAuthError.InvalidNotificationRequest("notification_id is required: the one from the credential response.");
        var @event = Str(request!, "event");
        if (@event is null || !WalletNotification.Events.Contains(@event))
            return OAuthError.InvalidNotificationRequest($"event must be one of {string.Join(", ", WalletNotification.Events)}.");
        var description = request!.ContainsKey("event_description") ? Str(request, "event_description") : null;
        if (request.ContainsKey("event_description") && (description is null || description.Length > 1000 || !IsAllowedDescription(description)))
            return OAuthError.InvalidNotificationRequest("event_description is printable ASCII without quotes or backslashes, at most 1,000 characters.");
        var (reason, reasonError) = ReasonOf(request, @event, ref description);
        if (reasonError is not null)
            return OAuthError.InvalidNotificationRequest(reasonError);

        var notification = await db.WalletNotifications
            .FirstOrDefaultAsync(n => n.NotificationId == notificationId && n.OfferId == offer!.Id, cancellationToken);
        if (notification is null)
            return OAuthError.InvalidNotificationId("The notification_id is not one this access token's credential responses gave out.");

        notification.Record(@event, reason, description, now);
        db.Audit.Add(new AuditEntry
        {
            OdsCode = ods, StaffId = notification.StaffId, CredentialId = notification.CredentialId, Actor = "wallet", At = now,
            Action = @event switch
            {
                WalletNotification.EventAccepted => AuditActions.Accepted,
                WalletNotification.EventDeleted => AuditActions.Rejected,
                _ => AuditActions.Failed,
            },
            Reason = reason is null ? description : description is null ? reason : $"{reason}: {description}",
        });
        if (@event == WalletNotification.EventDeleted)
            await messages.RejectedAsync(db, ods, notification.NotificationId, notification.CredentialId, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static (string? Reason, string? Error) ReasonOf(JsonObject request, string @event, ref string? description)
    {
        if (request.ContainsKey("reason"))
        {
            var given = Str(request, "reason");
            if (@event != WalletNotification.EventDeleted)
                return (null, "reason belongs only with the credential_deleted event.");
            return given is not null && WalletNotification.Reasons.Contains(given)
                ? (given, null)
                : (null, $"reason must be one of {string.Join(", ", WalletNotification.Reasons)}.");
        }
        if (@event != WalletNotification.EventDeleted)
            return (null, null);
        if (description is null)
            return ("other", null);
        var colon = description.IndexOf(':', StringComparison.Ordinal);
        var head = (colon < 0 ? description : description[..colon]).Trim();
        var match = WalletNotification.Reasons.FirstOrDefault(r => string.Equals(r, head, StringComparison.OrdinalIgnoreCase)
            || string.Equals(r.Replace('_', ' '), head, StringComparison.OrdinalIgnoreCase));
        if (match is null)
            return ("other", null);
        var rest = colon < 0 ? "" : description[(colon + 1)..].Trim();
        description = rest.Length == 0 ? null : rest;
        return (match, null);
    }

    // OpenID4VCI 1.0 §11.1: %x20-21 / %x23-5B / %x5D-7E.
    private static bool IsAllowedDescription(string text) => text.All(c => c is >= ' ' and <= '~' and not '"' and not '\\');

    private static string? Str(JsonObject o, string name) =>
        o.TryGetPropertyValue(name, out var v) && v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : null;
}
