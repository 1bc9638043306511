using MassTransit;
using Passport.Issuer.Data;
using Passport.Messaging;
using Passport.Notifications;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Notifications;

/// <summary>Registers the services of this feature; its routes are mapped in <see cref="NotificationEndpoints"/>.</summary>
internal static class NotificationModule
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
        bus.AddBatchConsumer<CredentialRevokedNotifier>();
        bus.AddBatchConsumer<CredentialSuspendedNotifier>();
        bus.AddBatchConsumer<CredentialExpiringNotifier>();
        bus.AddConsumer<MutualAidConsentRequestedNotifier>();
        bus.AddConsumer<DeploymentApprovalNotifier>();
        bus.AddConsumer<DeploymentFlaggedNotifier>();
        return bus;
    }
}
