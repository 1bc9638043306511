using MassTransit;
using Passport.ServiceDefaults;

namespace Passport.Verifier.MutualAid;

/// <summary>Registers the services of this feature; its routes are mapped in <see cref="MutualAidEndpoints"/>.</summary>
internal static class MutualAidModule
{
    public static IHostApplicationBuilder AddVerifierMutualAid(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MutualAidOptions>().BindConfiguration(MutualAidOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<AidStarter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AidStarter>());
        return builder;
    }

    public static IBusRegistrationConfigurator AddVerifierMutualAidConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<MutualAidConsentGivenConsumer>();
        bus.AddConsumer<MutualAidHostRequestAnsweredConsumer>();
        return bus;
    }
}
