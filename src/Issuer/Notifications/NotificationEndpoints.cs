using MassTransit;
using Passport.Issuer.Data;
using Passport.Notifications;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Notifications;

internal static class NotificationEndpoints
{
    public static IEndpointRouteBuilder MapIssuerNotifications(this IEndpointRouteBuilder app)
    {
        // Not /api/notifications: that lists what wallets said about delivered credentials (OpenID4VCI notifications).
        app.MapGet("/api/messages", ListMessages.Handle).RequireAuthorization(PassportPolicies.OrganisationAdmin).WithTags("Messages")
            .WithSummary("Your organisation's recent e-mails and text messages to staff and HR, newest first, with their state")
            .WithDescription("State is pending (waiting for its next attempt), sent, logged (no channel configured: written to the log only) or failed (every attempt failed).")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }
}
