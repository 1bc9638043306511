using MassTransit;
using Passport.ServiceDefaults;

namespace Passport.Issuer.MutualAid;

/// <summary>Registers the services of this feature; its routes are mapped in <see cref="AidEndpoints"/>.</summary>
internal static class AidModule
{
    public static IBusRegistrationConfigurator AddIssuerMutualAidConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<MutualAidPresentationRequestedConsumer>();
        bus.AddConsumer<MutualAidMemberDecidedConsumer>();
        bus.AddConsumer<MutualAidRaisedByHostConsumer>();
        return bus;
    }
}
