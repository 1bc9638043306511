using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Placements;

/// <summary>Registers the services of this feature; its routes are mapped in <see cref="PlacementEndpoints"/>.</summary>
internal static class PlacementModule
{
    public static IHostApplicationBuilder AddIssuerPlacements(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<PlacementIssuance>();
        // A host composing the Verifier in the same process registers its own source of names, before or after this.
        builder.Services.TryAddScoped<IVisitorNames, NoVisitorNames>();
        return builder;
    }

    public static IBusRegistrationConfigurator AddIssuerPlacementConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<DeploymentStartedPlacementConsumer>();
        bus.AddConsumer<DeploymentExtendedPlacementConsumer>();
        bus.AddConsumer<DeploymentEndedPlacementConsumer>();
        bus.AddConsumer<DeploymentDeclinedPlacementConsumer>();
        return bus;
    }
}
