using MassTransit;
using Passport.Notifications;
using Passport.ServiceDefaults;
using Passport.Verifier.Data;

namespace Passport.Verifier.Notifications;

/// <summary>Registers the services of this feature; its routes are mapped in <see cref="NotificationEndpoints"/>.</summary>
internal static class NotificationModule
{
    public static IHostApplicationBuilder AddVerifierNotifications(this IHostApplicationBuilder builder)
    {
        builder.Services.AddNotifications<VerifierDbContext>();
        return builder;
    }

    public static IBusRegistrationConfigurator AddVerifierNotificationConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<HostDeploymentFlaggedNotifier>();
        return bus;
    }
}
