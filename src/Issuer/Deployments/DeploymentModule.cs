using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Deployments;

/// <summary>Registers the services of this feature; its routes are mapped in <see cref="DeploymentEndpoints"/>.</summary>
internal static class DeploymentModule
{
    public static IBusRegistrationConfigurator AddIssuerDeploymentConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<DeploymentRequestedConsumer>();
        bus.AddConsumer<DeploymentStartedConsumer>();
        bus.AddConsumer<DeploymentExtendedConsumer>();
        bus.AddConsumer<DeploymentEndedConsumer>();
        bus.AddConsumer<DeploymentFlaggedConsumer>();
        return bus;
    }
}
