using MassTransit;
using Passport.Issuer.Data;
using Passport.Notifications;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Notifications;

internal static class NotificationEndpoints
{
    public static IHostApplicationBuilder AddIssuerNotifications(this IHostApplicationBuilder builder)
    {
        builder.Services.AddNotifications<IssuerDbContext>();
        builder.Services.AddSingleton<IssuerMessages>();
        builder.Services.AddOptions<OfferReminderOptions>().BindConfiguration(OfferReminderOptions.Section)
            .Validate(o => o.Interval >= TimeSpan.FromSeconds(1) && o.MaxReminders is >= 0 and <= 52 && o.BatchSize > 0,
                "Issuer:OfferReminders: Interval at least a second, MaxReminders from 0 to 52, BatchSize positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<OfferReminderJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OfferReminderJob>());
        return builder;
    }

    public static IBusRegistrationConfigurator AddIssuerNotificationConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<CredentialRevokedNotifier>();
        bus.AddConsumer<CredentialSuspendedNotifier>();
        bus.AddConsumer<CredentialExpiringNotifier>();
        bus.AddConsumer<MutualAidConsentRequestedNotifier>();
        bus.AddConsumer<DeploymentApprovalNotifier>();
        bus.AddConsumer<DeploymentFlaggedNotifier>();
        return bus;
    }

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
