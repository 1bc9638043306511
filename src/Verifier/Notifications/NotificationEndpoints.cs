using MassTransit;
using Passport.Notifications;
using Passport.ServiceDefaults;
using Passport.Verifier.Data;

namespace Passport.Verifier.Notifications;

internal static class NotificationEndpoints
{
    public static IEndpointRouteBuilder MapVerifierNotifications(this IEndpointRouteBuilder app)
    {
        // Not /api/messages: the Issuer lists its staff and HR messages there, and both run in one host.
        app.MapGet("/api/verifier-messages", ListHostMessages.Handle).RequireAuthorization(PassportPolicies.OrganisationAdmin).WithTags("Messages")
            .WithSummary("Your organisation's recent messages as a receiving organisation (flagged deployments), newest first, with their state")
            .WithDescription("State is pending (waiting for its next attempt), sent, logged (no channel configured: written to the log only) or failed (every attempt failed).")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }
}
